// The clearance form: read and check the fields (every problem at once), ask `clearance(input:)`, draw the
// decision. A decision is on screen only while it answers the form as submitted: Clear, a new submission
// and a refused one all take it away, and say so.

import { replace } from "./dom.js";
import { renderDecision, verdictAnnouncement } from "./decision.js";
import { documentFieldsets, readDocument, resetDocuments, setUpDocuments } from "./documents.js";
import { setUpCredentialFiles } from "./credential.js";
import { clearErrors, showErrors } from "./form-errors.js";
import { todayIso } from "./format.js";
import { ApiError, graphql } from "./graphql.js";
import { CLEARANCE } from "./queries.js";
import { readLine } from "./line.js";

// makeLine's field names -> the form's inputs (consignment fields by id; a document's by its name).
const CONSIGNMENT_INPUTS = { exporter: "f-exporter", importer: "f-importer", hs_code: "f-hs", lot: "f-lot",
  clearance_date: "f-clearance-date" };
const DOCUMENT_INPUTS = { type: "type", issuer: "issuer", issue_date: "issueDate", accreditation_body: "accreditationBody",
  accreditation_number: "accreditationNumber", attestation_lot: "attestationLot", tests: "tests",
  under_accreditation: "underAccreditation", credential: "credential" };
// The API's input names (in BAD_USER_INPUT messages and extensions.field) -> the same fields.
const API_FIELDS = { exporter: "exporter", importer: "importer", hsCode: "hs_code", lot: "lot",
  clearanceDate: "clearance_date", type: "type", issuer: "issuer", issueDate: "issue_date",
  accreditationBody: "accreditation_body", accreditationNumber: "accreditation_number", tests: "tests",
  underAccreditation: "under_accreditation", credential: "credential" };

export function setUpClearanceForm() {
  const form = document.getElementById("clearance-form");
  const summary = document.getElementById("clearance-errors");
  const status = document.getElementById("clearance-status");
  const output = document.getElementById("decision");
  const live = document.getElementById("verdict-live");
  const submit = form.querySelector("button[type=submit]");
  let pending = null; // the request in flight: a newer submission cancels it, so answers never arrive out of order

  /** No verdict on screen (nor in the live region): `why` is announced instead. */
  const withdraw = (why) => {
    pending?.abort();
    const shown = !output.hidden;
    output.hidden = true;
    replace(output);
    live.textContent = shown || why ? why : "";
  };

  setUpDocuments(form);
  setUpCredentialFiles(form);
  form.elements.clearanceDate.value = todayIso();
  form.addEventListener("reset", () => {
    clearErrors(form, summary);
    status.textContent = "";
    resetDocuments(form);
    withdraw("Form cleared. No decision is shown.");
    // After the browser's own reset: keep the useful defaults.
    queueMicrotask(() => { form.elements.clearanceDate.value = todayIso(); });
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form, summary);
    status.textContent = "";
    const { line: input, problems } = readLine(readFields(form));
    if (problems.length) {
      withdraw("");
      live.textContent = `No decision: ${problems.length === 1 ? "1 field" : `${problems.length} fields`} to correct.`;
      showErrors(summary, problems.map((problem) => ({ input: inputFor(form, problem.field), message: problem.message })));
      return;
    }
    withdraw("");
    pending = new AbortController();
    const controller = pending;
    submit.disabled = true;
    form.setAttribute("aria-busy", "true");
    live.textContent = "Deciding…";
    try {
      const data = await graphql(CLEARANCE, { input }, { signal: controller.signal });
      replace(output, renderDecision(data.clearance, input));
      output.hidden = false;
      live.textContent = verdictAnnouncement(data.clearance);
      const calm = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      output.scrollIntoView({ block: "start", behavior: calm ? "auto" : "smooth" });
    } catch (error) {
      if (error.name === "AbortError") return;
      live.textContent = "No decision: the registry could not decide.";
      status.textContent = explain(form, summary, error, documentOrigins(form));
    } finally {
      if (pending === controller) {
        submit.disabled = false;
        form.removeAttribute("aria-busy");
      }
    }
  });
}

function readFields(form) {
  const value = (id) => document.getElementById(id).value;
  const [first, ...more] = documentFieldsets(form).map(readDocument);
  return {
    exporter: value("f-exporter"),
    importer: value("f-importer"),
    hs_code: value("f-hs"),
    lot: value("f-lot"),
    clearance_date: value("f-clearance-date"),
    ...first,
    more_documents: more,
  };
}

/** For each document sent, the position of the fieldset it came from (empty fieldsets send nothing). */
function documentOrigins(form) {
  return documentFieldsets(form).map((fieldset, index) => [readDocument(fieldset), index])
    .filter(([fields]) => fields.type || fields.issuer || fields.issue_date).map(([, index]) => index);
}

/** "issuer" -> the first document's input; "issuer_3" -> the third's; "exporter" -> the consignment's. */
function inputFor(form, field) {
  if (!field) return null;
  if (CONSIGNMENT_INPUTS[field]) return document.getElementById(CONSIGNMENT_INPUTS[field]);
  const [, name, number] = /^([a-z_]+?)(?:_(\d))?$/.exec(field) || [];
  const fieldset = documentFieldsets(form)[number ? Number(number) - 1 : 0];
  return fieldset && DOCUMENT_INPUTS[name] ? fieldset.querySelector(`[name="${DOCUMENT_INPUTS[name]}"]`) : null;
}

/** A message for the status line; every input error the server names is also put next to its field. */
function explain(form, summary, error, origins) {
  if (!(error instanceof ApiError)) return `Unexpected error: ${error.message}`;
  const named = [];
  for (const graphqlError of error.errors) {
    // "Variable '$input' got invalid value 'XX' at 'input.exporter'; 'XX' is not an ISO 3166-1 …", or an
    // error with extensions.field "input.attestations[1].issueDate" and the message "input.…: why".
    const message = graphqlError.message || "";
    const fromMessage = /at '([^']*)'; (.*)$/.exec(message);
    const path = graphqlError.extensions?.field || fromMessage?.[1] || "";
    const why = fromMessage?.[2] || message.replace(/^[\w.[\]]+: /, "");
    const match = /^input\.(?:attestations?(?:\[(\d+)\])?\.)?(\w+)/.exec(path);
    if (!match || !API_FIELDS[match[2]]) continue;
    const documentIndex = match[1] !== undefined ? origins[Number(match[1])] ?? 0 : 0;
    const isDocumentField = !CONSIGNMENT_INPUTS[API_FIELDS[match[2]]];
    const field = isDocumentField && documentIndex > 0 ? `${API_FIELDS[match[2]]}_${documentIndex + 1}` : API_FIELDS[match[2]];
    named.push({ input: inputFor(form, field), message: why });
  }
  if (named.length) showErrors(summary, named);
  return `The registry could not decide: ${error.message}`;
}
