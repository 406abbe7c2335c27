// The documents presented with a consignment: the form's first document fieldset, and further ones the
// officer adds ("Add a document") or removes, each with the same fields. Sent as ClearanceInput.attestations.

import { h } from "./dom.js";
import { MAX_DOCUMENTS } from "./line.js";

let added = 0; // numbers the ids of added fieldsets (their legends are renumbered, their ids never reused)

export const documentFieldsets = (form) => [...form.querySelectorAll("fieldset.document")];

export function setUpDocuments(form) {
  const button = document.getElementById("add-document");
  button.addEventListener("click", () => {
    const fieldset = addDocument(form);
    fieldset.querySelector("select").focus();
  });
}

function addDocument(form) {
  const fieldsets = documentFieldsets(form);
  const fieldset = fieldsets[0].cloneNode(true);
  added += 1;
  for (const element of fieldset.querySelectorAll("[id]")) element.id = `${element.id}-d${added}`;
  for (const label of fieldset.querySelectorAll("label[for]")) label.htmlFor = `${label.htmlFor}-d${added}`;
  for (const element of fieldset.querySelectorAll("[aria-describedby]")) {
    element.setAttribute("aria-describedby", element.getAttribute("aria-describedby").split(/\s+/)
      .map((id) => `${id}-d${added}`).join(" "));
  }
  for (const element of fieldset.querySelectorAll("input, select, textarea")) {
    element.removeAttribute("aria-invalid");
    if (element.type === "checkbox") element.checked = true;
    else element.value = "";
  }
  for (const slot of fieldset.querySelectorAll(".field__error")) slot.textContent = "";
  const select = fieldset.querySelector("select");
  select.querySelector('option[value=""]').textContent = "Choose the type";
  select.value = "";
  fieldset.append(h("button", { type: "button", class: "button document__remove", onclick: () => removeDocument(form, fieldset) }));
  fieldsets.at(-1).after(fieldset);
  renumber(form);
  return fieldset;
}

function removeDocument(form, fieldset) {
  fieldset.remove();
  renumber(form);
  document.getElementById("add-document").focus();
}

/** Clear: back to the one document the form starts with. */
export function resetDocuments(form) {
  for (const fieldset of documentFieldsets(form).slice(1)) fieldset.remove();
  renumber(form);
}

function renumber(form) {
  const fieldsets = documentFieldsets(form);
  fieldsets.forEach((fieldset, index) => {
    if (index === 0) return;
    fieldset.querySelector("legend").textContent = `Document ${index + 1}`;
    fieldset.querySelector(".document__remove").textContent = `Remove document ${index + 1}`;
  });
  document.getElementById("add-document").disabled = fieldsets.length >= MAX_DOCUMENTS;
}

/** One fieldset's fields, named as the CSV's document columns. */
export function readDocument(fieldset) {
  const value = (name) => fieldset.querySelector(`[name="${name}"]`).value;
  return {
    type: value("type"),
    issuer: value("issuer"),
    issue_date: value("issueDate"),
    accreditation_body: value("accreditationBody"),
    accreditation_number: value("accreditationNumber"),
    attestation_lot: value("attestationLot"),
    tests: value("tests").split(","),
    under_accreditation: fieldset.querySelector('[name="underAccreditation"]').checked,
    credential: fieldset.querySelector('[name="credential"]')?.value || "",
  };
}
