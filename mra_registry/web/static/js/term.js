// A code shown to people: its plain label, the code itself kept for reference (officers quote it in files),
// and a one-line explanation that appears on hover AND on keyboard focus of the code (a tooltip the code's
// button is described by). Escape hides it again; a tap toggles it on a touch screen.

import { h } from "./dom.js";
import { describe } from "./vocabulary.js";

let made = 0;

/**
 * term("ReasonCode", "LOT_MISMATCH") -> "Lot does not match [LOT_MISMATCH]" with the explanation as a tooltip.
 * `label: false` leaves the label out (for a caller that already shows it).
 */
export function term(kind, code, { label = true } = {}) {
  const { label: text, explanation } = describe(kind, code);
  const id = `term-tip-${++made}`;
  // The tooltip comes first in the markup (it is drawn below the code): the label and the code then read on
  // as one phrase with the text that follows them ("ARRANGEMENT ILAC_MRA").
  return h("span", { class: "term", dataset: { kind, code } },
    h("span", { class: "term__tip", role: "tooltip", id }, explanation ? `${text}: ${explanation}` : text),
    label ? h("span", { class: "term__label" }, text) : null,
    label ? " " : null,
    h("button", { type: "button", class: "term__code", "aria-describedby": id,
      onclick: (event) => event.currentTarget.parentElement.classList.toggle("is-open") }, code));
}

// Escape dismisses the tooltip being read (WCAG 1.4.13) until the focus or the pointer leaves its code.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  for (const open of document.querySelectorAll(".term:hover, .term:focus-within, .term.is-open")) {
    open.classList.add("is-dismissed");
    open.classList.remove("is-open");
  }
});
for (const leaving of ["focusout", "pointerout"]) {
  document.addEventListener(leaving, (event) => {
    const left = event.target.closest?.(".term");
    if (left && !left.contains(event.relatedTarget)) left.classList.remove("is-dismissed");
  });
}
