"""Run GraphQL operations in-process against a real database (the HTTP transport has its own tests)."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import pytest
from graphql import graphql, parse, validate
from sqlalchemy.orm import Session

from mra_registry.api.context import RequestContext
from mra_registry.api.schema import schema, validation_rules
from mra_registry.api.services import Services
from mra_registry.settings import Settings
from mra_registry.store.tokens import Role, create_token


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
        errors = validate(schema.graphql_schema, document, validation_rules(self.settings))
        if errors:
            return Result(None, [e.formatted for e in errors])
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


@pytest.fixture
def api(scenario_engine, db_url) -> Api:
    return Api(scenario_engine, db_url)
