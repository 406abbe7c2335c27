// A document's signed credential on the officer's page (issue 14): pasted (a compact vc+jwt, or the credential's
// JSON) or read from a file into the same box, sent as AttestationInput.credential. The page reads the
// credential's claims only to fill the fields the officer left empty and to name its signer; whether it holds
// (signature, issuer binding, status) is the registry's answer, read from the decision's reasons, warnings and
// checks. The page verifies nothing itself.

import { definitions, h } from "./dom.js";
import { term } from "./term.js";

const TYPES = { testing: "TESTING", calibration: "CALIBRATION", inspection: "INSPECTION", certification: "PRODUCT_CERTIFICATION" };

function base64UrlJson(part) {
  const text = part.replace(/-/g, "+").replace(/_/g, "/");
  const bytes = Uint8Array.from(atob(text + "=".repeat((4 - (text.length % 4)) % 4)), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

/** What the page reads of a credential (null when it cannot be read: the registry will say why). */
export function credentialClaims(text) {
  const trimmed = String(text || "").trim();
  if (!trimmed) return null;
  try {
    let vc;
    let header = null;
    if (trimmed.startsWith("{")) vc = JSON.parse(trimmed);
    else {
      const parts = trimmed.split(".");
      if (parts.length !== 3) return null;
      header = base64UrlJson(parts[0]);
      vc = base64UrlJson(parts[1]);
      if (vc.vc && !vc.credentialSubject) vc = { ...vc.vc, issuer: vc.vc.issuer || vc.iss };
    }
    const issuer = typeof vc.issuer === "string" ? { id: vc.issuer } : vc.issuer || {};
    const subject = Array.isArray(vc.credentialSubject) ? vc.credentialSubject[0] : vc.credentialSubject || {};
    return {
      signed: header !== null,
      keyId: header?.kid || null,
      algorithm: header?.alg || null,
      issuerId: issuer.id || null,
      issuerName: issuer.name || null,
      issueDate: typeof vc.validFrom === "string" ? vc.validFrom.slice(0, 10) : null,
      type: TYPES[String(subject.attestationType || "").toLowerCase()] || null,
    };
  } catch {
    return null;
  }
}

/** A chosen file's text goes into its document's credential box (delegated: added documents have theirs). */
export function setUpCredentialFiles(form) {
  form.addEventListener("change", async (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || input.name !== "credentialFile" || !input.files?.length) return;
    const box = input.closest("fieldset").querySelector('[name="credential"]');
    box.value = (await input.files[0].text()).trim();
    box.dispatchEvent(new Event("input", { bubbles: true }));
  });
}

const SIGNATURE_FAILS = /signature does not verify|holds no verification key|is not a conformity assessment body|is signed with|cannot be read/;
const BINDING_FAILS = /registered identifier/;
const VALIDITY_FAILS = /revoked its key|not on the credential's issue date|valid until/;

/** The decision's word on each part of the credential: { signature, binding, validity, status } as
 * [state, text], state one of "holds", "fails", "unknown", "unchecked". */
export function credentialVerdict(decision) {
  const codes = (list) => (list || []).map((item) => item.code);
  const invalid = (decision.reasons || []).find((r) => r.code === "CREDENTIAL_INVALID");
  const revoked = codes(decision.reasons).includes("CREDENTIAL_REVOKED") || decision.reason === "CREDENTIAL_REVOKED";
  const notVerified = codes(decision.warnings).includes("CREDENTIAL_NOT_VERIFIED");
  const statusUnknown = codes(decision.warnings).includes("CREDENTIAL_STATUS_UNKNOWN")
    || codes(decision.checks).includes("CREDENTIAL_STATUS_UNKNOWN");
  if (notVerified) {
    const none = ["unchecked", "Not verified: the credential came without a signature the registry verifies (claims read only)"];
    return { signature: none, binding: ["unchecked", "Not verified"], validity: ["unchecked", "Not verified"], status: ["unchecked", "Not verified"] };
  }
  const message = invalid?.message || "";
  const later = ["unchecked", "Not checked (an earlier part failed)"];
  if (invalid && (SIGNATURE_FAILS.test(message) || !(BINDING_FAILS.test(message) || VALIDITY_FAILS.test(message)))) {
    return { signature: ["fails", message], binding: later, validity: later, status: later };
  }
  const signature = ["holds", "Verified against a key the registry holds for the issuer"];
  if (invalid && BINDING_FAILS.test(message)) return { signature, binding: ["fails", message], validity: later, status: later };
  const binding = ["holds", "The credential's issuer is the CAB's registered identifier"];
  if (invalid) return { signature, binding, validity: ["fails", message], status: later };
  const validity = ["holds", "The key and the credential were valid on the dates"];
  if (revoked) {
    const reason = (decision.reasons || []).find((r) => r.code === "CREDENTIAL_REVOKED");
    return { signature, binding, validity, status: ["fails", reason?.message || "Revoked by its issuer"] };
  }
  if (statusUnknown) return { signature, binding, validity, status: ["unknown", "Unknown: the registry holds no copy of its status list; verify with the issuer"] };
  return { signature, binding, validity, status: ["holds", "Not revoked in the status list the registry holds"] };
}

const MARKS = { holds: "✓", fails: "✗", unknown: "?", unchecked: "–" };
const WORDS = { holds: "holds", fails: "does not hold", unknown: "unknown", unchecked: "not checked" };

function part(label, [state, text]) {
  return [label, h("span", { class: `credential__state credential__state--${state}`, dataset: { state } },
    h("span", { "aria-hidden": "true" }, `${MARKS[state]} `), h("strong", {}, WORDS[state]), `: ${text}`)];
}

/** The section naming each credential's signer and whether it holds; null when no credential was sent. */
export function renderCredentials(decision, input) {
  const documents = input.attestation ? [input.attestation] : input.attestations || [];
  const presented = documents.map((attestation, index) => [attestation, index]).filter(([a]) => a.credential);
  if (!presented.length) return null;
  const verdict = credentialVerdict(decision);
  const linked = (decision.path || []).find((link) => link.kind === "ACCREDITATION" || link.kind === "DESIGNATION");
  return h("section", { class: "credential", "aria-labelledby": "decision-credential" },
    h("h3", { id: "decision-credential" }, presented.length > 1 ? "Signed credentials" : "Signed credential"),
    presented.map(([attestation, index]) => {
      const claims = credentialClaims(attestation.credential) || {};
      const cab = attestation.issuer || linked?.subject?.split(":")[0] || null;
      const signer = [cab ? `${cab}` : "a CAB", claims.issuerName ? ` (${claims.issuerName})` : "",
        claims.issuerId ? `, identifier ${claims.issuerId}` : ""].join("");
      return h("div", { class: "credential__item", dataset: { document: String(index + 1) } },
        documents.length > 1 ? h("h4", {}, `Document ${index + 1}`) : null,
        definitions([
          ["Signed by", h("span", { class: "credential__signer" }, signer)],
          ["Form", claims.signed ? `signed (compact JWS ${claims.algorithm || ""}${claims.keyId ? `, key ${claims.keyId}` : ""})`
            : "unsigned JSON (claims only)"],
          part("Signature", verdict.signature),
          part("Issuer binding", verdict.binding),
          part("Key and dates", verdict.validity),
          part("Status (revocation)", verdict.status),
        ]),
        decision.reason?.startsWith("CREDENTIAL_")
          ? h("p", { class: "credential__reason" }, "Decision: ", term("ReasonCode", decision.reason)) : null);
    }));
}
