"""Clients for the transport tests: the sample schema (sample_app.py) served by the real create_app."""
from __future__ import annotations

import dataclasses
from typing import Callable, Iterator

import pytest
from starlette.testclient import TestClient

from tests.conftest_server import live_server  # noqa: F401  (the real-server fixture, shared with other suites)
from mra_registry.settings import Settings
from tests.web.sample_app import create_app

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"


def settings(**overrides) -> Settings:
    return dataclasses.replace(Settings.from_env({}), **overrides)


@pytest.fixture
def make_client() -> Iterator[Callable[..., TestClient]]:
    """make_client(**settings_overrides, app_options={...}) -> a TestClient with the lifespan running."""
    opened: list[TestClient] = []

    def make(app_options: dict | None = None, **overrides) -> TestClient:
        client = TestClient(create_app(settings(**overrides), **(app_options or {})))
        client.__enter__()
        opened.append(client)
        return client

    yield make
    for client in opened:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client) -> TestClient:
    return make_client()
