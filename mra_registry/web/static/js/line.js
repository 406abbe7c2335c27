// One consignment line in the API's input shape (ClearanceInput), checked before anything is sent.
// Mirrors mra_registry/checking/lines.py (the CLI's `check`), so a line the page accepts the CLI accepts
// too, with the same words for what is wrong.

export const ATTESTATION_TYPES = [
  "TESTING", "CALIBRATION", "MEDICAL_TESTING", "INSPECTION", "PRODUCT_CERTIFICATION", "MS_CERTIFICATION",
  "PERSONS_CERTIFICATION", "RM_CERTIFICATE", "GMP_INSPECTION",
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

function checkDate(value, field) {
  if (!value) return null;
  const parsed = new Date(`${value}T00:00:00Z`);
  // The round trip catches 2026-02-30, which Date would silently roll over into March.
  if (!ISO_DATE.test(value) || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== value) {
    throw new LineError(field, `${field}: '${value}' is not a date (YYYY-MM-DD)`);
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

/**
 * Fields (snake_case, as the CSV columns) -> ClearanceInput. Throws a LineError for the first problem.
 * `tests` is a list of strings; `under_accreditation` true, false or null.
 */
export function makeLine(fields) {
  const text = (name) => String(fields[name] ?? "").trim();
  const line = {};
  for (const field of ["exporter", "importer"]) {
    const code = text(field).toUpperCase();
    // The server knows the ISO list; the page only catches what cannot be a code at all.
    if (!/^[A-Z]{2}$/.test(code)) {
      throw new LineError(field, `${field}: '${text(field)}' is not an ISO 3166-1 alpha-2 country code`);
    }
    line[field] = code;
  }
  const hs = text("hs_code");
  if (!/^\d{6,10}$/.test(hs)) throw new LineError("hs_code", `hs_code: '${hs}' is not an HS code of 6 to 10 digits`);
  line.hsCode = hs;
  if (text("lot")) line.lot = text("lot");
  if (text("clearance_date")) line.clearanceDate = checkDate(text("clearance_date"), "clearance_date");

  const [type, issuer, issueDate] = [text("type"), text("issuer"), text("issue_date")];
  if (type || issuer || issueDate) {
    if (!(type && issuer && issueDate)) {
      const missing = [["type", type], ["issuer", issuer], ["issue_date", issueDate]].find(([, value]) => !value)[0];
      throw new LineError(missing, "a document needs its type, issuer and issue date together");
    }
    const kind = type.toUpperCase();
    if (!ATTESTATION_TYPES.includes(kind)) {
      throw new LineError("type", `type: '${type}' is not one of ${ATTESTATION_TYPES.join(", ")}`);
    }
    const attestation = { type: kind, issuer, issueDate: checkDate(issueDate, "issue_date") };
    if (text("accreditation_body")) attestation.accreditationBody = text("accreditation_body");
    if (text("accreditation_number")) attestation.accreditationNumber = text("accreditation_number");
    // A document normally names the lot it was made for: the consignment's, unless it says otherwise.
    const documentLot = text("attestation_lot") || text("lot");
    if (documentLot) attestation.lot = documentLot;
    const tests = (fields.tests || []).map((test) => String(test).trim()).filter(Boolean);
    if (tests.length) attestation.tests = tests;
    if (fields.under_accreditation === true || fields.under_accreditation === false) {
      attestation.underAccreditation = fields.under_accreditation;
    }
    line.attestation = attestation;
  }
  return line;
}
