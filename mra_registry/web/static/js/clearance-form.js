// The clearance form: read and check the fields, ask `clearance(input:)`, draw the decision.

import { replace } from "./dom.js";
import { renderDecision, verdictAnnouncement } from "./decision.js";
import { todayIso } from "./format.js";
import { ApiError, graphql } from "./graphql.js";
import { CLEARANCE } from "./queries.js";
import { LineError, makeLine } from "./line.js";

// makeLine's field names -> the form's inputs, to put a message next to the input at fault.
const FIELD_INPUTS = {
  exporter: "f-exporter",
  importer: "f-importer",
  hs_code: "f-hs",
  clearance_date: "f-clearance-date",
  type: "f-type",
  issuer: "f-issuer",
  issue_date: "f-issue-date",
};
// The API's input paths (in BAD_USER_INPUT messages) -> the same fields.
const API_FIELDS = {
  exporter: "exporter", importer: "importer", hsCode: "hs_code", clearanceDate: "clearance_date",
  type: "type", issuer: "issuer", issueDate: "issue_date",
};

export function setUpClearanceForm() {
  const form = document.getElementById("clearance-form");
  const status = document.getElementById("clearance-status");
  const output = document.getElementById("decision");
  const live = document.getElementById("verdict-live");
  const submit = form.querySelector("button[type=submit]");
  let pending = null; // the request in flight: a newer submission cancels it, so answers never arrive out of order

  form.elements.clearanceDate.value = todayIso();
  form.addEventListener("reset", () => {
    clearErrors(form);
    status.textContent = "";
    // After the browser's own reset: keep the useful defaults.
    queueMicrotask(() => { form.elements.clearanceDate.value = todayIso(); });
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form);
    let input;
    try {
      input = makeLine(readFields(form));
    } catch (error) {
      if (!(error instanceof LineError)) throw error;
      showFieldError(form, error.field, error.message);
      status.textContent = "Please correct the field marked below.";
      return;
    }
    pending?.abort();
    pending = new AbortController();
    const controller = pending;
    submit.disabled = true;
    form.setAttribute("aria-busy", "true");
    status.textContent = "";
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
      output.hidden = true;
      live.textContent = "";
      status.textContent = explain(form, error);
    } finally {
      if (pending === controller) {
        submit.disabled = false;
        form.removeAttribute("aria-busy");
      }
    }
  });
}

function readFields(form) {
  const value = (name) => form.elements[name].value;
  return {
    exporter: value("exporter"),
    importer: value("importer"),
    hs_code: value("hsCode"),
    lot: value("lot"),
    clearance_date: value("clearanceDate"),
    type: value("type"),
    issuer: value("issuer"),
    issue_date: value("issueDate"),
    accreditation_body: value("accreditationBody"),
    accreditation_number: value("accreditationNumber"),
    attestation_lot: value("attestationLot"),
    tests: value("tests").split(","),
    under_accreditation: form.elements.underAccreditation.checked,
  };
}

/** A message for the status line; input errors named by the server are also put next to their field. */
function explain(form, error) {
  if (!(error instanceof ApiError)) return `Unexpected error: ${error.message}`;
  for (const graphqlError of error.errors) {
    // e.g. "Variable '$input' got invalid value 'XX' at 'input.exporter'; 'XX' is not an ISO 3166-1 ..."
    const match = /at '[^']*?\.?([A-Za-z]+)'; (.*)$/.exec(graphqlError.message || "");
    if (match && API_FIELDS[match[1]]) showFieldError(form, API_FIELDS[match[1]], match[2]);
  }
  return `The registry could not decide: ${error.message}`;
}

function showFieldError(form, field, message) {
  const input = document.getElementById(FIELD_INPUTS[field] || "");
  if (!input) return;
  input.setAttribute("aria-invalid", "true");
  const slot = document.getElementById(`${input.id}-error`);
  if (slot) slot.textContent = message;
  input.focus();
}

function clearErrors(form) {
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
  for (const slot of form.querySelectorAll(".field__error")) slot.textContent = "";
}
