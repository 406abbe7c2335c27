// One consignment line in the API's input shape (ClearanceInput), checked before anything is sent.
// Mirrors mra_registry/checking/lines.py (the CLI's `check`), so a line the page accepts the CLI accepts
// too, with the same words for what is wrong.

import { credentialClaims } from "./credential.js";

export const ATTESTATION_TYPES = [
  "TESTING", "CALIBRATION", "MEDICAL_TESTING", "INSPECTION", "PRODUCT_CERTIFICATION", "MS_CERTIFICATION",
  "PERSONS_CERTIFICATION", "RM_CERTIFICATE", "GMP_INSPECTION", "OFFICIAL_CERTIFICATE",
];

/** A problem with one field of a line; `field` names the fields of makeLine's argument. */
export class LineError extends Error {
  constructor(field, message) {
    super(message);
    this.name = "LineError";
    this.field = field;
  }
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function checkDate(value, field, prefix = "", errorField = field) {
  if (!value) return null;
  const parsed = new Date(`${value}T00:00:00Z`);
  // The round trip catches 2026-02-30, which Date would silently roll over into March.
  if (!ISO_DATE.test(value) || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== value) {
    throw new LineError(errorField, `${prefix}${field}: '${value}' is not a date (YYYY-MM-DD)`);
  }
  return value;
}

/** "yes"/"no" and friends, as the CLI reads them; empty means "not said". */
export function readYesNo(value, field) {
  const lowered = String(value ?? "").trim().toLowerCase();
  if (lowered === "") return null;
  if (["true", "yes", "1", "y"].includes(lowered)) return true;
  if (["false", "no", "0", "n"].includes(lowered)) return false;
  throw new LineError(field, `${field}: '${value}' is not yes or no`);
}

export const DOCUMENT_FIELDS = ["type", "issuer", "issue_date", "accreditation_body", "accreditation_number",
  "attestation_lot", "tests", "under_accreditation"];
export const MAX_DOCUMENTS = 9;

/**
 * Fields (snake_case, as the CSV columns) -> ClearanceInput. Throws a LineError for the first problem.
 * `tests` is a list of strings; `under_accreditation` true, false or null; `more_documents` further documents,
 * each with the document fields (type, issuer, issue_date, …), numbered from 2 as the CSV's _2…_9 columns.
 */
export function makeLine(fields) {
  const { line, problems } = readLine(fields);
  if (problems.length) throw problems[0];
  return line;
}

/** Like makeLine, but every problem of the line at once: { line, problems: [LineError] }. */
export function readLine(fields) {
  const problems = [];
  const attempt = (check) => {
    try { return check(); } catch (error) {
      if (!(error instanceof LineError)) throw error;
      problems.push(error);
      return undefined;
    }
  };
  const text = (name) => String(fields[name] ?? "").trim();
  const line = {};
  for (const field of ["exporter", "importer"]) {
    attempt(() => {
      const code = text(field).toUpperCase();
      // The server knows the ISO list; the page only catches what cannot be a code at all.
      if (!/^[A-Z]{2}$/.test(code)) {
        throw new LineError(field, `${field}: '${text(field)}' is not an ISO 3166-1 alpha-2 country code`);
      }
      line[field] = code;
    });
  }
  attempt(() => {
    const hs = text("hs_code");
    // Dots, spaces and hyphens between the digits (0406.90, 0406 90, 0406-90) are dropped, as the CLI does.
    const digits = hs.replace(/[.\s-]/g, "");
    if (!/^\d{6,10}$/.test(digits)) throw new LineError("hs_code", `hs_code: '${hs}' is not an HS code of 6 to 10 digits`);
    line.hsCode = digits;
  });
  if (text("lot")) line.lot = text("lot");
  if (text("clearance_date")) attempt(() => { line.clearanceDate = checkDate(text("clearance_date"), "clearance_date"); });

  const groups = [{ suffix: "", fields }, ...(fields.more_documents || []).map((more, index) => ({
    suffix: `_${index + 2}`, fields: more,
  }))];
  const documents = [];
  for (const group of groups) {
    const documentProblems = problems.length;
    const attestation = readDocument(group.fields, group.suffix, text("lot"), attempt);
    if (attestation && problems.length === documentProblems) documents.push(attestation);
  }
  if (documents.length === 1) line.attestation = documents[0];
  else if (documents.length) line.attestations = documents;
  return { line, problems };
}

/** One document's fields -> AttestationInput, null when it is left empty; problems go through `attempt`. */
function readDocument(fields, suffix, consignmentLot, attempt) {
  const text = (name) => String(fields[name] ?? "").trim();
  const named = (field) => `${field}${suffix}`;
  const prefix = suffix ? `document ${suffix.slice(1)}: ` : ""; // as the CLI says it
  const credential = text("credential");
  // A credential fills what the officer left empty from its own claims (the registry checks them against it);
  // an empty issuer lets the credential's issuer identifier name the CAB.
  const claims = credential ? credentialClaims(credential) : null;
  const type = text("type") || claims?.type || "";
  const issueDate = text("issue_date") || claims?.issueDate || "";
  const issuer = text("issuer");
  if (!(type || issuer || issueDate || credential)) return null;
  const attestation = {};
  if (credential) attestation.credential = credential;
  attempt(() => {
    if (!(type && (issuer || credential) && issueDate)) {
      const missing = [["type", type], ["issuer", issuer], ["issue_date", issueDate]].find(([, value]) => !value)[0];
      throw new LineError(named(missing), `${prefix}a document needs its type, issuer and issue date together`);
    }
  });
  if (type) {
    attempt(() => {
      const kind = type.toUpperCase();
      if (!ATTESTATION_TYPES.includes(kind)) {
        throw new LineError(named("type"), `${prefix}type: '${type}' is not one of ${ATTESTATION_TYPES.join(", ")}`);
      }
      attestation.type = kind;
    });
  }
  if (issuer || credential) attestation.issuer = issuer;
  if (issueDate) attempt(() => { attestation.issueDate = checkDate(issueDate, "issue_date", prefix, named("issue_date")); });
  if (text("accreditation_body")) attestation.accreditationBody = text("accreditation_body");
  if (text("accreditation_number")) attestation.accreditationNumber = text("accreditation_number");
  // A document normally names the lot it was made for: the consignment's, unless it says otherwise.
  const documentLot = text("attestation_lot") || consignmentLot;
  if (documentLot) attestation.lot = documentLot;
  const tests = (fields.tests || []).map((test) => String(test).trim()).filter(Boolean);
  if (tests.length) attestation.tests = tests;
  if (fields.under_accreditation === true || fields.under_accreditation === false) {
    attestation.underAccreditation = fields.under_accreditation;
  }
  return attestation;
}
