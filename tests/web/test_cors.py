"""CORS (issue 13): off by default; with MRA_CORS_ORIGINS, the listed origins may call POST /graphql from a
browser (preflight with content-type and authorization answered), and any other origin gets no CORS header."""
from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from mra_registry.web.cors import ENV, cors_origins
from tests.web.conftest import settings
from tests.web.sample_app import create_app

PORTAL = "https://portal.example.org"
LOCAL = "http://localhost:5173"
OTHER = "https://evil.example.com"
QUERY = {"query": "{ hello }"}


@pytest.fixture
def client_with(monkeypatch):
    clients = []

    def make(origins: str | None) -> TestClient:
        if origins is None:
            monkeypatch.delenv(ENV, raising=False)
        else:
            monkeypatch.setenv(ENV, origins)
        client = TestClient(create_app(settings()))
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


def preflight(client: TestClient, origin: str, headers: str = "content-type, authorization"):
    return client.options("/graphql", headers={"Origin": origin, "Access-Control-Request-Method": "POST",
                                               "Access-Control-Request-Headers": headers})


def cors_headers(response) -> dict[str, str]:
    return {k.lower(): v for k, v in response.headers.items() if k.lower().startswith("access-control-")}


def test_off_by_default_no_cors_headers_anywhere(client_with):
    client = client_with(None)
    assert cors_headers(preflight(client, PORTAL)) == {}
    response = client.post("/graphql", json=QUERY, headers={"Origin": PORTAL})
    assert response.status_code == 200 and cors_headers(response) == {}


def test_a_listed_origin_gets_its_preflight_and_its_answer(client_with):
    client = client_with(f"{PORTAL}, {LOCAL}")
    for origin in (PORTAL, LOCAL):
        response = preflight(client, origin)
        assert response.status_code == 200
        headers = cors_headers(response)
        assert headers["access-control-allow-origin"] == origin
        assert "POST" in headers["access-control-allow-methods"]
        allowed = {h.strip().lower() for h in headers["access-control-allow-headers"].split(",")}
        assert {"content-type", "authorization"} <= allowed
        assert "access-control-allow-credentials" not in headers  # bearer tokens, never cookies
        answer = client.post("/graphql", json=QUERY, headers={"Origin": origin, "Authorization": "Bearer x"})
        assert answer.status_code == 200
        assert answer.headers["access-control-allow-origin"] == origin
        assert "origin" in answer.headers.get("vary", "").lower()


def test_an_origin_off_the_list_gets_no_cors_header(client_with):
    client = client_with(PORTAL)
    for origin in (OTHER, PORTAL + ".evil.example.com", "http://portal.example.org"):
        assert cors_headers(preflight(client, origin)) == {}, origin
        response = client.post("/graphql", json=QUERY, headers={"Origin": origin})
        assert response.status_code == 200  # answered as without CORS: the browser withholds it from the page
        assert cors_headers(response) == {}


def test_a_header_not_allowed_fails_the_preflight(client_with):
    client = client_with(PORTAL)
    response = preflight(client, PORTAL, "content-type, x-secret")
    assert response.status_code == 400


def test_any_origin_with_a_star(client_with):
    client = client_with("*")
    assert cors_headers(preflight(client, OTHER))["access-control-allow-origin"] in ("*", OTHER)


@pytest.mark.parametrize("value", ["https://portal.example.org/", "https://portal.example.org/app", "portal.example.org",
                                   "*, https://portal.example.org"])
def test_a_value_that_is_not_an_origin_is_refused_at_start(value):
    with pytest.raises(ValueError, match=ENV):
        cors_origins({ENV: value})


def test_the_registry_app_over_a_real_server(live_server, db_url_for_cors):
    import requests

    base = live_server(db_url_for_cors, env={ENV: PORTAL})
    response = requests.options(f"{base}/graphql", headers={"Origin": PORTAL, "Access-Control-Request-Method": "POST",
                                                            "Access-Control-Request-Headers": "content-type, authorization"},
                                timeout=10)
    assert response.status_code == 200 and response.headers["access-control-allow-origin"] == PORTAL
    refused = requests.options(f"{base}/graphql", headers={"Origin": OTHER, "Access-Control-Request-Method": "POST"},
                               timeout=10)
    assert cors_headers(refused) == {}
    answer = requests.post(f"{base}/graphql", json={"query": "{ registryVersion }"}, headers={"Origin": PORTAL},
                           timeout=10)
    assert answer.status_code == 200 and answer.headers["access-control-allow-origin"] == PORTAL


@pytest.fixture
def db_url_for_cors(new_database):
    return new_database()
