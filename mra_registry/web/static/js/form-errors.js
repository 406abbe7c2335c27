// Every problem of a form at once: each message next to its field (aria-invalid, aria-describedby), and a
// summary above the form linking to each field, focused so that a screen reader reads it first.

import { h, replace } from "./dom.js";

/** errors: [{ input, message }] (input may be null: the message then stands in the summary alone). */
export function showErrors(summary, errors) {
  const listed = [];
  for (const { input, message } of errors) {
    if (input) {
      input.setAttribute("aria-invalid", "true");
      const slot = errorSlot(input);
      slot.textContent = slot.textContent ? `${slot.textContent} ${message}` : message;
    }
    listed.push(h("li", {}, input
      ? h("a", { href: `#${input.id}`, onclick: (event) => { event.preventDefault(); input.focus(); } }, message)
      : message));
  }
  replace(summary,
    h("h2", { class: "error-summary__title", id: `${summary.id}-title` },
      errors.length === 1 ? "There is a problem" : `There are ${errors.length} problems`),
    h("ul", {}, listed));
  summary.setAttribute("aria-labelledby", `${summary.id}-title`);
  summary.hidden = false;
  summary.focus();
}

export function clearErrors(form, summary) {
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
  for (const slot of form.querySelectorAll(".field__error")) slot.textContent = "";
  summary.hidden = true;
  summary.replaceChildren();
}

/** The message slot under an input, made (and tied to the input by aria-describedby) when it has none. */
function errorSlot(input) {
  const id = `${input.id}-error`;
  let slot = document.getElementById(id);
  if (!slot) {
    slot = h("p", { class: "field__error", id });
    input.closest(".field").append(slot);
  }
  const described = (input.getAttribute("aria-describedby") || "").split(/\s+/).filter(Boolean);
  if (!described.includes(id)) input.setAttribute("aria-describedby", [...described, id].join(" "));
  return slot;
}
