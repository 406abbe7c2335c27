// CSV in and out, RFC 4180 style (quoted cells may hold the delimiter, quotes and line breaks), and the
// declaration's columns: the same as `mra-registry check --csv` reads and `--output csv` writes.

import { routeLabel } from "./format.js";
import { DOCUMENT_FIELDS, LineError, MAX_DOCUMENTS, makeLine, readYesNo } from "./line.js";

export const INPUT_COLUMNS = [
  "exporter", "importer", "hs_code", "lot", "clearance_date", "type", "issuer", "issue_date",
  "accreditation_body", "accreditation_number", "attestation_lot", "tests", "under_accreditation",
];
// A line may present several documents: a further document's columns are the first's suffixed _2 … _9
// (type_2, issuer_2, issue_date_2, …), as `mra-registry check --csv` reads them.
export const EXTRA_DOCUMENT_COLUMNS = Array.from({ length: MAX_DOCUMENTS - 1 }, (_, index) =>
  DOCUMENT_FIELDS.map((field) => `${field}_${index + 2}`)).flat();
const REQUIRED_COLUMNS = ["exporter", "importer", "hs_code"];

export const OUTPUT_COLUMNS = [
  "line", "exporter", "importer", "hs_code", "lot", "issuer", "type", "issue_date", "outcome", "reason",
  "route", "policy", "warnings", "clearance_date", "registry_version", "assurance", "checks", "explanation",
];

// The delimiters a declaration may use, as `mra-registry check --csv` reads them (mra_registry/checking/
// lines.py): comma, semicolon (what spreadsheets write in most of Europe) or tab, in this order.
export const DELIMITERS = { ",": "comma", ";": "semicolon", "\t": "tab" };
// Within a cell, tests are separated by '|' or by the one of ';' and ',' that is not the file's delimiter:
// ';' in a comma- or tab-separated file, ',' in a semicolon-separated one (as the CLI splits them).
const TEST_SEPARATORS = { ",": /[;|]/, "\t": /[;|]/, ";": /[,|]/ };
// What Python's str.splitlines() ends a line at: the CLI reads the header as the text's first such line.
const LINE_END = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;

/** The cells of the text, split at `delimiter`, and whether a quoted cell is still open at the end. */
function scan(source, delimiter) {
  const rows = [];
  let row = [];
  let cell = "";
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let index = 0; index < source.length; index += 1) {
    const char = source[index];
    if (quoted) {
      if (char === '"' && source[index + 1] === '"') { cell += '"'; index += 1; }
      else if (char === '"') quoted = false;
      else { if (char === "\n") line += 1; cell += char; }
    } else if (char === '"' && cell === "") quoted = true;
    else if (char === delimiter) { row.push(cell); cell = ""; }
    else if (char === "\n" || char === "\r") {
      if (char === "\r" && source[index + 1] === "\n") index += 1;
      row.push(cell);
      rows.push({ line: rowLine, cells: row });
      row = []; cell = "";
      line += 1; rowLine = line;
    } else cell += char;
  }
  if (cell !== "" || row.length || quoted) { row.push(cell); rows.push({ line: rowLine, cells: row }); }
  return { rows, open: quoted ? rowLine : null };
}

/**
 * The delimiter of a declaration, read from its header as the CLI reads it: comma, semicolon or tab, whichever
 * splits the first line into the most known column names (comma when none does better; semicolon before tab).
 */
export function sniffDelimiter(text) {
  const header = text.replace(/^\uFEFF+/, "").split(LINE_END)[0];
  const known = new Set([...INPUT_COLUMNS, ...EXTRA_DOCUMENT_COLUMNS]);
  const score = (delimiter) => (scan(header, delimiter).rows[0]?.cells || [])
    .filter((cell) => known.has(cell.trim())).length;
  let best = ",";
  for (const delimiter of Object.keys(DELIMITERS)) if (score(delimiter) > score(best)) best = delimiter;
  return best;
}

/**
 * Rows of cells, each row with the number of the text line it starts on (for messages). The delimiter is
 * `delimiter`, or the one the header shows (sniffDelimiter) when none is given.
 */
export function parseCsv(text, delimiter = undefined) {
  const source = text.replace(/^\uFEFF+/, ""); // a byte-order mark from a spreadsheet is not part of the header
  const { rows, open } = scan(source, delimiter ?? sniffDelimiter(source));
  if (open !== null) throw new LineError(null, `CSV line ${open}: a quoted cell is never closed`);
  return rows;
}

