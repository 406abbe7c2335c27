// Words and dates for people. Codes stay visible next to the words: officers quote them in files.

export const VERDICTS = {
  RECOGNISED: { label: "RECOGNISED", gloss: "accepted, no retest", symbol: "✔" },
  NOT_REQUIRED: { label: "NOT REQUIRED", gloss: "the importer asks for no retest for this movement", symbol: "✔" },
  RETEST_REQUIRED: { label: "RETEST REQUIRED", gloss: "the importer must retest, re-inspect or re-certify", symbol: "✖" },
  INVALID: { label: "INVALID", gloss: "the document cannot be relied on", symbol: "⚠" },
};

export function verdict(outcome) {
  return VERDICTS[outcome] || { label: outcome, gloss: "", symbol: "?" };
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

export function routeLabel(route) {
  if (!route) return "";
  const sector = route.sector ? ` / ${route.sector.code}` : "";
  return `${route.kind} ${route.arrangement.code}${sector}`;
}

export function plural(count, one, many = `${one}s`) {
  return `${count} ${count === 1 ? one : many}`;
}
