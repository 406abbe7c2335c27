"""SCENARIOS.md S44-S48 against the scenario fixtures loaded through the project's own loader into a real
database (SQLite, or PostgreSQL when the suite runs there) and read back into a snapshot (the
`scenario_snapshot` fixture of tests/conftest.py): AUTH-EG's competence, the list US-TOY-LABS, P-US-9503 and
P-EU-1202-EG as stored and read by the store, not as built in memory."""
from __future__ import annotations

import pytest

from mra_registry.domain.codes import RouteKind
from mra_registry.domain.engine import decide
from tests.scenario_cases_requirements import CASES, case, to_consignment


def test_the_cases_are_s44_to_s48():
    assert [c.id for c in CASES] == ["S44", "S45", "S46", "S47", "S48"]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_scenario(scenario_snapshot, case):
    decision = decide(scenario_snapshot, to_consignment(case))
    assert (decision.outcome, decision.reason) == (case.outcome, case.reason), [r.message for r in decision.reasons]
    assert tuple(r.kind for r in decision.routes) == case.routes
    assert (decision.route.kind if decision.route else None) == (case.routes[0] if case.routes else None)
    assert {w.code for w in decision.warnings} == case.warnings
    assert decision.policy == case.policy
    assert decision.issue_date == case.issue_date and decision.clearance_date == case.clearance_date


def test_s44_reasons_are_per_requirement_and_the_list_route_names_its_list(scenario_snapshot):
    s44 = decide(scenario_snapshot, to_consignment(case("S44")))
    assert [(r.code.value, r.requirement) for r in s44.reasons] == [("OFFICIAL_CERTIFICATE_ROUTE", 0),
                                                                    ("ANY_ROUTE", 1)]
    assert "30" in next(w.message for w in s44.warnings)
    s47 = decide(scenario_snapshot, to_consignment(case("S47")))
    assert s47.route.kind is RouteKind.LIST and s47.route.acceptance_list == "US-TOY-LABS"
