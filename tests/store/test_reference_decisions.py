"""Issue 10, "Done when": with only data/reference/ loaded (real data, no import rules, no laboratories), the
engine never answers from the registry's silence. Loaded through the project's loader into a real database."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from mra_registry.domain.codes import Activity, Assurance, AttestationType, Outcome, ReasonCode
from mra_registry.domain.decision import Attestation, Consignment
from mra_registry.domain.engine import decide
from mra_registry.domain.snapshot import Snapshot
from mra_registry.store.database import make_engine
from mra_registry.store.mapping import read_registry
from tests.conftest import REFERENCE, SCENARIOS, load

DAY = date(2026, 6, 1)


@pytest.fixture(scope="module")
def reference(new_database) -> Snapshot:
    engine = make_engine(new_database())
    load(engine, REFERENCE)
    with Session(engine) as session:
        registry = read_registry(session)
    engine.dispose()
    return Snapshot.build(registry)


def report(issuer: str, body: str | None, issued: date = date(2026, 5, 1)) -> Attestation:
    return Attestation(AttestationType.TESTING, issuer, issued, accreditation_body=body, lot="A")


@pytest.mark.parametrize("exporter, importer, hs", [("GB", "JP", "040690"), ("NZ", "US", "040690"),
                                                    ("CN", "DE", "950300"), ("US", "KR", "851762")])
def test_an_importer_without_recorded_rules_is_undetermined_never_not_required(reference, exporter, importer, hs):
    for attestation in (None, report("LAB-GB-0001", "UKAS")):
        decision = decide(reference, Consignment(exporter, importer, hs, DAY, "A", attestation))
        assert (decision.outcome, decision.reason) == (Outcome.UNDETERMINED, ReasonCode.NO_POLICY_RECORDED)
        assert [check.code for check in decision.checks] == [ReasonCode.NO_POLICY_RECORDED]


@pytest.mark.parametrize("body", ["UKAS", "COFRAC", "ENAC", None, "NOT-A-BODY"])
def test_a_laboratory_the_registry_does_not_hold_is_never_invalid(reference, body):
    for importer in ("JP", "DE", "US"):
        decision = decide(reference, Consignment("GB", importer, "040690", DAY, "A", report("LAB-GB-0001", body)))
        assert decision.outcome is not Outcome.INVALID, (importer, body, decision.reasons)


def test_an_intra_eu_movement_is_not_required_with_confirmed_assurance(reference):
    decision = decide(reference, Consignment("FR", "DE", "040690", DAY, "A", report("LAB-FR-0077", "COFRAC")))
    assert (decision.outcome, decision.reason, decision.assurance) == (
        Outcome.NOT_REQUIRED, ReasonCode.INTRA_UNION, Assurance.CONFIRMED)
    assert decision.checks == ()


def test_no_status_counts_before_its_arrangement_covered_the_activity(reference):
    """UKAS's ILAC status has no recorded start: it holds from ILAC's testing start (2001-01-31), never before."""
    assert reference.signatory_status("UKAS", "ILAC_MRA", Activity.TESTING, date(1995, 3, 1)) == ()
    assert reference.signatory_status("UKAS", "ILAC_MRA", Activity.TESTING, date(2001, 1, 30)) == ()
    (reading,) = reference.signatory_status("UKAS", "ILAC_MRA", Activity.TESTING, date(2001, 1, 31))
    assert reading.valid_from == date(2001, 1, 31) and reading.record.valid_from is None
    # from 2026 the status continues in GLOBAL_ACI_MRA, where UKAS's own record names no activity
    (continued,) = reference.signatory_status("UKAS", "GLOBAL_ACI_MRA", Activity.TESTING, date(2026, 6, 1))
    assert (continued.arrangement, continued.continued_from) == ("GLOBAL_ACI_MRA", "ILAC_MRA")


def test_loading_the_fixtures_over_the_real_registry_is_refused_and_changes_nothing(new_database):
    from mra_registry.store.mapping import registry_version

    engine = make_engine(new_database())
    load(engine, REFERENCE)
    with Session(engine) as session:
        before = registry_version(session)
        ukas = {(s.arrangement, s.activity): s for b in read_registry(session).accreditation_bodies
                if b.code == "UKAS" for s in b.statuses}
    with pytest.raises(Exception) as refused:
        load(engine, SCENARIOS)
    assert "UKAS" in str(refused.value) or "fixture" in str(refused.value).lower()
    with Session(engine) as session:
        assert registry_version(session) == before
        after = {(s.arrangement, s.activity): s for b in read_registry(session).accreditation_bodies
                 if b.code == "UKAS" for s in b.statuses}
    assert after == ukas
    engine.dispose()
