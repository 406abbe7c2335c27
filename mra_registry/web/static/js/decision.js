// A decision drawn for an officer: the verdict first (colour, symbol AND words), how far it can be relied
// on (assurance), what to verify before acting (checks), the reason in plain words, warnings set apart, the
// facts a file needs (policy, route, registry version, dates), the recognition path as a chain of linked
// cards, then the inputs. The same markup is the print view:
// css/app.css hides everything else under @media print.

import { renderCredentials } from "./credential.js";
import { definitions, h } from "./dom.js";
import { assurance, isLinkable, outcomeClass, period, plural, verdict, words } from "./format.js";
import { routeTerm } from "./route-term.js";
import { term } from "./term.js";
import { describe } from "./vocabulary.js";

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
        h("p", { class: "verdict__code" }, "Reason: ", term("ReasonCode", decision.reason), " · outcome code ",
          term("Outcome", decision.outcome, { label: false })))),
    renderAssurance(decision.assurance),
    renderChecks(decision),
    renderCredentials(decision, input),
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
  return h("span", { class: `badge badge--assurance badge--assurance-${outcomeClass(level)}`, "data-assurance": level },
    symbol ? h("span", { "aria-hidden": "true" }, `${known.symbol} `) : null, term("Assurance", level, { label: false }));
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
        h("p", { class: "checks__message" }, h("strong", { class: "checks__code" }, term("CheckCode", check.code)), ": ",
          check.message),
        check.sources.length
          ? h("div", { class: "checks__where" }, h("span", { class: "checks__where-label" }, "Where to verify:"),
            sourceList(check.sources))
          : h("p", { class: "checks__where checks__where--none" }, "The registry records no place to verify this.")))));
}

/** The policy's requirements this decision speaks of (0-based), when there are several; else []. */
function requirementsOf(decision) {
  const numbers = new Set([...decision.reasons.map((reason) => reason.requirement),
    ...decision.path.map((link) => link.requirement).filter((value) => value !== null && value !== undefined)]);
  const several = numbers.size > 1 || (decision.routes || []).length > 1;
  return several ? [...numbers].sort((a, b) => a - b) : [];
}

function reasonItem(reason) {
  return h("li", { class: "reasons__item", dataset: { code: reason.code } },
    h("p", { class: "reasons__message" }, reason.message),
    h("p", { class: "reasons__meta" }, term("ReasonCode", reason.code),
      reason.route ? ` · route tried: ${reason.route}` : null));
}

function renderReasons(decision) {
  const requirements = requirementsOf(decision);
  const heading = h("h3", { id: "decision-why" }, "Why");
  if (!requirements.length) {
    return h("section", { class: "decision__why", "aria-labelledby": "decision-why" }, heading,
      h("ul", { class: "reasons" }, decision.reasons.map(reasonItem)));
  }
  // Several requirements: each one's reasons under its own heading (numbered from 1, for people).
  return h("section", { class: "decision__why", "aria-labelledby": "decision-why" }, heading,
    requirements.map((index) => h("section", { class: "requirement", dataset: { requirement: String(index) },
      "aria-labelledby": `why-requirement-${index}` },
    h("h4", { class: "requirement__title", id: `why-requirement-${index}` }, requirementTitle(decision, index)),
    h("ul", { class: "reasons" }, decision.reasons.filter((reason) => reason.requirement === index).map(reasonItem)))));
}

function requirementTitle(decision, index) {
  const route = (decision.routes || [])[index];
  return route ? [`Requirement ${index + 1}: met through `, routeTerm(route)] : `Requirement ${index + 1}`;
}

function renderWarnings(warnings) {
  if (!warnings.length) return null;
  return h("section", { class: "warnings", "aria-labelledby": "decision-warnings" },
    h("h3", { id: "decision-warnings" }, h("span", { "aria-hidden": "true" }, "⚠ "), `Warnings (${warnings.length})`),
    h("ul", {}, warnings.map((warning) =>
      h("li", { class: "warnings__item", dataset: { code: warning.code } },
        h("strong", {}, term("WarningCode", warning.code)), ": ", warning.message))));
}

