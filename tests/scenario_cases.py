"""The worked cases of SCENARIOS.md section 2 as data, for every layer's tests (engine, API, end to end).

The fixtures they run against are ``data/fixtures/scenarios.json`` (SCENARIOS.md section 1: invented policies
and laboratories). S40 presents a signed credential (``credential``: a UNTP DCC as a compact vc+jwt, signed by the
test suite with L02's fixture key, tests/credentials).

Unless a case says otherwise (SCENARIOS.md): the consignment's lot equals the attestation's lot, the attestation
bears the accreditation symbol or reference, and it names the accreditation body shown.

``warnings`` lists the warning codes that must be present, derived from RULES.md; every case here is expected to
carry no other warning (``tests/domain/test_scenarios_engine.py`` checks both).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mra_registry.domain.codes import AttestationType, Outcome, ReasonCode, RouteKind, WarningCode
from mra_registry.domain.decision import Attestation, Consignment
from tests.credentials import factory as credential_factory

__all__ = ["ExpectedRoute", "ScenarioCase", "CASES", "case", "to_consignment", "to_clearance_input"]


@dataclass(frozen=True)
class ExpectedRoute:
    kind: RouteKind
    arrangement: str
    sector: str | None = None


@dataclass(frozen=True)
class ScenarioCase:
    id: str
    exporter: str
    importer: str
    hs_code: str
    issue_date: date
    clearance_date: date
    outcome: Outcome
    reason: ReasonCode
    # the attestation
    type: AttestationType
    issuer: str
    accreditation_body: str | None
    lot: str | None = None  # the attestation's lot
    tests: tuple[str, ...] | None = None
    under_accreditation: bool = True
    consignment_lot: str | None = None  # None: the same as the attestation's lot
    # what else the decision must show
    route: ExpectedRoute | None = None
    warnings: frozenset[WarningCode] = frozenset()
    note: str = ""
    credential: str | None = None  # a signed credential presented with the attestation

    @property
    def shipped_lot(self) -> str | None:
        return self.consignment_lot if self.consignment_lot is not None else self.lot


def to_consignment(case: ScenarioCase) -> Consignment:
    return Consignment(
        exporter=case.exporter,
        importer=case.importer,
        hs_code=case.hs_code,
        clearance_date=case.clearance_date,
        lot=case.shipped_lot,
        attestation=Attestation(
            type=case.type,
            issuer=case.issuer,
            issue_date=case.issue_date,
            accreditation_body=case.accreditation_body,
            lot=case.lot,
            tests=case.tests,
            under_accreditation=case.under_accreditation,
            credential=case.credential,
        ),
    )


def to_clearance_input(case: ScenarioCase) -> dict:
    """The case as the GraphQL ``ClearanceInput`` of docs/api.md (camelCase keys, ISO dates, enum names)."""
    attestation = {
        "type": case.type.value,
        "issuer": case.issuer,
        "issueDate": case.issue_date.isoformat(),
        "underAccreditation": case.under_accreditation,
    }
    if case.accreditation_body is not None:
        attestation["accreditationBody"] = case.accreditation_body
    if case.lot is not None:
        attestation["lot"] = case.lot
    if case.tests is not None:
        attestation["tests"] = list(case.tests)
    if case.credential is not None:
        attestation["credential"] = case.credential
    data = {
        "exporter": case.exporter,
        "importer": case.importer,
        "hsCode": case.hs_code,
        "clearanceDate": case.clearance_date.isoformat(),
        "attestation": attestation,
    }
    if case.shipped_lot is not None:
        data["lot"] = case.shipped_lot
    return data


def _d(text: str) -> date:
    return date.fromisoformat(text)


_T = AttestationType
_O = Outcome
_R = ReasonCode
_W = WarningCode
_ARR = RouteKind.ARRANGEMENT
_GOV = RouteKind.GOVERNMENT

CASES: tuple[ScenarioCase, ...] = (
    ScenarioCase("S01", "NZ", "DE", "040690", _d("2026-08-20"), _d("2026-09-10"), _O.NOT_REQUIRED, _R.SPS_EQUIVALENCE,
                 _T.TESTING, "L01", "IANZ", lot="S01-LOT", warnings=frozenset({_W.OFFICIAL_CERTIFICATE_REQUIRED}),
                 note="EU-NZ veterinary agreement covers dairy"),
    ScenarioCase("S02", "FR", "DE", "040690", _d("2026-08-20"), _d("2026-09-01"), _O.NOT_REQUIRED, _R.INTRA_UNION,
                 _T.TESTING, "L02", "COFRAC", lot="S02-LOT", note="both EU members"),
    ScenarioCase("S03", "FR", "JP", "040690", _d("2025-08-10"), _d("2025-09-15"), _O.RECOGNISED, _R.ARRANGEMENT_ROUTE,
                 _T.TESTING, "L02", "COFRAC", lot="S03-LOT", tests=("ISO 11290-1", "ISO 6579-1", "ISO 14501"),
                 route=ExpectedRoute(_ARR, "ILAC_MRA"), note="age 36 <= 180; COFRAC ILAC testing"),
    ScenarioCase("S04", "NZ", "JP", "040690", _d("2025-08-10"), _d("2025-09-01"), _O.RETEST_REQUIRED, _R.OUT_OF_SCOPE,
                 _T.TESTING, "L01", "IANZ", lot="S04-LOT", note="policy needs aflatoxin M1; L01 scope lacks it"),
    ScenarioCase("S05", "US", "SG", "040690", _d("2024-09-01"), _d("2024-10-01"), _O.RETEST_REQUIRED,
                 _R.CAB_ACCREDITATION_NOT_ACTIVE, _T.TESTING, "L03", "A2LA", lot="S05-LOT",
                 note="L03 accreditation ended 2024-06-30"),
    ScenarioCase("S07", "US", "AR", "040690", _d("2023-03-01"), _d("2023-04-01"), _O.RETEST_REQUIRED,
                 _R.AB_NOT_SIGNATORY_FOR_SCOPE, _T.TESTING, "L03", "A2LA", lot="S07-LOT",
                 note="policy accepts IAAC only; A2LA left IAAC 2023-01-01"),
    ScenarioCase("S08", "KG", "AU", "040690", _d("2018-10-01"), _d("2018-11-15"), _O.RETEST_REQUIRED,
                 _R.AB_SUSPENDED_AT_ISSUE, _T.TESTING, "L06", "KCA", lot="S08-LOT",
                 note="KCA ILAC testing suspended; lifted 2018-10-02 (after issue)"),
    ScenarioCase("S10", "PG", "AU", "090111", _d("2017-09-01"), _d("2017-10-01"), _O.RETEST_REQUIRED,
                 _R.AB_SUSPENDED_AT_ISSUE, _T.TESTING, "L07", "PNGLAS", lot="S10-LOT",
                 note="PNGLAS testing suspended from 2017-08-14"),
    ScenarioCase("S12", "GB", "FR", "040690", _d("2020-11-01"), _d("2020-11-20"), _O.NOT_REQUIRED, _R.INTRA_UNION,
                 _T.TESTING, "L16", "UKAS", lot="S12-LOT", note="GB inside the single market until 2020-12-31"),
    ScenarioCase("S14", "GB", "JP", "040690", _d("2026-03-01"), _d("2026-04-01"), _O.RECOGNISED, _R.ARRANGEMENT_ROUTE,
                 _T.TESTING, "L16", "UKAS", lot="S14-LOT", route=ExpectedRoute(_ARR, "GLOBAL_ACI_MRA"),
                 warnings=frozenset({_W.SUCCESSION_APPLIED}),
                 note="policy names ILAC_MRA; issued after 2026-01-01, so evaluated in GLOBAL_ACI_MRA"),
    ScenarioCase("S15", "DE", "US", "851762", _d("2026-05-01"), _d("2026-06-01"), _O.RECOGNISED, _R.GOVERNMENT_ROUTE,
                 _T.TESTING, "L04", "DAkkS", lot="S15-LOT", route=ExpectedRoute(_GOV, "EU_US_MRA", "EU-US-TEL"),
                 note="EU-US MRA telecom annex; L04 designated"),
    ScenarioCase("S17", "DE", "US", "040690", _d("2026-05-01"), _d("2026-05-20"), _O.RETEST_REQUIRED,
                 _R.SECTOR_NOT_COVERED, _T.TESTING, "L19", "DAkkS", lot="S17-LOT",
                 note="the US fixture accepts only government routes; the EU-US MRA has no food annex"),
    ScenarioCase("S18", "DE", "US", "300490", _d("2019-05-01"), _d("2019-08-01"), _O.RETEST_REQUIRED,
                 _R.AUTHORITY_NOT_RECOGNISED_AT_ISSUE, _T.GMP_INSPECTION, "AUTH-DE", None, lot="S18-LOT",
                 note="FDA recognised DE only from 2019-06-26"),
    ScenarioCase("S21", "CH", "DE", "901890", _d("2021-03-01"), _d("2021-04-15"), _O.RECOGNISED, _R.GOVERNMENT_ROUTE,
                 _T.PRODUCT_CERTIFICATION, "L12", "SAS", lot="S21-LOT",
                 route=ExpectedRoute(_GOV, "EU_CH_MRA", "EU-CH-MD"),
                 note="EU-CH medical devices chapter operational on both dates"),
    ScenarioCase("S23", "BW", "ZA", "848180", _d("2019-10-15"), _d("2019-11-01"), _O.RETEST_REQUIRED,
                 _R.AB_NOT_SIGNATORY_FOR_SCOPE, _T.MS_CERTIFICATION, "L09", "SADCAS", lot="S23-LOT",
                 note="SADCAS in the IAF MLA (QMS) only from 2019-11-09"),
    ScenarioCase("S24", "BW", "ZA", "040690", _d("2025-02-01"), _d("2025-02-20"), _O.RETEST_REQUIRED,
                 _R.WRONG_ATTESTATION_TYPE, _T.MS_CERTIFICATION, "L09", "SADCAS", lot="S24-LOT",
                 warnings=frozenset({_W.ATTESTATION_NOT_REQUIRED}),
                 note="an ISO 9001 certificate instead of a test report (used by no requirement: RULES.md warns)"),
    ScenarioCase("S26", "IN", "JP", "382290", _d("2025-03-01"), _d("2025-04-01"), _O.RETEST_REQUIRED,
                 _R.AB_NOT_SIGNATORY_FOR_SCOPE, _T.RM_CERTIFICATE, "L11", "NABL", lot="S26-LOT",
                 note="NABL's RMP recognition is APAC-only; the policy names ILAC only"),
    ScenarioCase("S28", "DE", "CA", "950300", _d("2026-02-01"), _d("2026-03-01"), _O.RETEST_REQUIRED,
                 _R.WRONG_ATTESTATION_TYPE, _T.CALIBRATION, "L13", "DAkkS", lot="S28-LOT",
                 warnings=frozenset({_W.ATTESTATION_NOT_REQUIRED}),
                 note="calibration is not testing (used by no requirement: RULES.md warns)"),
    ScenarioCase("S30", "NZ", "KR", "040690", _d("2026-02-01"), _d("2026-03-01"), _O.RETEST_REQUIRED,
                 _R.ROUTE_NOT_ACCEPTED_FOR_SECTOR, _T.TESTING, "L01", "IANZ", lot="S30-LOT",
                 note="KR accepts no foreign route for food"),
    ScenarioCase("S32", "TW", "US", "851762", _d("2026-01-10"), _d("2026-02-01"), _O.RECOGNISED, _R.GOVERNMENT_ROUTE,
                 _T.TESTING, "L18", "TAF", lot="S32-LOT", route=ExpectedRoute(_GOV, "APEC_TEL_MRA", "APEC-TEL"),
                 note="APEC TEL phase I between US and TW; L18 recognised"),
    ScenarioCase("S34", "CH", "JP", "040690", _d("2026-05-01"), _d("2026-05-20"), _O.INVALID,
                 _R.UNRECOGNISED_ACCREDITATION_BODY, _T.TESTING, "L14", "GASB", lot="S34-LOT",
                 note="GASB is not an accreditation body in the registry"),
    ScenarioCase("S35", "FR", "JP", "040690", _d("2026-05-01"), _d("2026-05-20"), _O.UNDETERMINED,
                 _R.CAB_NOT_RECORDED, _T.TESTING, "LAB-X-9999", None, lot="S35-LOT",
                 note="the issuer is not in the registry; nothing refutes it; no body to evaluate the route on"),
    ScenarioCase("S37", "FR", "JP", "040690", _d("2026-12-01"), _d("2026-11-20"), _O.INVALID, _R.FUTURE_DATED,
                 _T.TESTING, "L02", "COFRAC", lot="S37-LOT", note="issued after the clearance date"),
    ScenarioCase("S39", "NZ", "SG", "040690", _d("2025-06-01"), _d("2025-06-20"), _O.RETEST_REQUIRED, _R.LOT_MISMATCH,
                 _T.TESTING, "L01", "IANZ", lot="A-123", consignment_lot="B-456", note="consignment lot B-456"),
    ScenarioCase("S40", "FR", "JP", "040690", _d("2025-08-10"), _d("2025-09-15"), _O.INVALID, _R.CREDENTIAL_REVOKED,
                 _T.TESTING, "L02", "COFRAC", lot="S40-LOT", credential=credential_factory.revoked(),
                 note="UNTP DCC VC from L02 (testing, GlobalMRA); its entry in L02's status list is set"),
    ScenarioCase("S41", "ES", "JP", "040690", _d("2025-03-01"), _d("2025-04-01"), _O.RECOGNISED, _R.ARRANGEMENT_ROUTE,
                 _T.TESTING, "L21", "ENAC", lot="S41-LOT", tests=("ISO 11290-1", "ISO 6579-1", "ISO 14501"),
                 route=ExpectedRoute(_ARR, "ILAC_MRA"), note="ENAC's ILAC testing status known from 2024-01-01"),
    ScenarioCase("S42", "ES", "JP", "040690", _d("2023-06-01"), _d("2023-07-01"), _O.RECOGNISED, _R.ARRANGEMENT_ROUTE,
                 _T.TESTING, "L21", "ENAC", lot="S42-LOT", tests=("ISO 11290-1", "ISO 6579-1", "ISO 14501"),
                 route=ExpectedRoute(_ARR, "ILAC_MRA"), warnings=frozenset({_W.STATUS_START_UNKNOWN}),
                 note="issued before the registry knows ENAC's status held"),
    ScenarioCase("S43", "ES", "GB", "040690", _d("2025-03-01"), _d("2025-03-20"), _O.UNDETERMINED,
                 _R.STATUS_NOT_RECORDED, _T.INSPECTION, "L22", "ENAC", lot="S43-LOT",
                 note="ENAC's ILAC scope for inspection not recorded"),
)

_BY_ID = {c.id: c for c in CASES}


def case(case_id: str) -> ScenarioCase:
    return _BY_ID[case_id]
