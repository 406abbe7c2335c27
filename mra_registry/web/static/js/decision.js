// A decision drawn for an officer: the verdict first (colour, symbol AND words), how far it can be relied
// on (assurance), what to verify before acting (checks), the reason in plain words, warnings set apart, the
// facts a file needs (policy, route, registry version, dates), the recognition path as a chain of linked
// cards, then the inputs. The same markup is the print view:
// css/app.css hides everything else under @media print.

import { definitions, h } from "./dom.js";
import { assurance, isLinkable, outcomeClass, period, plural, routeLabel, verdict, words } from "./format.js";

const LINK_KINDS = {
  POLICY: "Import policy",
  UNION_MEMBERSHIP: "Union membership",
  SPS_AGREEMENT: "SPS equivalence agreement",
  CAB: "Conformity assessment body",
  ACCREDITATION: "Accreditation",
  SIGNATORY_STATUS: "Signatory status",
  SUCCESSION: "Succession of arrangements",
  SECTOR_OPERATION: "Sector in operation",
  DESIGNATION: "Designation",
  COMPLETENESS: "Completeness declaration",
};

/** One sentence for the aria-live region: what a screen reader user hears when the answer arrives. */
export function verdictAnnouncement(decision) {
  const { label, gloss } = verdict(decision.outcome);
  const why = decision.reasons[0]?.message || words(decision.reason);
  const warned = decision.warnings.length ? ` ${plural(decision.warnings.length, "warning")}.` : "";
  const checks = decision.checks || [];
  const checked = checks.length ? ` Before acting, verify ${plural(checks.length, "fact")}.` : "";
  const level = decision.assurance ? ` Assurance: ${assurance(decision.assurance).label}.` : "";
  return `${label}: ${gloss}. ${why}${warned}${checked}${level}`;
}

/** The whole decision as one <article>; `input` is the ClearanceInput that was sent. */
export function renderDecision(decision, input) {
  const { headline, gloss, symbol } = verdict(decision.outcome);
  const modifier = outcomeClass(decision.outcome);
  return h("article", { class: `decision__card decision--${modifier}`, "aria-labelledby": "decision-verdict" },
    h("p", { class: "print-only print-title" }, "Clearance decision · mra-registry"),
    h("div", { class: `verdict verdict--${modifier}`, "data-outcome": decision.outcome },
      h("span", { class: "verdict__symbol", "aria-hidden": "true" }, symbol),
      h("div", { class: "verdict__text" },
        h("h2", { class: "verdict__label", id: "decision-verdict", tabindex: "-1" }, headline),
        h("p", { class: "verdict__gloss" }, gloss),
        h("p", { class: "verdict__code" }, "Reason code: ", h("code", {}, decision.reason)))),
    renderAssurance(decision.assurance),
    renderChecks(decision),
    renderReasons(decision),
    renderWarnings(decision.warnings),
    renderSummary(decision),
    renderPath(decision),
    renderInputs(input),
    h("div", { class: "decision__actions no-print" },
      h("button", { type: "button", class: "button", onclick: () => window.print() }, "Print this decision")),
    h("p", { class: "print-only print-footer" },
      `Decided on registry version ${decision.registryVersion}; printed `, h("span", { class: "print-time" }, nowUtc()), " UTC."));
}

function nowUtc() {
  return new Date().toISOString().replace("T", " ").slice(0, 16);
}

// The print time is when the paper is made, which may be long after the decision was shown.
window.addEventListener("beforeprint", () => {
  for (const stamp of document.querySelectorAll(".print-time")) stamp.textContent = nowUtc();
});

/** The assurance badge: its word (and, where there is room, its symbol), with the meaning as a tooltip. */
export function assuranceBadge(level, { symbol = true } = {}) {
  const known = assurance(level);
  return h("span", { class: `badge badge--assurance badge--assurance-${outcomeClass(level)}`, "data-assurance": level,
    title: known.explanation },
  symbol ? h("span", { "aria-hidden": "true" }, `${known.symbol} `) : null, known.label);
}

function renderAssurance(level) {
  if (!level) return null;
  return h("section", { class: `assurance assurance--${outcomeClass(level)}`, "aria-labelledby": "decision-assurance",
    "data-assurance": level },
  h("p", { class: "assurance__line" },
    h("span", { class: "assurance__term", id: "decision-assurance" }, "Assurance"), " ",
    assuranceBadge(level), " ",
    h("span", { class: "assurance__explanation" }, `${assurance(level).explanation}.`)));
}

/** What a person must verify before acting: set apart right under the verdict, for every outcome. */
function renderChecks(decision) {
  const checks = decision.checks || [];
  if (!checks.length) return null;
  const undetermined = decision.outcome === "UNDETERMINED";
  return h("section", { class: `checks${undetermined ? " checks--undetermined" : ""}`, "aria-labelledby": "decision-checks" },
    h("h3", { id: "decision-checks" }, h("span", { class: "checks__mark", "aria-hidden": "true" }, "?"),
      "Before acting, verify:"),
    undetermined
      ? h("p", { class: "checks__lead" }, "The registry lacks a fact this decision needs. Verify ",
        checks.length === 1 ? "it" : "each of them", " at the source before releasing or refusing the consignment.")
      : null,
    h("ol", { class: "checks__list" }, checks.map((check) =>
      h("li", { class: "checks__item", dataset: { code: check.code } },
        h("p", { class: "checks__message" }, h("strong", { class: "checks__code" }, words(check.code).toUpperCase()), ": ",
          check.message),
        check.sources.length
          ? h("div", { class: "checks__where" }, h("span", { class: "checks__where-label" }, "Where to verify:"),
            sourceList(check.sources))
          : h("p", { class: "checks__where checks__where--none" }, "The registry records no place to verify this.")))));
}

