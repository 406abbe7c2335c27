// The registry browser: an accreditation body's status history, a conformity assessment body's
// accreditations, scope and designations, and an arrangement's signatories on a chosen date.
// Each look-up is a URL (#registry/ab/KCA, #registry/cab/L18, #registry/arrangement/ILAC_MRA?…), so
// the back button works and a decision's path can link straight to the record a link rests on.

import { definitions, h, replace, table } from "./dom.js";
import { period, plural, todayIso, words } from "./format.js";
import { nodesOf, withAllNodes } from "./graphql.js";
import { ACCREDITATION_BODY, CAB, SIGNATORIES } from "./queries.js";
import { renderTimeline } from "./timeline.js";
import { term } from "./term.js";
import { describe } from "./vocabulary.js";

const result = () => document.getElementById("registry-result");
const status = () => document.getElementById("registry-status");
const live = () => document.getElementById("registry-live");
let lookups = 0; // counts look-ups, so that a slow answer never replaces a newer one

export function setUpRegistryBrowser({ arrangements, activities }) {
  const arrangementSelect = document.getElementById("arrangement-code");
  arrangementSelect.replaceChildren(...arrangements.map((arrangement) =>
    h("option", { value: arrangement.code }, `${arrangement.code} — ${arrangement.name}`)));
  const activitySelect = document.getElementById("arrangement-activity");
  activitySelect.append(...activities.map((activity) => h("option", { value: activity }, describe("Activity", activity).label)));
  document.getElementById("arrangement-date").value = todayIso();

  // Forms only change the URL; the hash router (main.js) then calls openRecord, for one path in.
  onSubmit("ab-form", (form) => `#registry/ab/${encodeURIComponent(form.elements.code.value.trim())}`);
  onSubmit("cab-form", (form) => `#registry/cab/${encodeURIComponent(form.elements.code.value.trim())}`);
  onSubmit("arrangement-form", (form) => {
    const query = new URLSearchParams({ on: form.elements.asOf.value });
    if (form.elements.activity.value) query.set("activity", form.elements.activity.value);
    return `#registry/arrangement/${encodeURIComponent(form.elements.code.value)}?${query}`;
  });
}

function onSubmit(id, toHash) {
  const form = document.getElementById(id);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const code = form.elements.code;
    if (!code.value.trim()) {
      status().textContent = `Enter a code to look up.`;
      code.focus();
      return;
    }
    const hash = toHash(form);
    // The same look-up twice is no hash change: run it directly then (the officer asked again).
    if (location.hash === hash) window.dispatchEvent(new HashChangeEvent("hashchange"));
    else location.hash = hash;
  });
}

/** Shows one record: kind is "ab", "cab" or "arrangement"; params holds the arrangement's on/activity. */
export async function openRecord(kind, code, params) {
  const show = { ab: showAccreditationBody, cab: showCab, arrangement: showSignatories }[kind];
  if (!show || !code) return;
  const ticket = ++lookups;
  status().textContent = "";
  live().textContent = `Looking up ${code}…`;
  result().setAttribute("aria-busy", "true");
  try {
    const content = await show(code, params);
    if (ticket !== lookups) return; // a newer look-up was asked for meanwhile: its answer wins
    replace(result(), content);
    live().textContent = content.dataset.summary || "";
  } catch (error) {
    if (ticket !== lookups) return;
    replace(result());
    live().textContent = "";
    status().textContent = `The registry could not answer: ${error.message}`;
  } finally {
    if (ticket === lookups) result().removeAttribute("aria-busy");
  }
}

function notFound(what, code) {
  return h("p", { class: "notice", dataset: { summary: `No ${what} ${code}.` } },
    `There is no ${what} with the code “${code}” in the registry. Codes are case-sensitive (e.g. DAkkS).`);
}

function provenance(record) {
  return [
    ["Confidence", record.confidence ? term("Confidence", record.confidence) : null],
    ["Sources", record.sources?.length ? h("ul", { class: "sources" }, record.sources.map((source) => h("li", {}, source))) : null],
    ["Note", record.note],
  ];
}

