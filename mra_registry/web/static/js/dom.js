// A tiny element builder. Every text from the server goes in as a text node, never as HTML, so a record
// named "<script>" is shown, not run.

/**
 * h("p", { class: "note", onclick: fn, "aria-label": "…" }, "text", childNode, [more, children])
 * Attributes: `class`, `text`, `on<event>` handlers, `dataset` (object), booleans (true sets, false omits),
 * anything else via setAttribute. Children: strings, nodes, arrays of them; null/undefined/false are skipped.
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") element.className = value;
    else if (name === "text") element.textContent = value;
    else if (name === "dataset") Object.assign(element.dataset, value);
    else if (name.startsWith("on") && typeof value === "function") element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, "");
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

function append(parent, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces a container's content. */
export function replace(container, ...children) {
  container.replaceChildren();
  append(container, children);
}

/** A definition list from [term, description] pairs; pairs whose description is empty are left out. */
export function definitions(pairs, className = "facts") {
  return h("dl", { class: className },
    pairs.filter(([, value]) => value !== null && value !== undefined && value !== "")
      .map(([term, value]) => h("div", { class: `${className}__row` }, h("dt", {}, term), h("dd", {}, value))));
}

/**
 * A table with a caption, header cells and rows of cells (strings or nodes), in a wrapper that scrolls
 * sideways on a narrow screen instead of widening the page; the wrapper takes the keyboard focus so
 * that it can be scrolled without a mouse. A row that is already a <tr> (a detail row spanning the
 * columns, say) goes in as it is.
 */
export function table(caption, headers, rows, { className = "table" } = {}) {
  return h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": caption || headers.join(", ") },
    h("table", { class: className },
      caption ? h("caption", {}, caption) : null,
      h("thead", {}, h("tr", {}, headers.map((header) => h("th", { scope: "col" }, header)))),
      h("tbody", {}, rows.map((cells) => (cells instanceof Node ? cells : h("tr", {}, cells.map((cell) => h("td", {}, cell))))))));
}

/** Text that may break after each "_" (GLOBAL_ACI_MRA), so long codes do not widen a narrow column. */
export function breakable(text) {
  return String(text).split("_").flatMap((part, index, parts) => (index < parts.length - 1 ? [`${part}_`, h("wbr")] : [part]));
}
