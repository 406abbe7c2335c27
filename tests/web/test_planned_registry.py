"""On the registry itself, a server with planned execution answers every SCENARIOS.md case exactly as one
without it, for the customs officer's full query and for a whole declaration; a query reaching a dataloader
still gets its answer (from graphql-core)."""
from __future__ import annotations

import dataclasses

import pytest
from starlette.testclient import TestClient

from mra_registry.settings import Settings
from mra_registry.web.app import create_app
from tests.scenario_cases import CASES, to_clearance_input

DECISION = """outcome reason reasons { code message route }
    route { kind arrangement { id code name kind } sector { code name hsPrefixes attestationTypes } }
    path { kind subject record validFrom validTo statusOnIssue statusOnClearance holds confidence sources }
    warnings { code message }
    policy { id code importer name hsPrefixes excludedHsPrefixes requiredType requiredTests maxAgeDays lotMatch
             validFrom validTo routes { kind arrangements } }
    issueDate clearanceDate registryVersion __typename"""
CLEARANCE = f"query($input: ClearanceInput!) {{ clearance(input: $input) {{ {DECISION} }} }}"
DECLARATION = f"query($inputs: [ClearanceInput!]!) {{ clearances(inputs: $inputs) {{ {DECISION} }} }}"
WITH_A_DATALOADER = "query($input: ClearanceInput!) { clearance(input: $input) { outcome policy { code version } } }"


@pytest.fixture
def servers(scenario_engine, db_url):
    def client(planned: bool) -> TestClient:
        settings = dataclasses.replace(Settings.from_env({"MRA_DATABASE_URL": db_url}), planned_execution=planned)
        return TestClient(create_app(settings))

    with client(True) as planned, client(False) as plain:
        yield planned, plain


def answers(servers, query: str, variables: dict) -> tuple[dict, dict]:
    planned, plain = servers
    first, second = (s.post("/graphql", json={"query": query, "variables": variables}) for s in (planned, plain))
    assert first.status_code == second.status_code == 200
    return first.json(), second.json()


def test_every_scenario_is_answered_alike(servers):
    for case in CASES:
        variables = {"input": to_clearance_input(case)}
        for _ in range(2):  # the second request runs the cached document's plan
            planned, plain = answers(servers, CLEARANCE, variables)
            assert planned == plain, case.id
        assert "errors" not in planned, case.id


def test_a_declaration_is_answered_alike(servers):
    variables = {"inputs": [to_clearance_input(case) for case in CASES]}
    answers(servers, DECLARATION, variables)
    planned, plain = answers(servers, DECLARATION, variables)
    assert planned == plain and len(planned["data"]["clearances"]) == len(CASES)


def test_invalid_input_gets_the_same_error(servers):
    line = to_clearance_input(CASES[0]) | {"hsCode": "12"}
    answers(servers, CLEARANCE, {"input": line})
    planned, plain = answers(servers, CLEARANCE, {"input": line})
    assert planned == plain and planned["errors"]


def test_a_query_that_reaches_a_dataloader_is_answered(servers):
    variables = {"input": to_clearance_input(CASES[0])}
    for _ in range(3):
        planned, plain = answers(servers, WITH_A_DATALOADER, variables)
        assert planned == plain and "errors" not in planned


def test_the_registry_remembers_dates_but_never_instants():
    """Date is marked serialized_by_value for dates exactly; DateTime must never be (equal instants in two time zones
    serialise differently)."""
    import datetime

    from mra_registry.api.schema import schema
    from mra_registry.web.planned_execution import _leaf_completer

    date_completer = _leaf_completer(schema.graphql_schema.get_type("Date"), non_null=False)
    assert date_completer.memo is not None
    day = datetime.date(2026, 2, 3)
    assert date_completer(day, None) == "2026-02-03" and date_completer.memo[datetime.date, day] == "2026-02-03"
    assert _leaf_completer(schema.graphql_schema.get_type("DateTime"), non_null=False).memo is None


def test_a_path_steps_confidence_is_named_as_its_member(servers):
    """PathLink.confidence holds a Confidence value ("fixture"); the API names its member (FIXTURE), both ways."""
    seen = set()
    for case in CASES:
        for _ in range(2):  # the second request runs the cached document's plan
            planned, plain = answers(servers, CLEARANCE, {"input": to_clearance_input(case)})
            assert planned == plain and "errors" not in planned, case.id
        seen.update(step["confidence"] for step in planned["data"]["clearance"]["path"])
    assert seen <= {"CONFIRMED", "UNCONFIRMED", "FIXTURE", None} and "FIXTURE" in seen, seen
