"""Every worked case of SCENARIOS.md section 2 (except S40, signed credentials) against the scenario fixtures,
loaded through the project's own loader into a real database (SQLite, or PostgreSQL when the suite runs
there) and read back into a snapshot (the `scenario_snapshot` fixture of tests/conftest.py)."""
from __future__ import annotations

import pytest

from mra_registry.domain.engine import decide
from tests.scenario_cases import CASES, to_consignment

EXPECTED_IDS = ["S01", "S02", "S03", "S04", "S05", "S07", "S08", "S10", "S12", "S14", "S15", "S17", "S18", "S21",
                "S23", "S24", "S26", "S28", "S30", "S32", "S34", "S35", "S37", "S39"]


def test_every_case_of_section_2_but_s40_is_listed():
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
