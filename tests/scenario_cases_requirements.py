"""SCENARIOS.md section 2, cases S44-S48 (policies with several requirements, consignments with several documents,
the official-certificate, list and any-issuer routes) as data, for every layer's tests.

Like ``tests/scenario_cases.py`` (whose ``ScenarioCase`` holds one attestation), but each case presents zero or
more documents. The fixtures are ``data/fixtures/scenarios.json``: AUTH-EG and its competence, the list
US-TOY-LABS, P-US-9503 and P-EU-1202-EG (SCENARIOS.md 1.4-1.6, all invented). In S44 the lots of both documents
equal the consignment's; LAB-EG-0042 is deliberately absent from the registry.

``warnings`` lists the warning codes the decision carries, and no other (RULES.md gives these cases no other).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mra_registry.domain.codes import AttestationType, Outcome, ReasonCode, RouteKind, WarningCode
from mra_registry.domain.decision import Attestation, Consignment

__all__ = ["Document", "RequirementsCase", "CASES", "case", "to_consignment", "to_clearance_input"]

AFLATOXINS = "AFLATOXINS-B1-TOTAL"


@dataclass(frozen=True)
class Document:
    type: AttestationType
    issuer: str
    issue_date: date
    accreditation_body: str | None = None
    lot: str | None = None
    tests: tuple[str, ...] | None = None


@dataclass(frozen=True)
class RequirementsCase:
    id: str
    exporter: str
    importer: str
    hs_code: str
    clearance_date: date
    documents: tuple[Document, ...]
    outcome: Outcome
    reason: ReasonCode
    lot: str | None = None  # the consignment's lot
    routes: tuple[RouteKind, ...] = ()  # each requirement's passing route (RECOGNISED only)
    warnings: frozenset[WarningCode] = frozenset()
    policy: str | None = None  # the policy applied
    note: str = ""
    # RULES.md: the issue date of the first requirement's document; None when that requirement has none
    first_requirement_undocumented: bool = False

    @property
    def issue_date(self) -> date | None:
        if self.first_requirement_undocumented or not self.documents:
            return None
        return self.documents[0].issue_date


def to_consignment(case: RequirementsCase) -> Consignment:
    return Consignment(
        exporter=case.exporter, importer=case.importer, hs_code=case.hs_code, clearance_date=case.clearance_date,
        lot=case.lot,
        attestations=tuple(Attestation(type=d.type, issuer=d.issuer, issue_date=d.issue_date,
                                       accreditation_body=d.accreditation_body, lot=d.lot, tests=d.tests)
                           for d in case.documents),
    )


def to_clearance_input(case: RequirementsCase) -> dict:
    """The case as the GraphQL ``ClearanceInput`` (API.md), every document in ``attestations``."""
    documents = []
    for d in case.documents:
        item = {"type": d.type.value, "issuer": d.issuer, "issueDate": d.issue_date.isoformat()}
        if d.accreditation_body is not None:
            item["accreditationBody"] = d.accreditation_body
        if d.lot is not None:
            item["lot"] = d.lot
        if d.tests is not None:
            item["tests"] = list(d.tests)
        documents.append(item)
    data = {"exporter": case.exporter, "importer": case.importer, "hsCode": case.hs_code,
            "clearanceDate": case.clearance_date.isoformat(), "attestations": documents}
    if case.lot is not None:
        data["lot"] = case.lot
    return data


def _d(text: str) -> date:
    return date.fromisoformat(text)


_T, _O, _R, _K, _W = AttestationType, Outcome, ReasonCode, RouteKind, WarningCode

CASES: tuple[RequirementsCase, ...] = (
    RequirementsCase(
        "S44", "EG", "FR", "120242", _d("2026-03-01"),
        (Document(_T.OFFICIAL_CERTIFICATE, "AUTH-EG", _d("2026-02-01"), lot="S44-LOT"),
         Document(_T.TESTING, "LAB-EG-0042", _d("2026-01-20"), lot="S44-LOT", tests=(AFLATOXINS,))),
        _O.RECOGNISED, _R.OFFICIAL_CERTIFICATE_ROUTE, lot="S44-LOT",
        routes=(_K.OFFICIAL_CERTIFICATE, _K.ANY), warnings=frozenset({_W.BORDER_CHECKS}), policy="P-EU-1202-EG",
        note="both requirements met; the laboratory needs no recognition"),
    RequirementsCase(
        "S45", "EG", "FR", "120242", _d("2026-03-01"),
        (Document(_T.TESTING, "LAB-EG-0042", _d("2026-01-20"), lot="S45-LOT", tests=(AFLATOXINS,)),),
        _O.RETEST_REQUIRED, _R.WRONG_ATTESTATION_TYPE, lot="S45-LOT", warnings=frozenset({_W.BORDER_CHECKS}),
        policy="P-EU-1202-EG", first_requirement_undocumented=True, note="the official certificate is missing"),
    RequirementsCase(
        "S46", "CN", "US", "950300", _d("2026-03-01"),
        (Document(_T.TESTING, "L23", _d("2026-02-01"), "CNAS", lot="S46-LOT", tests=("ISO 8124-1",)),),
        _O.RETEST_REQUIRED, _R.NOT_ON_ACCEPTANCE_LIST, lot="S46-LOT", policy="P-US-9503",
        note="L23 is accredited but not on the importer's list"),
    RequirementsCase(
        "S47", "CA", "US", "950300", _d("2026-03-01"),
        (Document(_T.TESTING, "L17", _d("2026-02-01"), "SCC", lot="S47-LOT", tests=("ISO 8124-1",)),),
        _O.RECOGNISED, _R.LIST_ROUTE, lot="S47-LOT", routes=(_K.LIST,), policy="P-US-9503",
        note="L17 on US-TOY-LABS"),
    RequirementsCase(
        "S48", "US", "FR", "120242", _d("2026-03-01"), (), _O.NOT_REQUIRED, _R.NO_REQUIREMENT,
        note="the EU rule names EG only; the EU declares its rules for chapter 12 complete"),
)

_BY_ID = {c.id: c for c in CASES}


def case(case_id: str) -> RequirementsCase:
    return _BY_ID[case_id]