function renderReasons(decision) {
  // Requirement numbers are shown only when the policy has more than one requirement (1-based, for people).
  const several = decision.reasons.some((reason) => reason.requirement > 0);
  return h("section", { class: "decision__why", "aria-labelledby": "decision-why" },
    h("h3", { id: "decision-why" }, "Why"),
    h("ul", { class: "reasons" }, decision.reasons.map((reason) =>
      h("li", { class: "reasons__item", dataset: { code: reason.code } },
        h("p", { class: "reasons__message" }, reason.message),
        h("p", { class: "reasons__meta" }, h("code", {}, reason.code),
          several ? ` · requirement ${reason.requirement + 1}` : null,
          reason.route ? ` · route tried: ${reason.route}` : null)))));
}

function renderWarnings(warnings) {
  if (!warnings.length) return null;
  return h("section", { class: "warnings", "aria-labelledby": "decision-warnings" },
    h("h3", { id: "decision-warnings" }, h("span", { "aria-hidden": "true" }, "⚠ "), `Warnings (${warnings.length})`),
    h("ul", {}, warnings.map((warning) =>
      h("li", { class: "warnings__item", dataset: { code: warning.code } },
        h("strong", {}, words(warning.code).toUpperCase()), ": ", warning.message))));
}

function renderSummary(decision) {
  const policy = decision.policy;
  return h("section", { class: "decision__summary", "aria-labelledby": "decision-facts" },
    h("h3", { id: "decision-facts" }, "Decision record"),
    definitions([
      ["Policy applied", policy ? `${policy.code}${policy.name ? ` — ${policy.name}` : ""}` : "none recorded"],
      ["Routes the policy accepts", policy ? policy.routes.map((route) => route.label).join("; ") || "domestic bodies only" : null],
      (decision.routes || []).length > 1
        ? ["Routes that passed", decision.routes.map(routeLabel).join("; ")]
        : ["Route that passed", decision.route ? routeLabel(decision.route) : "none"],
      ["Assurance", decision.assurance ? `${assurance(decision.assurance).label}: ${assurance(decision.assurance).explanation}` : null],
      ["Issue date", decision.issueDate || "no document"],
      ["Clearance date", decision.clearanceDate],
      ["Registry version", String(decision.registryVersion)],
    ]));
}

function renderPath(decision) {
  const heading = h("h3", { id: "decision-path" }, "Recognition path");
  if (!decision.path.length) {
    return h("section", { class: "decision__path", "aria-labelledby": "decision-path" }, heading,
      h("p", { class: "chain__empty" }, "No registry record could be linked: the decision rests on the reason above."));
  }
  return h("section", { class: "decision__path", "aria-labelledby": "decision-path" }, heading,
    h("ol", { class: "chain" }, decision.path.map((link) => renderLink(link, decision))));
}

function renderLink(link, decision) {
  const holds = link.holds;
  return h("li", { class: `chain__link ${holds ? "chain__link--holds" : "chain__link--fails"}`, dataset: { kind: link.kind } },
    h("div", { class: "chain__head" },
      h("span", { class: "chain__kind" }, LINK_KINDS[link.kind] || words(link.kind)),
      h("span", { class: `chain__holds ${holds ? "is-ok" : "is-bad"}` },
        h("span", { "aria-hidden": "true" }, holds ? "✓ " : "✗ "), holds ? "holds" : "does not hold")),
    h("p", { class: "chain__record" }, link.record),
    definitions([
      ["Record", subjectLink(link)],
      ["Valid", link.validFrom || link.validTo ? period(link.validFrom, link.validTo) : null],
      [`On the issue date${decision.issueDate ? ` (${decision.issueDate})` : ""}`, link.statusOnIssue],
      [`On the clearance date (${decision.clearanceDate})`, link.statusOnClearance],
      ["Confidence", link.confidence],
      ["Sources", link.sources.length ? sourceList(link.sources) : null],
    ], "chain__facts"));
}

// The records the registry browser can show: the officer can check a link's history in one click.
function subjectLink(link) {
  const target = { CAB: "cab", ACCREDITATION: "cab", DESIGNATION: "cab", SIGNATORY_STATUS: "ab" }[link.kind];
  if (!target) return link.subject;
  return h("a", { href: `#registry/${target}/${encodeURIComponent(link.subject)}` }, link.subject);
}

export function sourceList(sources) {
  // Sources are shown, not fetched: a link leaves the page only when the officer follows it. Only https
  // addresses become links; a source key or any other text is shown as it is.
  return h("ul", { class: "sources" }, sources.map((source) =>
    h("li", {}, isLinkable(source) ? h("a", { href: source, rel: "noreferrer noopener", target: "_blank" }, source) : source)));
}

function renderInputs(input) {
  const attestation = input.attestation;
  const presented = attestation
    ? [
      ["Document type", words(attestation.type)],
      ["Issuer", attestation.issuer],
      ["Issue date", attestation.issueDate],
      ["Accreditation body named", attestation.accreditationBody],
      ["Accreditation number", attestation.accreditationNumber],
      ["Lot on the document", attestation.lot],
      ["Tests listed", (attestation.tests || []).join(", ")],
      ["Under accreditation", attestation.underAccreditation === false ? "no" : "yes"],
    ]
    : [["Document", "none presented"]];
  return h("section", { class: "decision__inputs", "aria-labelledby": "decision-inputs" },
    h("h3", { id: "decision-inputs" }, "What was asked"),
    definitions([
      ["Exporter → importer", `${input.exporter} → ${input.importer}`],
      ["HS code", input.hsCode],
      ["Consignment lot", input.lot],
      ["Clearance date asked", input.clearanceDate || "today (server's date)"],
      ...presented,
    ]));
}
