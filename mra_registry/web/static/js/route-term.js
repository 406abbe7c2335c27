// A recognition route for people: its kind as a code with its plain label and explanation, then what it
// went through (an arrangement and sector, or an importer's list); official-certificate and any-issuer
// routes name nothing more.

import { h } from "./dom.js";
import { term } from "./term.js";

export function routeTerm(route) {
  const through = route.list ? route.list.code
    : route.arrangement ? `${route.arrangement.code}${route.sector ? ` / ${route.sector.code}` : ""}` : "";
  return h("span", { class: "route", dataset: { kind: route.kind } }, term("RouteKind", route.kind), through ? ` ${through}` : "");
}