async function showAccreditationBody(code) {
  document.getElementById("ab-code").value = code;
  const { data: { accreditationBody: body }, nodes: statuses } = await withAllNodes(
    ACCREDITATION_BODY, { code }, (data) => data.accreditationBody?.statuses);
  if (!body) return notFound("accreditation body", code);
  const suspended = statuses.filter((record) => record.status === "SUSPENDED").length;
  return h("article", { class: "record", "aria-labelledby": "record-title", dataset: {
    summary: `${body.code}: ${plural(statuses.length, "status record")}, ${suspended} suspended.`,
  } },
  h("h2", { id: "record-title" }, `${body.code} — ${body.name}`),
  definitions([
    ["Economy", body.economy ? `${body.economy.name} (${body.economy.code})` : "not stated by the sources"],
    ["Region", body.region],
    ...provenance(body),
  ]),
  statuses.length ? renderTimeline(statuses, todayIso()) : h("p", {}, "No signatory status is recorded."),
  statuses.length ? table("Status records", ["Arrangement", "Activity", "Standard", "Status", "Valid", "Confidence"],
    statuses.map((record) => [
      record.arrangement.code, record.activity ? term("Activity", record.activity) : "not stated", record.standard || "—",
      statusBadge(record.status), period(record.validFrom, record.validTo) + (record.reportedSince ? ` (reported since ${record.reportedSince})` : ""),
      term("Confidence", record.confidence),
    ])) : null);
}

async function showCab(code) {
  document.getElementById("cab-code").value = code;
  const today = todayIso();
  const { data: { conformityAssessmentBody: cab }, nodes: accreditations } = await withAllNodes(
    CAB, { code, today }, (data) => data.conformityAssessmentBody?.accreditations);
  if (!cab) return notFound("conformity assessment body", code);
  const designations = nodesOf(cab.designations);
  return h("article", { class: "record", "aria-labelledby": "record-title", dataset: {
    summary: `${cab.code}: ${plural(accreditations.length, "accreditation")}, ${plural(cab.designations.totalCount, "designation")}.`,
  } },
  h("h2", { id: "record-title" }, `${cab.code} — ${cab.name}`),
  definitions([
    ["Economy", `${cab.economy.name} (${cab.economy.code})`],
    ["Kinds", h("span", {}, cab.kinds.map((kind, index) => [index ? ", " : "", term("CabKind", kind)]))],
    ...provenance(cab),
  ]),
  h("h3", {}, `Accreditations (${accreditations.length})`),
  accreditations.length
    ? h("ul", { class: "cards" }, accreditations.map((accreditation) => accreditationCard(accreditation, today)))
    : h("p", {}, "No accreditation is recorded: its documents cannot travel by an accreditation route."),
  h("h3", {}, `Designations (${cab.designations.totalCount})`),
  designations.length
    ? table(shownOf(designations, cab.designations.totalCount, "designations"),
      ["Arrangement", "Sector", "For the rules of", "Document types", "Valid"],
      designations.map((designation) => [
        designation.arrangement.code, `${designation.sector.code} — ${designation.sector.name}`, designation.forParty,
        designation.attestationTypes.length
          ? h("span", {}, designation.attestationTypes.map((type, index) => [index ? ", " : "", term("AttestationType", type)]))
          : "every type of the sector",
        period(designation.validFrom, designation.validTo),
      ]))
    : h("p", {}, "Not designated under any government arrangement."));
}

/** A caption when a list is longer than the page shown of it, else none. */
function shownOf(shown, total, what) {
  return shown.length < total ? `The first ${shown.length} of ${total} ${what}` : null;
}

