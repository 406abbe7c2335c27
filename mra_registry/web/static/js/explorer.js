// The query explorer a browser gets at GET /graphql: write a query and its variables, run it, read the
// raw answer (status and JSON, errors included: that is what a client will see), browse the schema.
// Hand-written and small on purpose: it ships in the package and works with no network beyond this server.

import { EXAMPLES } from "./explorer-examples.js";
import { h } from "./dom.js";
import { INTROSPECTION, SchemaDocs } from "./schema-docs.js";

const ENDPOINT = new URL("graphql", document.baseURI).href;
const STORE = "mra-registry.explorer"; // the last query survives a reload, like a scratch pad
const $ = (id) => document.getElementById(id);

async function post(body, token) {
  const headers = { "content-type": "application/json", accept: "application/graphql-response+json, application/json;q=0.9" };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(ENDPOINT, { method: "POST", headers, body: JSON.stringify(body) });
  const text = await response.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* shown as text below */ }
  return { response, text, json };
}

/** The request body from the editor, or an error message for variables that are not a JSON object. */
function readRequest() {
  const body = { query: $("query").value };
  const variables = $("variables").value.trim();
  if (variables) {
    let parsed;
    try { parsed = JSON.parse(variables); } catch (error) { return { error: `Variables are not valid JSON: ${error.message}` }; }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return { error: "Variables must be a JSON object." };
    body.variables = parsed;
  }
  const operationName = $("operation-name").value.trim();
  if (operationName) body.operationName = operationName;
  return { body };
}

async function run() {
  const { body, error } = readRequest();
  const status = $("result-status");
  if (error) {
    status.textContent = error;
    $("result").textContent = "";
    $("variables").focus();
    return;
  }
  save();
  $("run").disabled = true;
  status.textContent = "Running…";
  try {
    const { response, text, json } = await post(body, $("token").value.trim());
    const errors = json?.errors?.length || 0;
    status.textContent = `HTTP ${response.status} ${response.statusText || ""}`.trim()
      + (errors ? ` · ${errors} error(s)` : json?.data ? " · data" : "");
    $("result").textContent = json ? JSON.stringify(json, null, 2) : text;
  } catch {
    status.textContent = "The server could not be reached.";
    $("result").textContent = "";
  } finally {
    $("run").disabled = false;
  }
}

function showCurl() {
  const { body, error } = readRequest();
  const target = $("curl");
  target.hidden = false;
  if (error) { target.textContent = error; return; }
  const quoted = JSON.stringify(body).replaceAll("'", "'\\''");
  target.textContent = `curl -s ${ENDPOINT} \\\n  -H 'content-type: application/json' \\\n  -H 'accept: application/graphql-response+json' \\\n  -d '${quoted}'`;
}

function useExample(id) {
  const example = EXAMPLES.find((candidate) => candidate.id === id);
  $("example-help").textContent = example ? example.help : "";
  if (!example) return;
  $("query").value = example.query;
  $("variables").value = JSON.stringify(example.variables, null, 2);
  $("operation-name").value = "";
}

function save() {
  try {
    localStorage.setItem(STORE, JSON.stringify({ query: $("query").value, variables: $("variables").value }));
  } catch { /* storage may be off: the explorer works without it */ }
}

function restore() {
  try {
    const saved = JSON.parse(localStorage.getItem(STORE) || "null");
    if (saved?.query) {
      $("query").value = saved.query;
      $("variables").value = saved.variables || "";
      return true;
    }
  } catch { /* ignore a damaged entry */ }
  return false;
}

async function loadDocs() {
  const container = $("docs");
  try {
    const { json } = await post({ query: INTROSPECTION });
    if (!json?.data?.__schema) throw new Error(json?.errors?.[0]?.message || "no schema");
    const docs = new SchemaDocs(container, json.data.__schema);
    docs.showRoots();
    $("docs-filter").addEventListener("input", (event) => docs.setFilter(event.target.value));
  } catch (error) {
    container.replaceChildren(h("p", {}, `The schema could not be read by introspection (${error.message}); `,
      "it may be turned off on this server. The SDL is at ", h("a", { href: "schema.graphql" }, "/schema.graphql"), "."));
  }
}

function start() {
  $("example").append(...EXAMPLES.map((example) => h("option", { value: example.id }, example.title)));
  $("example").addEventListener("change", (event) => useExample(event.target.value));
  if (!restore()) {
    $("example").value = EXAMPLES[0].id;
    useExample(EXAMPLES[0].id);
  }
  $("explorer-form").addEventListener("submit", (event) => { event.preventDefault(); run(); });
  $("copy-curl").addEventListener("click", showCurl);
  // Enter in a textarea is a new line; Ctrl+Enter (⌘+Enter) runs, as in other GraphQL tools.
  for (const id of ["query", "variables"]) {
    $(id).addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); run(); }
    });
  }
  document.body.dataset.ready = "true";
  loadDocs();
}

start();
