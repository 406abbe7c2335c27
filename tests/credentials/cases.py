"""Issue 14's credential fixtures and the outcome RULES.md gives each (FR -> JP 040690, L02, issued 2025-08-10,
cleared 2025-09-15: S03's consignment). Shared by the engine, HTTP and CLI tests."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable

from mra_registry.domain.codes import AttestationType, Outcome, ReasonCode, WarningCode
from mra_registry.domain.decision import Attestation, Consignment
from tests.credentials import factory


@dataclass(frozen=True)
class CredentialCase:
    id: str
    make: Callable[[], str]
    outcome: Outcome
    reason: ReasonCode
    warnings: frozenset[WarningCode] = frozenset()
    lot: str = "S03-LOT"


CREDENTIAL_CASES = (
    CredentialCase("valid", factory.valid, Outcome.RECOGNISED, ReasonCode.ARRANGEMENT_ROUTE),
    CredentialCase("revoked", factory.revoked, Outcome.INVALID, ReasonCode.CREDENTIAL_REVOKED, lot="S40-LOT"),
    CredentialCase("forged", factory.forged, Outcome.INVALID, ReasonCode.CREDENTIAL_INVALID),
    CredentialCase("wrong-issuer", factory.wrong_issuer, Outcome.INVALID, ReasonCode.CREDENTIAL_INVALID),
    CredentialCase("expired", factory.expired, Outcome.INVALID, ReasonCode.CREDENTIAL_INVALID),
    CredentialCase("claims-differ", factory.claims_differ, Outcome.RECOGNISED, ReasonCode.ARRANGEMENT_ROUTE,
                   frozenset({WarningCode.CREDENTIAL_CLAIM_DIFFERS})),
    CredentialCase("revoked-key", factory.revoked_key, Outcome.INVALID, ReasonCode.CREDENTIAL_INVALID),
)

ISSUED, CLEARED = date(2025, 8, 10), date(2025, 9, 15)


def consignment(credential: str, shipped: str = "S03-LOT", **plain) -> Consignment:
    """S03's consignment presenting ``credential`` with only the plain fields the fixed core requires (type,
    issuer, issue date) unless more are given: the rest comes from the credential's claims."""
    attestation = Attestation(plain.pop("type", AttestationType.TESTING), plain.pop("issuer", "L02"),
                              plain.pop("issue_date", ISSUED), credential=credential, **plain)
    return Consignment("FR", "JP", "040690", CLEARED, shipped, attestation=attestation)


def clearance_input(credential: str, lot: str = "S03-LOT") -> dict:
    return {"exporter": "FR", "importer": "JP", "hsCode": "040690", "clearanceDate": CLEARED.isoformat(), "lot": lot,
            "attestation": {"type": "TESTING", "issuer": "L02", "issueDate": ISSUED.isoformat(),
                            "credential": credential}}
