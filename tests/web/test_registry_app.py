"""create_app() with no schema serves the registry API: its services start and stop with the app, its abuse
limits run in validation, its context gets the request id, and /readyz follows the snapshot."""
from __future__ import annotations

import dataclasses

import pytest
from starlette.testclient import TestClient

from mra_registry.settings import Settings
from mra_registry.web.app import create_app

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
S03 = {"exporter": "FR", "importer": "JP", "hsCode": "040690", "lot": "A1", "clearanceDate": "2025-09-15",
       "attestation": {"type": "TESTING", "issuer": "L02", "issueDate": "2025-08-10", "accreditationBody": "COFRAC",
                       "lot": "A1", "tests": ["ISO 11290-1", "ISO 6579-1", "ISO 14501"]}}


def registry_settings(db_url: str, **overrides) -> Settings:
    return dataclasses.replace(Settings.from_env({"MRA_DATABASE_URL": db_url}), **overrides)


@pytest.fixture
def registry(scenario_engine, db_url):
    with TestClient(create_app(registry_settings(db_url))) as client:
        yield client


def test_a_clearance_is_decided_through_http(registry):
    response = registry.post("/graphql", json={
        "query": "query($input: ClearanceInput!) { clearance(input: $input) { outcome registryVersion } }",
        "variables": {"input": S03},
    })
    assert response.status_code == 200
    assert response.json()["data"]["clearance"]["outcome"] == "RECOGNISED"


def test_the_registry_is_ready_once_started(registry):
    assert registry.get("/readyz").json() == {"status": "ready"}


def test_the_api_abuse_limits_run_in_validation(scenario_engine, db_url):
    aliased = "{ " + " ".join(f"a{n}: __typename" for n in range(4)) + " }"
    with TestClient(create_app(registry_settings(db_url, max_aliases=3))) as client:
        assert client.post("/graphql", json={"query": "{ a: __typename }"}).status_code == 200
        response = client.post("/graphql", json={"query": aliased}, headers={"accept": GRAPHQL_RESPONSE_JSON})
    assert response.status_code == 400
    assert [error["extensions"]["code"] for error in response.json()["errors"]] == ["TOO_MANY_ALIASES"]


def test_readyz_is_503_before_the_services_start(db_url):
    client = TestClient(create_app(registry_settings(db_url)))  # no `with`: the lifespan never ran
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["reason"].startswith("starting")


def test_readyz_is_503_with_a_reason_when_the_registry_cannot_be_read(new_database, database_factory):
    with TestClient(create_app(registry_settings(database_factory.new_empty()))) as client:
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable" and response.json()["reason"]


def test_the_api_decides_which_resolver_exceptions_clients_see(db_url, monkeypatch):
    from mra_registry.api import schema as api
    from mra_registry.web.registry import registry_components

    def expose_error(error: Exception) -> bool:
        return True

    assert registry_components(registry_settings(db_url)).expose_error is getattr(api, "expose_error", None)
    monkeypatch.setattr(api, "expose_error", expose_error, raising=False)
    assert registry_components(registry_settings(db_url)).expose_error is expose_error
    assert create_app(registry_settings(db_url)).state.graphql.expose_error is expose_error


def test_a_batch_too_costly_for_its_size_is_refused_as_a_request_error(scenario_engine, db_url):
    query = "query($lines: [ClearanceInput!]!) { clearances(inputs: $lines) { outcome reason } }"
    with TestClient(create_app(registry_settings(db_url, max_query_cost=21))) as client:
        ten = client.post("/graphql", json={"query": query, "variables": {"lines": [S03] * 10}},
                          headers={"accept": GRAPHQL_RESPONSE_JSON})
        eleven = client.post("/graphql", json={"query": query, "variables": {"lines": [S03] * 11}},
                             headers={"accept": GRAPHQL_RESPONSE_JSON})
    assert ten.status_code == 200 and ten.json()["extensions"]["cost"] == 1 + 10 * 2
    assert eleven.status_code == 400 and "data" not in eleven.json()
    assert [error["extensions"]["code"] for error in eleven.json()["errors"]] == ["QUERY_TOO_COSTLY"]


def test_browsing_while_the_database_is_away_answers_service_unavailable(scenario_engine, db_url, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from mra_registry.api import queries

    def database_away(session):
        raise OperationalError("SELECT version FROM registry_state", {}, ConnectionRefusedError("db:5432"))

    with TestClient(create_app(registry_settings(db_url))) as client:
        monkeypatch.setattr(queries, "registry_version", database_away)
        answer = client.post("/graphql", json={"query": "{ registryVersion }"}).json()
    assert [error["extensions"]["code"] for error in answer["errors"]] == ["SERVICE_UNAVAILABLE"]
    assert "SELECT" not in answer["errors"][0]["message"]