function quote(value) {
  const text = value === null || value === undefined ? "" : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(header, records) {
  return [header, ...records.map((record) => header.map((column) => record[column]))]
    .map((cells) => cells.map(quote).join(",")).join("\n") + "\n";
}

/**
 * A declaration's text -> { lines: [{ line, input }], problems: [message] }. Every malformed line is
 * reported (not only the first), so a declarant fixes the file in one pass.
 */
export function readDeclaration(text) {
  const delimiter = sniffDelimiter(text);
  const splitTests = (cell) => (cell || "").split(TEST_SEPARATORS[delimiter]);
  let rows;
  try {
    rows = parseCsv(text, delimiter).filter(({ cells }) => cells.some((cell) => cell.trim() !== ""));
  } catch (error) {
    return { lines: [], problems: [error.message] };
  }
  if (!rows.length) return { lines: [], problems: ["The CSV is empty: it needs a header row, then one line per consignment."] };
  const [header, ...body] = rows;
  const names = header.cells.map((name) => name.trim());
  const unknown = names.filter((name) => !INPUT_COLUMNS.includes(name) && !EXTRA_DOCUMENT_COLUMNS.includes(name));
  const missing = REQUIRED_COLUMNS.filter((name) => !names.includes(name));
  if (unknown.length || missing.length) {
    return {
      lines: [],
      problems: [`The header (${DELIMITERS[delimiter]}-separated) must name columns among ${INPUT_COLUMNS.join(", ")}`
        + (unknown.length ? `; unknown: ${unknown.join(", ")}` : "")
        + (missing.length ? `; missing: ${missing.join(", ")}` : "")],
    };
  }
  const lines = [];
  const problems = [];
  for (const { line, cells } of body) {
    if (cells.length > names.length) {
      problems.push(`CSV line ${line}: ${cells.length} cells but the header names ${names.length} columns`);
      continue;
    }
    const row = Object.fromEntries(names.map((name, index) => [name, (cells[index] ?? "").trim()]));
    try {
      lines.push({
        line,
        input: makeLine({
          ...row,
          tests: splitTests(row.tests),
          under_accreditation: readYesNo(row.under_accreditation, "under_accreditation"),
          more_documents: furtherDocuments(row, splitTests),
        }),
      });
    } catch (error) {
      if (!(error instanceof LineError)) throw error;
      problems.push(`CSV line ${line}: ${error.message}`);
    }
  }
  if (!lines.length && !problems.length) problems.push("The CSV has a header but no consignment lines.");
  return { lines, problems };
}

/** The documents of a row's _2 … _9 columns, in order; groups left empty are skipped, as the CLI does. */
function furtherDocuments(row, splitTests) {
  const documents = [];
  for (let n = 2; n <= MAX_DOCUMENTS; n += 1) {
    const group = Object.fromEntries(DOCUMENT_FIELDS.map((field) => [field, row[`${field}_${n}`] || ""]));
    if (!Object.values(group).some(Boolean)) continue;
    documents.push({
      ...group,
      tests: splitTests(group.tests),
      under_accreditation: readYesNo(group.under_accreditation, `under_accreditation_${n}`),
    });
  }
  return documents;
}

/** The verdict table's records, as `mra-registry check --csv --output csv` writes them. */
export function verdictRecords(lines, decisions) {
  return lines.map(({ input }, index) => {
    const decision = decisions[index];
    const attestation = input.attestation || input.attestations?.[0] || {};
    return {
      line: index + 1,
      exporter: input.exporter,
      importer: input.importer,
      hs_code: input.hsCode,
      lot: input.lot || "",
      issuer: attestation.issuer || "",
      type: attestation.type || "",
      issue_date: attestation.issueDate || "",
      outcome: decision.outcome,
      reason: decision.reason,
      // Each requirement's route, as the CLI writes them.
      route: (decision.routes || []).map(routeLabel).join("; "),
      policy: decision.policy?.code || "",
      warnings: decision.warnings.map((warning) => warning.code).join(";"),
      clearance_date: decision.clearanceDate,
      registry_version: decision.registryVersion,
      assurance: decision.assurance,
      // As the CLI writes them: "CODE: message | CODE: message".
      checks: decision.checks.map((check) => `${check.code}: ${check.message}`).join(" | "),
      explanation: decision.reasons[0]?.message || "",
    };
  });
}

export const EXAMPLE = `${INPUT_COLUMNS.join(",")}
FR,JP,040690,A1,2025-09-15,TESTING,L02,2025-08-10,COFRAC,,,ISO 11290-1;ISO 6579-1;ISO 14501,yes
GB,JP,040690,A2,2026-04-01,TESTING,L16,2026-03-01,UKAS,,,ISO 11290-1;ISO 6579-1;ISO 14501,yes
KG,AU,040690,A3,2018-11-15,TESTING,L06,2018-10-01,KCA,,,ISO 11290-1;ISO 6579-1,yes
FR,DE,040690,A4,2026-09-01,TESTING,L02,2026-08-20,COFRAC,,,,
FR,JP,040690,A5,2026-05-20,TESTING,LAB-X-9999,2026-05-01,,,,,
`;
