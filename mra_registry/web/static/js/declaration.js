// Declaration mode: a CSV of consignments in (uploaded or pasted), decided in ONE `clearances` request,
// a table of verdicts out, and the same table as a CSV file made in the browser.

import { h, replace, table } from "./dom.js";
import { EXAMPLE, INPUT_COLUMNS, OUTPUT_COLUMNS, readDeclaration, toCsv, verdictRecords } from "./csv.js";
import { outcomeClass, plural, todayIso, verdict } from "./format.js";
import { assuranceBadge, sourceList } from "./decision.js";
import { ApiError, graphql } from "./graphql.js";
import { CLEARANCES } from "./queries.js";
import { routeTerm } from "./route-term.js";
import { term } from "./term.js";

export function setUpDeclaration() {
  const form = document.getElementById("declaration-form");
  const file = document.getElementById("csv-file");
  const text = document.getElementById("csv-text");
  const problems = document.getElementById("declaration-problems");
  const result = document.getElementById("declaration-result");
  const live = document.getElementById("declaration-live");
  const download = document.getElementById("csv-download");
  const submit = form.querySelector("button[type=submit]");
  let verdictCsv = null;

  document.getElementById("csv-columns").textContent = INPUT_COLUMNS.join(",");
  document.getElementById("csv-example").addEventListener("click", () => { text.value = EXAMPLE; text.focus(); });

  // An uploaded file is shown in the text area, so what is decided is always what the officer sees.
  file.addEventListener("change", async () => {
    if (file.files.length) text.value = await file.files[0].text();
  });

  download.addEventListener("click", () => {
    if (verdictCsv) saveFile(`verdicts-${todayIso()}.csv`, verdictCsv);
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    verdictCsv = null;
    download.disabled = true;
    showProblems(problems, []);
    const { lines, problems: found } = readDeclaration(text.value);
    if (found.length) {
      result.hidden = true;
      showProblems(problems, found, "Nothing was decided: correct these lines and decide again.");
      return;
    }
    submit.disabled = true;
    live.textContent = `Deciding ${plural(lines.length, "line")}…`;
    try {
      const data = await graphql(CLEARANCES, { inputs: lines.map(({ input }) => input) });
      const records = verdictRecords(lines, data.clearances);
      replace(result, verdictTable(lines, data.clearances));
      result.hidden = false;
      verdictCsv = toCsv(OUTPUT_COLUMNS, records);
      download.disabled = false;
      live.textContent = summary(data.clearances);
    } catch (error) {
      result.hidden = true;
      live.textContent = "";
      showProblems(problems, serverProblems(error, lines), "The registry could not decide this declaration.");
    } finally {
      submit.disabled = false;
    }
  });
}

function summary(decisions) {
  const counts = {};
  for (const decision of decisions) counts[decision.outcome] = (counts[decision.outcome] || 0) + 1;
  const parts = Object.entries(counts).map(([outcome, count]) => `${count} ${verdict(outcome).label}`);
  const checked = decisions.filter((decision) => decision.checks.length).length;
  const verify = checked ? ` ${plural(checked, "line")} to verify before acting.` : "";
  return `${plural(decisions.length, "line")} decided: ${parts.join(", ")}.${verify}`;
}

// Nine columns fit a desktop screen; what to verify before acting (long sentences with addresses) gets
// the whole width, in a row of its own right under its line.
const VERDICT_HEADERS = ["#", "CSV line", "Consignment", "Document", "Verdict", "Reason", "Route", "Warnings", "Assurance"];