function renderSummary(decision) {
  const policy = decision.policy;
  return h("section", { class: "decision__summary", "aria-labelledby": "decision-facts" },
    h("h3", { id: "decision-facts" }, "Decision record"),
    definitions([
      ["Policy applied", policy ? `${policy.code}${policy.name ? ` — ${policy.name}` : ""}` : "none recorded"],
      ["Routes the policy accepts", policy ? policy.routes.map((route) => route.label).join("; ") || "domestic bodies only" : null],
      (decision.routes || []).length > 1
        ? ["Routes that passed", h("ol", { class: "routes" }, decision.routes.map((route, index) =>
          h("li", {}, `requirement ${index + 1}: `, routeTerm(route))))]
        : ["Route that passed", decision.route ? routeTerm(decision.route) : "none"],
      ["Assurance", decision.assurance ? `${assurance(decision.assurance).label}: ${assurance(decision.assurance).explanation}` : null],
      ["Policy's document type", policy ? term("AttestationType", policy.requiredType) : null],
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
  const requirements = requirementsOf(decision);
  if (!requirements.length) {
    return h("section", { class: "decision__path", "aria-labelledby": "decision-path" }, heading,
      h("ol", { class: "chain" }, decision.path.map((link) => renderLink(link, decision))));
  }
  // Several requirements: the policy's own links first, then each requirement's chain under its heading.
  const own = decision.path.filter((link) => link.requirement === null || link.requirement === undefined);
  return h("section", { class: "decision__path", "aria-labelledby": "decision-path" }, heading,
    own.length ? h("ol", { class: "chain" }, own.map((link) => renderLink(link, decision))) : null,
    requirements.map((index) => h("section", { class: "requirement", dataset: { requirement: String(index) },
      "aria-labelledby": `path-requirement-${index}` },
    h("h4", { class: "requirement__title", id: `path-requirement-${index}` }, requirementTitle(decision, index)),
    h("ol", { class: "chain" }, decision.path.filter((link) => link.requirement === index)
      .map((link) => renderLink(link, decision))))));
}

function renderLink(link, decision) {
  const holds = link.holds;
  const state = (value) => (value ? term("PathState", value) : null);
  return h("li", { class: `chain__link ${holds ? "chain__link--holds" : "chain__link--fails"}`, dataset: { kind: link.kind } },
    h("div", { class: "chain__head" },
      h("span", { class: "chain__kind" }, describe("PathLinkKind", link.kind).label),
      term("PathLinkKind", link.kind, { label: false }),
      h("span", { class: `chain__holds ${holds ? "is-ok" : "is-bad"}` },
        h("span", { "aria-hidden": "true" }, holds ? "✓ " : "✗ "), holds ? "holds" : "does not hold")),
    h("p", { class: "chain__record" }, link.record),
    definitions([
      ["Record", subjectLink(link)],
      ["Valid", link.validFrom || link.validTo ? period(link.validFrom, link.validTo) : null],
      [`On the issue date${decision.issueDate ? ` (${decision.issueDate})` : ""}`, state(link.statusOnIssue)],
      [`On the clearance date (${decision.clearanceDate})`, state(link.statusOnClearance)],
      ["Confidence", link.confidence ? term("Confidence", link.confidence.toUpperCase()) : null],
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
  const documents = input.attestation ? [input.attestation] : input.attestations || [];
  const presented = documents.length
    ? documents.flatMap((attestation, index) => {
      const which = documents.length > 1 ? ` (document ${index + 1})` : "";
      return [
        [`Document type${which}`, term("AttestationType", attestation.type)],
        [`Issuer${which}`, attestation.issuer],
        [`Issue date${which}`, attestation.issueDate],
        [`Accreditation body named${which}`, attestation.accreditationBody],
        [`Accreditation number${which}`, attestation.accreditationNumber],
        [`Lot on the document${which}`, attestation.lot],
        [`Tests listed${which}`, (attestation.tests || []).join(", ")],
        [`Under accreditation${which}`, attestation.underAccreditation === false ? "no" : "yes"],
      ];
    })
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
