"""Every SCENARIOS.md case (S40 with its signed credential) through `clearance` on a live server, and all at once through
`clearances`, in input order."""
from __future__ import annotations

import pytest

from tests.scenario_cases import CASES, ScenarioCase

pytestmark = pytest.mark.e2e

SELECTION = """outcome reason reasons { code route } route { kind arrangement { code } sector { code } }
warnings { code } policy { code } issueDate clearanceDate registryVersion path { kind holds }"""
ONE = "query($input: ClearanceInput!) { clearance(input: $input) { %s } }" % SELECTION
MANY = "query($inputs: [ClearanceInput!]!) { clearances(inputs: $inputs) { %s } }" % SELECTION


def as_input(case: ScenarioCase) -> dict:
    attestation = {"type": case.type.value, "issuer": case.issuer, "issueDate": case.issue_date.isoformat(),
                   "underAccreditation": case.under_accreditation}
    if case.accreditation_body:
        attestation["accreditationBody"] = case.accreditation_body
    if case.lot is not None:
        attestation["lot"] = case.lot
    if case.tests is not None:
        attestation["tests"] = list(case.tests)
    if case.credential is not None:
        attestation["credential"] = case.credential
    line = {"exporter": case.exporter, "importer": case.importer, "hsCode": case.hs_code,
            "clearanceDate": case.clearance_date.isoformat(), "attestation": attestation}
    if case.shipped_lot is not None:
        line["lot"] = case.shipped_lot
    return line


def assert_matches(case: ScenarioCase, decision: dict) -> None:
    assert decision["outcome"] == case.outcome.value, (case.id, decision)
    assert decision["reason"] == case.reason.value, (case.id, decision)
    if case.route is None:
        assert decision["route"] is None, case.id
    else:
        route = decision["route"]
        assert route["kind"] == case.route.kind.value and route["arrangement"]["code"] == case.route.arrangement
        assert (route["sector"] or {}).get("code") == case.route.sector, case.id
    assert {w["code"] for w in decision["warnings"]} == {w.value for w in case.warnings}, case.id
    assert decision["clearanceDate"] == case.clearance_date.isoformat()
    assert decision["registryVersion"] == 1


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_each_case_through_clearance(server, case):
    response = server.post(ONE, {"input": as_input(case)})
    assert response.status_code == 200
    body = response.json()
    assert "errors" not in body, body
    assert_matches(case, body["data"]["clearance"])


def test_all_cases_at_once_through_clearances_in_input_order(server):
    response = server.post(MANY, {"inputs": [as_input(c) for c in CASES]})
    body = response.json()
    assert "errors" not in body, body
    decisions = body["data"]["clearances"]
    assert len(decisions) == len(CASES)
    for case, decision in zip(CASES, decisions):
        assert_matches(case, decision)


def test_a_thousand_lines_are_accepted_and_one_more_is_refused(server):
    line = as_input(CASES[0])
    accepted = server.post(MANY, {"inputs": [line] * 1000}).json()
    assert len(accepted["data"]["clearances"]) == 1000
    refused = server.post(MANY, {"inputs": [line] * 1001}).json()
    assert refused.get("data") is None
    assert [e["extensions"]["code"] for e in refused["errors"]] == ["BATCH_TOO_LARGE"]
