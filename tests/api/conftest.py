"""Run GraphQL operations in-process against a real database (the HTTP transport has its own tests)."""
from __future__ import annotations

import asyncio
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from graphql import get_operation_ast, graphql, parse, specified_rules, validate
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from mra_registry.api.context import RequestContext
from mra_registry.api.schema import request_limits, schema, validation_rules
from mra_registry.api.services import Services
from mra_registry.settings import Settings
from mra_registry.store.database import database_url, make_engine
from mra_registry.store.tokens import Role, create_token
from tests.conftest import SCENARIOS, load


@dataclass
class Result:
    data: Any
    errors: list


class Api:
    def __init__(self, engine, db_url: str):
        self.settings = Settings.from_env({"MRA_DATABASE_URL": db_url})
        self.services = Services.create(self.settings)
        self.services.engine.dispose()
        self.services.engine = engine
        self.services.snapshots.engine = engine
        self.services.snapshots.refresh_if_stale()

    def __call__(self, query: str, variables: dict | None = None, token: str | None = None,
                 authorization: str | None = None, request_id: str = "test-request") -> Result:
        """``authorization`` is the raw header, for the tests of malformed ones; ``token`` sends it as Bearer."""
        if authorization is None and token:
            authorization = f"Bearer {token}"
        context = RequestContext(self.services, request_id=request_id, authorization=authorization)
        document = parse(query)
        # one pass with the specification's rules and ours, as the HTTP transport validates (web/documents.py)
        errors = validate(schema.graphql_schema, document, [*specified_rules, *validation_rules(self.settings)])
        if errors:
            return Result(None, [e.formatted for e in errors])
        operation = get_operation_ast(document)
        checked = request_limits(self.settings)(document, operation, variables) if operation else None
        if checked is not None and checked[1]:  # as the HTTP transport does: refused before anything runs
            return Result(None, [e.formatted for e in checked[1]])
        result = asyncio.run(graphql(schema.graphql_schema, query, variable_values=variables, context_value=context))
        return Result(result.data, [e.formatted for e in result.errors or []])

    def configure(self, settings: Settings) -> None:
        """Run with other settings (limits, batch size): both validation and resolvers read them."""
        self.settings = settings
        self.services.settings = settings

    def token(self, role: Role, scope: str | None = None, **options) -> str:
        with Session(self.services.engine) as session, session.begin():
            token, _ = create_token(session, role, scope, **options)
        return token


@pytest.fixture(scope="session")
def scenario_template(new_database) -> str:
    """One migrated database holding data/fixtures/scenarios.json, loaded once per session through the
    project's own loader; each test gets a copy of it (loading it per test costs a second on PostgreSQL)."""
    url = new_database()
    engine = make_engine(url)
    load(engine, SCENARIOS)
    engine.dispose()  # a PostgreSQL template must have no connections; SQLite checkpoints its WAL
    return url


@pytest.fixture(scope="session")
def _copies(scenario_template):
    made: list[str] = []
    admin = None
    if make_url(database_url(scenario_template)).get_backend_name() == "postgresql":
        # no pool: a connection kept open would not survive the fault tests restarting the server
        admin = create_engine(make_url(database_url(scenario_template)).set(database="postgres"),
                              isolation_level="AUTOCOMMIT", poolclass=NullPool)
    yield admin, made
    if admin is not None:
        with admin.connect() as connection:
            for name in made:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def scenario_db_url(scenario_template, _copies, tmp_path) -> str:
    """A fresh database holding the scenario fixtures, copied from the session's template."""
    admin, made = _copies
    template = make_url(database_url(scenario_template))
    if admin is None:
        path = tmp_path / "scenarios.sqlite3"
        shutil.copyfile(template.database, path)
        return f"sqlite:///{path}"
    name = f"{template.database}_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template.database}"'))
    made.append(name)
    return template.set(database=name).render_as_string(hide_password=False)


@pytest.fixture
def api(scenario_db_url) -> Iterator[Api]:
    engine = make_engine(scenario_db_url)
    yield Api(engine, scenario_db_url)
    engine.dispose()
