"""Every worked case of SCENARIOS.md section 2 (S40 with its signed credential) against the scenario fixtures,
loaded through the project's own loader into a real database (SQLite, or PostgreSQL when the suite runs
there) and read back into a snapshot (the `scenario_snapshot` fixture of tests/conftest.py)."""
from __future__ import annotations

import pytest

from mra_registry.domain.engine import decide
from mra_registry.domain.codes import Assurance, WarningCode
from tests.scenario_cases import CASES, case, to_consignment

EXPECTED_IDS = ["S01", "S02", "S03", "S04", "S05", "S07", "S08", "S10", "S12", "S14", "S15", "S17", "S18", "S21",
                "S23", "S24", "S26", "S28", "S30", "S32", "S34", "S35", "S37", "S39", "S40", "S41", "S42", "S43"]


def test_every_case_of_section_2_is_listed():
    assert [c.id for c in CASES] == EXPECTED_IDS


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_scenario(scenario_snapshot, case):
    decision = decide(scenario_snapshot, to_consignment(case))
    assert (decision.outcome, decision.reason) == (case.outcome, case.reason), [r.message for r in decision.reasons]
    if case.route is None:
        assert decision.route is None
    else:
        assert (decision.route.kind, decision.route.arrangement, decision.route.sector) == (
            case.route.kind, case.route.arrangement, case.route.sector)
    codes = {w.code for w in decision.warnings}
    assert case.warnings <= codes
    assert codes == case.warnings  # RULES.md gives these cases no other warning
    assert decision.issue_date == case.issue_date and decision.clearance_date == case.clearance_date


def test_s42_relies_on_a_status_with_no_known_start_and_says_so(scenario_snapshot):
    decision = decide(scenario_snapshot, to_consignment(case("S42")))
    assert decision.assurance in (Assurance.UNCONFIRMED, Assurance.FIXTURE)
    assert [c.code for c in decision.checks] == [WarningCode.STATUS_START_UNKNOWN]


def test_s41_after_the_reported_start_needs_no_check(scenario_snapshot):
    decision = decide(scenario_snapshot, to_consignment(case("S41")))
    assert decision.checks == ()


@pytest.mark.parametrize("case_id", ["S35", "S43"])
def test_undetermined_cases_say_what_to_verify(scenario_snapshot, case_id):
    decision = decide(scenario_snapshot, to_consignment(case(case_id)))
    assert [c.code for c in decision.checks] == [decision.reason]
    assert decision.route is None and decision.routes == ()