function accreditationCard(accreditation, today) {
  const active = accreditation.activeToday;
  const suspensions = nodesOf(accreditation.suspensions);
  const scope = nodesOf(accreditation.scope);
  return h("li", { class: "card", dataset: { number: accreditation.number } },
    h("h4", { class: "card__title" },
      `${accreditation.accreditationBody.code} ${accreditation.number} · `, term("Activity", accreditation.activity)),
    h("p", { class: `card__state ${active ? "is-ok" : "is-bad"}` },
      h("span", { "aria-hidden": "true" }, active ? "✓ " : "✗ "), active ? `active today (${today})` : `not active today (${today})`),
    definitions([
      ["Accreditation body", `${accreditation.accreditationBody.code} — ${accreditation.accreditationBody.name}`],
      ["Valid", period(accreditation.validFrom, accreditation.validTo)],
      ["Withdrawn on", accreditation.withdrawnOn],
      ["Suspensions", suspensions.length
        ? h("ul", {}, suspensions.map((suspension) =>
          h("li", {}, period(suspension.validFrom, suspension.validTo), suspension.note ? ` — ${suspension.note}` : "")),
        suspensions.length < accreditation.suspensions.totalCount
          ? h("li", {}, `and ${accreditation.suspensions.totalCount - suspensions.length} earlier or later ones`) : null)
        : "none"],
    ]),
    table(shownOf(scope, accreditation.scope.totalCount, "scope items") || "Scope", ["Method or scheme", "Products (HS)"],
      scope.map((item) => [
      item.identifier,
      (item.hsPrefixes.length ? item.hsPrefixes.join(", ") : "every product")
        + (item.excludedHsPrefixes.length ? ` (except ${item.excludedHsPrefixes.join(", ")})` : ""),
    ]), { className: "table table--compact" }));
}

async function showSignatories(code, params) {
  const asOf = params.get("on") || todayIso();
  const activity = params.get("activity") || null;
  const form = document.getElementById("arrangement-form");
  form.elements.code.value = code;
  form.elements.asOf.value = asOf;
  form.elements.activity.value = activity || "";
  const { data: { arrangement }, nodes: records } = await withAllNodes(
    SIGNATORIES, { code, activity, asOf }, (data) => data.arrangement?.signatories);
  if (!arrangement) return notFound("arrangement", code);
  const scope = activity ? `for ${words(activity)}` : "for every activity";
  return h("article", { class: "record", "aria-labelledby": "record-title", dataset: {
    summary: `${arrangement.code} on ${asOf}: ${plural(records.length, "status record")}.`,
  } },
  h("h2", { id: "record-title" }, `${arrangement.code} — ${arrangement.name}`),
  definitions([
    ["Kind", term("ArrangementKind", arrangement.kind)],
    ["In force", arrangement.validFrom || arrangement.validTo ? period(arrangement.validFrom, arrangement.validTo) : null],
    ["Superseded by", arrangement.supersededBy ? `${arrangement.supersededBy.code} on ${arrangement.supersededOn}` : null],
    ["Region", arrangement.region],
    ["Parties", arrangement.parties.length ? arrangement.parties.join(", ") : null],
  ]),
  records.length
    ? table(`Status on ${asOf} ${scope} (${plural(records.length, "record")})`,
      ["Accreditation body", "Economy", "Activity", "Standard", "Status", "Valid"],
      records.map((record) => [
        h("a", { href: `#registry/ab/${encodeURIComponent(record.accreditationBody.code)}` },
          `${record.accreditationBody.code} — ${record.accreditationBody.name}`),
        record.accreditationBody.economy?.code || "—",
        record.activity ? term("Activity", record.activity) : "not stated", record.standard || "—",
        statusBadge(record.status), period(record.validFrom, record.validTo),
      ]), { className: "table table--signatories" })
    : h("p", { class: "notice" }, `No body holds a status in ${arrangement.code} ${scope} on ${asOf}.`));
}

function statusBadge(value) {
  return h("span", { class: `badge badge--status badge--${value.toLowerCase()}`, dataset: { status: value } },
    term("SignatoryStatus", value, { label: false }));
}
