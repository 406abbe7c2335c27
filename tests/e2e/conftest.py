"""One real server for a module: `mra-registry serve` on a fresh database (SQLite, or PostgreSQL when the
suite runs there) holding the scenario fixtures, loaded through the project's own loader."""
from __future__ import annotations

from typing import Iterator

import pytest
import requests
from sqlalchemy.orm import Session

from mra_registry.store.database import make_engine
from mra_registry.store.tokens import Role, create_token
from tests.conftest import SCENARIOS, load
from tests.conftest_server import start_server


class Server:
    def __init__(self, base_url: str, database_url: str):
        self.base_url = base_url
        self.database_url = database_url
        self.http = requests.Session()

    def post(self, query: str, variables: dict | None = None, token: str | None = None, **options):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self.http.post(f"{self.base_url}/graphql", json={"query": query, "variables": variables or {}},
                              headers=headers, timeout=30, **options)

    def token(self, role: Role, scope: str | None = None) -> str:
        engine = make_engine(self.database_url)
        try:
            with Session(engine) as session, session.begin():
                return create_token(session, role, scope)[0]
        finally:
            engine.dispose()

    def version(self) -> int:
        return self.post("{ registryVersion }").json()["data"]["registryVersion"]


@pytest.fixture(scope="module")
def server(new_database, tmp_path_factory) -> Iterator[Server]:
    url = new_database()
    engine = make_engine(url)
    load(engine, SCENARIOS)
    engine.dispose()
    with start_server(url, log_path=tmp_path_factory.mktemp("server") / "server.log") as running:
        yield Server(running.base_url, url)
