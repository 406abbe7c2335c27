// The explorer's schema pane: root fields (queries and mutations) with their arguments and descriptions,
// and any type one click away, read once by introspection.

import { h, replace } from "./dom.js";

export const INTROSPECTION = `query ExplorerIntrospection {
  __schema {
    queryType { name }
    mutationType { name }
    types {
      kind name description
      fields { name description args { name description defaultValue type { ...TypeRef } } type { ...TypeRef } }
      inputFields { name description defaultValue type { ...TypeRef } }
      enumValues { name description }
    }
  }
}
fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }`;

/** [Float!]! and friends, from the nested NON_NULL / LIST wrappers. */
export function typeName(ref) {
  if (!ref) return "";
  if (ref.kind === "NON_NULL") return `${typeName(ref.ofType)}!`;
  if (ref.kind === "LIST") return `[${typeName(ref.ofType)}]`;
  return ref.name;
}

function namedType(ref) {
  return ref.ofType ? namedType(ref.ofType) : ref.name;
}

export class SchemaDocs {
  constructor(container, schema) {
    this.container = container;
    this.types = new Map(schema.types.map((type) => [type.name, type]));
    this.roots = [schema.queryType?.name, schema.mutationType?.name].filter(Boolean);
    this.filter = "";
  }

  setFilter(text) {
    this.filter = text.trim().toLowerCase();
    this.showRoots();
  }

  showRoots() {
    const matches = (name, description) => !this.filter
      || name.toLowerCase().includes(this.filter) || (description || "").toLowerCase().includes(this.filter);
    const sections = this.roots.map((rootName) => {
      const fields = this.types.get(rootName).fields.filter((field) => matches(field.name, field.description));
      return h("section", { class: "docs__root" },
        h("h3", {}, rootName === this.roots[0] ? "Queries" : "Mutations", ` (${fields.length})`),
        h("ul", { class: "docs__fields" }, fields.map((field) => this.fieldItem(field))));
    });
    const types = [...this.types.values()]
      .filter((type) => !type.name.startsWith("__") && !this.roots.includes(type.name) && matches(type.name, type.description))
      .sort((a, b) => a.name.localeCompare(b.name));
    replace(this.container, sections,
      h("section", { class: "docs__root" }, h("h3", {}, `Types (${types.length})`),
        h("ul", { class: "docs__types" }, types.map((type) => h("li", {}, this.typeLink(type.name), ` ${type.kind.toLowerCase().replace("_", " ")}`)))));
  }

  showType(name) {
    const type = this.types.get(name);
    if (!type) return;
    const back = h("button", { type: "button", class: "button button--link", onclick: () => this.showRoots() }, "← all fields and types");
    const members = type.fields || type.inputFields || [];
    replace(this.container, back,
      h("h3", { class: "docs__type-title", tabindex: "-1" }, `${name} `, h("span", { class: "hint" }, type.kind.toLowerCase().replace("_", " "))),
      type.description ? h("p", { class: "docs__description" }, type.description) : null,
      members.length ? h("ul", { class: "docs__fields" }, members.map((field) => this.fieldItem(field))) : null,
      type.enumValues?.length ? h("ul", { class: "docs__enum" }, type.enumValues.map((value) =>
        h("li", {}, h("code", {}, value.name), value.description ? ` — ${value.description}` : ""))) : null);
    this.container.querySelector(".docs__type-title").focus();
  }

  fieldItem(field) {
    const args = field.args?.length
      ? ["(", field.args.map((arg, index) => [index ? ", " : "", `${arg.name}: `, this.typeLink(namedType(arg.type), typeName(arg.type))]), ")"]
      : [];
    return h("li", { class: "docs__field" },
      h("code", {}, h("strong", {}, field.name), args, ": ", this.typeLink(namedType(field.type), typeName(field.type))),
      field.description ? h("p", { class: "docs__description" }, field.description) : null);
  }

  typeLink(name, label = name) {
    const type = this.types.get(name);
    if (!type || type.kind === "SCALAR" && ["String", "Int", "Boolean", "Float", "ID"].includes(name)) return label;
    return h("a", { href: `#type/${name}`, class: "docs__type-link", onclick: (event) => { event.preventDefault(); this.showType(name); } }, label);
  }
}
