// Words and dates for people. Codes stay visible next to the words: officers quote them in files.

// `headline` is what the decision's heading says (the label, unless the verdict asks for more).
export const VERDICTS = {
  RECOGNISED: { label: "RECOGNISED", gloss: "accepted, no retest", symbol: "✔" },
  NOT_REQUIRED: { label: "NOT REQUIRED", gloss: "the importer asks for no retest for this movement", symbol: "✔" },
  RETEST_REQUIRED: { label: "RETEST REQUIRED", gloss: "the importer must retest, re-inspect or re-certify", symbol: "✖" },
  INVALID: { label: "INVALID", gloss: "the document cannot be relied on", symbol: "⚠" },
  // Neither a yes nor a no: the registry is open-world, and the absence of a record is not a fact.
  UNDETERMINED: {
    label: "UNDETERMINED",
    headline: "UNDETERMINED: verify before acting",
    gloss: "the registry does not know a fact this decision needs; this is not a refusal and not an approval",
    symbol: "?",
  },
};

export function verdict(outcome) {
  const known = VERDICTS[outcome] || { label: words(outcome).toUpperCase(), gloss: "", symbol: "?" };
  return { headline: known.label, ...known };
}

/** "RETEST_REQUIRED" -> "retest-required": the modifier in verdict--… and badge--… class names. */
export function outcomeClass(outcome) {
  return String(outcome || "").toLowerCase().replaceAll("_", "-");
}

// How far a decision can be relied on: the weakest confidence among the facts it rested on (RULES.md,
// "Assurance"). The words are the CLI's (mra_registry/checking/render.py), so paper and screen agree.
export const ASSURANCES = {
  CONFIRMED: { label: "CONFIRMED", symbol: "✓", explanation: "every fact it rests on was read in a cited source" },
  UNCONFIRMED: {
    label: "UNCONFIRMED", symbol: "≈",
    explanation: "it rests on a fact not confirmed by a cited source (general knowledge or a maintainer's reading)",
  },
  FIXTURE: { label: "FIXTURE", symbol: "✎", explanation: "it rests on invented test data" },
};

export function assurance(level) {
  return ASSURANCES[level] || { label: String(level || "unknown"), symbol: "?", explanation: "" };
}

/** Only https addresses become links; anything else (a source key, an http address) stays text. */
export function isLinkable(source) {
  return /^https:\/\/[^\s]+$/.test(String(source || ""));
}

/** "RETEST_REQUIRED" -> "retest required": for codes that have no better word. */
export function words(code) {
  return String(code || "").replaceAll("_", " ").toLowerCase();
}

/** Today in UTC, as the API's default dates are. */
export function todayIso() {
  return new Date().toISOString().slice(0, 10);
}

/** A dated interval as the registry stores it: inclusive days, null for open or not known. */
export function period(validFrom, validTo) {
  if (!validFrom && !validTo) return "no dates recorded";
  return `${validFrom || "…"} – ${validTo || "open"}`;
}

/** ARRANGEMENT ILAC_MRA, GOVERNMENT EU_US_MRA / EU-US-TEL, LIST US-TOY-LABS, OFFICIAL_CERTIFICATE, ANY (the CLI's). */
export function routeLabel(route) {
  if (!route) return "";
  if (route.list) return `${route.kind} ${route.list.code}`;
  if (!route.arrangement) return route.kind;
  const sector = route.sector ? ` / ${route.sector.code}` : "";
  return `${route.kind} ${route.arrangement.code}${sector}`;
}

export function plural(count, one, many = `${one}s`) {
  return `${count} ${count === 1 ? one : many}`;
}
