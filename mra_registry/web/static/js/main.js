// The officer's page: three sections behind a hash router (#clearance, #declaration, #registry/…),
// so each view has a URL, the back button works, and nothing reloads.

import { h } from "./dom.js";
import { allNodes, graphql } from "./graphql.js";
import { ACTIVITIES, AB_CODES, ARRANGEMENT_LIST, CAB_CODES, FIXTURE_PROBE, REGISTRY_VERSION } from "./queries.js";
import { setUpClearanceForm } from "./clearance-form.js";
import { setUpDeclaration } from "./declaration.js";
import { openRecord, setUpRegistryBrowser } from "./browser.js";

const SECTIONS = ["clearance", "declaration", "registry"];

function route({ focus }) {
  const [path, query = ""] = location.hash.replace(/^#/, "").split("?");
  const [section, kind, code] = path.split("/");
  // Another in-page anchor (the skip link's #main) is not a view: stay where we are.
  if (section && !SECTIONS.includes(section)) return;
  const current = section || "clearance";
  for (const name of SECTIONS) document.getElementById(name).hidden = name !== current;
  for (const link of document.querySelectorAll(".tabs__link[data-section]")) {
    if (link.dataset.section === current) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  // After a click on the navigation, keyboard and screen reader users land on the new section's title.
  if (focus && !kind) document.getElementById(`${current}-title`).focus();
  if (current === "registry" && kind) openRecord(kind, decodeURIComponent(code || ""), new URLSearchParams(query));
}

async function showRegistryVersion() {
  const target = document.getElementById("registry-version");
  try {
    const { registryVersion } = await graphql(REGISTRY_VERSION);
    target.textContent = `Registry version ${registryVersion}`;
  } catch (error) {
    target.textContent = "Registry unreachable";
    target.classList.add("is-bad");
  }
}

/** The footer's note on the invented scenario data, only when the server holds it (its laboratory L01). */
async function showFixturesNote() {
  try {
    const { conformityAssessmentBody: probe } = await graphql(FIXTURE_PROBE);
    document.getElementById("fixtures-note").hidden = probe?.confidence !== "FIXTURE";
  } catch {
    // No answer, no claim: the note stays hidden.
  }
}

/** Code suggestions for the issuer and accreditation body inputs; the page works without them. */
async function fillDatalists() {
  const fill = async (id, query, field) => {
    const nodes = await allNodes(query, field);
    document.getElementById(id).replaceChildren(...nodes.map((node) => h("option", { value: node.code }, node.name)));
  };
  await Promise.allSettled([fill("cab-codes", CAB_CODES, "conformityAssessmentBodies"), fill("ab-codes", AB_CODES, "accreditationBodies")]);
}

async function start() {
  for (const name of SECTIONS) document.getElementById(`${name}-title`).setAttribute("tabindex", "-1");
  setUpClearanceForm();
  setUpDeclaration();
  const [arrangements, activities] = await Promise.all([
    allNodes(ARRANGEMENT_LIST, "arrangements").catch(() => []),
    graphql(ACTIVITIES).then((data) => data.__type.enumValues.map((value) => value.name)).catch(() => []),
  ]);
  setUpRegistryBrowser({ arrangements, activities });
  window.addEventListener("hashchange", () => route({ focus: true }));
  route({ focus: false });
  document.body.dataset.ready = "true"; // for tests and scripts: every handler is in place
  showRegistryVersion();
  showFixturesNote();
  fillDatalists();
}

start();
