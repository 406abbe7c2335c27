"""Build and sign the UNTP Digital Conformity Credentials the tests present (field names as in spec-untp's
data-models/untp-dcc: issuer, validFrom, validUntil, credentialSubject.attestationType, assessmentLevel,
authorisation[].issuingAuthority, assessment[].referenceStandard, assessedProduct[].product.batchNumber,
credentialStatus as a W3C BitstringStatusListEntry)."""
from __future__ import annotations

import json
import warnings

from joserfc import jwk, jws

from tests.credentials import keys as K


def dcc(*, issuer: str = K.L02_IDENTIFIER, valid_from: str = "2025-08-10T09:00:00Z",
        valid_until: str | None = "2026-08-10T00:00:00Z", attestation_type: str = "testing",
        assessment_level: str = "GlobalMRA", tests=("ISO 11290-1", "ISO 6579-1", "ISO 14501"),
        lot: str | None = "S03-LOT", status_index: int | None = K.VALID_STATUS_INDEX,
        status_list: str = K.L02_STATUS_LIST, authority: str | None = "COFRAC",
        reference: str = "https://fixtures.invalid/cofrac/accreditations/COFRAC-T-L02") -> dict:
    subject = {
        "type": ["ConformityAttestation", "Attestation"],
        "id": "https://fixtures.invalid/l02/attestations/2025-0810",
        "name": "Microbiology and aflatoxin M1 in cheese",
        "assessorLevel": "3rdParty",
        "assessmentLevel": assessment_level,
        "attestationType": attestation_type,
        "issuedToParty": {"id": "https://fixtures.invalid/exporters/fr-0001", "name": "Fromagerie d'essai"},
        "assessment": [
            {"id": f"https://fixtures.invalid/l02/attestations/2025-0810/{n}",
             "referenceStandard": {"id": f"https://fixtures.invalid/standards/{t.replace(' ', '-')}", "name": t},
             "conformityTopic": "governance.compliance", "conformance": True,
             **({"assessedProduct": [{"product": {"id": "https://fixtures.invalid/products/comte",
                                                   "name": "Comte cheese", "batchNumber": lot},
                                      "IDverifiedByCAB": True}]} if lot else {})}
            for n, t in enumerate(tests)
        ],
    }
    if authority:
        subject["authorisation"] = [{"type": ["Endorsement"], "id": reference, "name": "Accreditation (testing)",
                                     "issuingAuthority": {"id": "https://fixtures.invalid/cofrac", "name": authority}}]
    vc = {
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://test.uncefact.org/vocabulary/untp/dcc/0.6.0/"],
        "type": ["DigitalConformityCredential", "VerifiableCredential"],
        "id": "https://fixtures.invalid/l02/credentials/2025-0810",
        "issuer": {"type": ["CredentialIssuer"], "id": issuer, "name": "Laboratoire Fromager de Lyon SAS"},
        "validFrom": valid_from,
        "credentialSubject": subject,
    }
    if valid_until:
        vc["validUntil"] = valid_until
    if status_index is not None:
        vc["credentialStatus"] = {"id": f"{status_list}#{status_index}", "type": "BitstringStatusListEntry",
                                  "statusPurpose": "revocation", "statusListIndex": str(status_index),
                                  "statusListCredential": status_list}
    return vc


def sign(vc: dict, private_key: dict = K.L02_KEY_1, kid: str | None = K.L02_KEY_1_ID, alg: str = "EdDSA") -> str:
    """A compact ``vc+jwt``: the credential itself as the JWS payload (W3C VC-JOSE-COSE)."""
    header = {"alg": alg, "typ": "vc+jwt", "cty": "vc"}
    if kid:
        header["kid"] = kid
    payload = json.dumps(vc, separators=(",", ":"), sort_keys=True)
    with warnings.catch_warnings():  # joserfc warns that the name EdDSA is deprecated (RFC 9864)
        warnings.simplefilter("ignore")
        return jws.serialize_compact(header, payload, jwk.import_key(private_key), algorithms=[alg])


def tamper(compact: str) -> str:
    """The same JWS with its signature's last character changed."""
    head, _, signature = compact.rpartition(".")
    return f"{head}.{signature[:-2]}{'A' if signature[-2] != 'A' else 'B'}{signature[-1]}"


# the credentials of issue 14's fixtures (all FR -> JP 040690, L02, issued 2025-08-10, cleared 2025-09-15)
def valid() -> str:
    return sign(dcc())


def revoked() -> str:  # S40
    return sign(dcc(lot="S40-LOT", status_index=K.S40_STATUS_INDEX))


def forged() -> str:
    return sign(dcc(), K.FORGER_KEY)


def wrong_issuer() -> str:
    return sign(dcc(issuer="did:web:fixtures.invalid:someone-else"))


def expired() -> str:
    return sign(dcc(valid_until="2025-09-01T00:00:00Z"))


def claims_differ() -> str:
    return sign(dcc(assessment_level="GovtApproval"))


def revoked_key() -> str:
    return sign(dcc(), K.L02_KEY_0, K.L02_KEY_0_ID)