function verdictTable(lines, decisions) {
  const rows = lines.flatMap(({ line, input }, index) => {
    const decision = decisions[index];
    const { label, symbol } = verdict(decision.outcome);
    const documents = input.attestation ? [input.attestation] : input.attestations || [];
    const modifier = outcomeClass(decision.outcome);
    const cells = [
      String(index + 1),
      String(line),
      `${input.exporter} → ${input.importer}, HS ${input.hsCode}${input.lot ? `, lot ${input.lot}` : ""}`,
      documents.length
        ? h("ul", { class: "table__documents" }, documents.map((attestation) =>
          h("li", {}, `${attestation.type} from ${attestation.issuer}, issued ${attestation.issueDate}`)))
        : "none",
      h("span", { class: `badge badge--${modifier}`, "data-outcome": decision.outcome },
        h("span", { "aria-hidden": "true" }, `${symbol} `), label),
      h("span", {}, term("ReasonCode", decision.reason, { label: false }), h("br"), decision.reasons[0]?.message || ""),
      (decision.routes || []).length
        ? h("ul", { class: "table__routes" }, decision.routes.map((route) => h("li", {}, routeTerm(route))))
        : "—",
      decision.warnings.length
        ? h("ul", { class: "table__warnings" }, decision.warnings.map((warning) =>
          h("li", { title: warning.message, dataset: { code: warning.code } },
            h("span", { "aria-hidden": "true" }, "⚠ "), term("WarningCode", warning.code))))
        : "—",
      // The word alone: nine columns must fit a desktop screen (the meaning is the badge's tooltip).
      assuranceBadge(decision.assurance, { symbol: false }),
    ];
    const row = h("tr", { class: `table__line table__line--${modifier}`, dataset: { outcome: decision.outcome } },
      cells.map((cell) => h("td", {}, cell)));
    if (!decision.checks.length) return [row];
    return [row, h("tr", { class: `table__checks-row table__checks-row--${modifier}` },
      h("td", { colspan: String(VERDICT_HEADERS.length) },
        h("p", { class: "table__checks-title" }, h("span", { class: "checks__mark", "aria-hidden": "true" }, "?"),
          ` Before acting, verify (line ${index + 1}, CSV line ${line}):`),
        h("ul", { class: "table__checks" }, decision.checks.map((check) =>
          h("li", { dataset: { code: check.code } },
            h("strong", {}, term("CheckCode", check.code)), ": ", check.message,
            check.sources.length ? sourceList(check.sources) : null)))))];
  });
  return table(`Verdicts (${plural(decisions.length, "line")}, registry version ${decisions[0]?.registryVersion ?? "?"})`,
    VERDICT_HEADERS, rows, { className: "table table--verdicts" });
}

/** Server refusals of a line, e.g. "... at 'inputs[3].exporter'; ...", named by the CSV line at fault. */
function serverProblems(error, lines) {
  if (!(error instanceof ApiError) || !error.errors.length) return [error.message];
  return error.errors.map((graphqlError) => {
    // "… at 'inputs[3].exporter'; why" (a variable refused by GraphQL), or "inputs[3].exporter: why" with
    // extensions.field (a value the API refuses itself).
    const message = graphqlError.message || "";
    const match = /at 'inputs\[(\d+)\]\.?([^']*)'; (.*)$/.exec(message)
      || /^inputs\[(\d+)\]\.?([\w.[\]]*): (.*)$/.exec(message);
    if (!match || !lines[Number(match[1])]) return message;
    return `CSV line ${lines[Number(match[1])].line}: ${match[2] || "line"}: ${match[3]}`;
  });
}

function showProblems(container, problems, title = "") {
  container.hidden = !problems.length;
  if (!problems.length) { container.replaceChildren(); return; }
  replace(container,
    h("p", { class: "problems__title" }, h("span", { "aria-hidden": "true" }, "⚠ "), title),
    h("ul", {}, problems.map((problem) => h("li", {}, problem))));
}

// A download made in the browser: the verdicts never go back to the server to become a file.
function saveFile(name, content) {
  const url = URL.createObjectURL(new Blob([content], { type: "text/csv;charset=utf-8" }));
  const link = h("a", { href: url, download: name, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked later, not at once: some browsers read the blob after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
