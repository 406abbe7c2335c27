"""Test databases: every test that asks gets a fresh database at the head migration, on SQLite by default or
on the PostgreSQL server named by MRA_TEST_DATABASE_URL (one fresh database per test, copied from a
migrated template so it stays cheap). The README's test command runs the suite once per backend."""
from __future__ import annotations

import itertools
import os
import shutil
import uuid
from pathlib import Path
from typing import Callable, Iterator

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool
from sqlalchemy.orm import Session

from mra_registry.store.database import database_url, make_engine
from mra_registry.store.migrate import upgrade_to_head

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "data" / "fixtures" / "scenarios.json"
REFERENCE = ROOT / "data" / "reference" / "registry.json"
POSTGRES_URL = os.environ.get("MRA_TEST_DATABASE_URL")


@pytest.fixture(scope="session", autouse=True)
def _network_closed():
    """No test reaches beyond this machine (tests/network_guard.py)."""
    from tests.network_guard import close_the_network, open_the_network

    close_the_network()
    yield
    open_the_network()


def backend_name() -> str:
    return "postgresql" if POSTGRES_URL else "sqlite"


class _SqliteFactory:
    def __init__(self, directory: Path):
        self.directory = directory
        self.template = directory / "template.sqlite3"
        engine = make_engine(f"sqlite:///{self.template}")
        upgrade_to_head(engine)
        engine.dispose()
        self.counter = itertools.count()

    def new(self) -> str:
        path = self.directory / f"db{next(self.counter)}.sqlite3"
        shutil.copyfile(self.template, path)
        return f"sqlite:///{path}"

    def new_empty(self) -> str:
        return f"sqlite:///{self.directory / f'empty{next(self.counter)}.sqlite3'}"

    def close(self) -> None:
        pass


class _PostgresFactory:
    def __init__(self, server_url: str):
        self.server = make_url(database_url(server_url))
        # no pooled connection: the database-fault test restarts PostgreSQL under the session
        self.admin = create_engine(self.server, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        self.prefix = f"mra_test_{uuid.uuid4().hex[:8]}"
        self.template = f"{self.prefix}_template"
        self.created: list[str] = []
        self._create(self.template)
        engine = make_engine(self.url(self.template))
        upgrade_to_head(engine)
        engine.dispose()
        self.counter = itertools.count()

    def url(self, name: str) -> str:
        return self.server.set(database=name).render_as_string(hide_password=False)

    def _create(self, name: str, template: str | None = None) -> None:
        suffix = f" TEMPLATE {template}" if template else ""
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"{suffix}'))
        self.created.append(name)

    def new(self) -> str:
        name = f"{self.prefix}_{next(self.counter)}"
        self._create(name, self.template)
        return self.url(name)

    def new_empty(self) -> str:
        name = f"{self.prefix}_{next(self.counter)}"
        self._create(name)
        return self.url(name)

    def close(self) -> None:
        with self.admin.connect() as connection:
            for name in reversed(self.created):
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


@pytest.fixture(scope="session")
def database_factory(tmp_path_factory):
    factory = _PostgresFactory(POSTGRES_URL) if POSTGRES_URL else _SqliteFactory(tmp_path_factory.mktemp("db"))
    yield factory
    factory.close()


@pytest.fixture(scope="session")
def new_database(database_factory) -> Callable[[], str]:
    """Returns a function that creates a fresh, migrated database and gives its URL."""
    return database_factory.new


@pytest.fixture
def db_url(new_database) -> str:
    return new_database()


@pytest.fixture
def engine(db_url) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


def load(engine: Engine, *paths: Path):
    from mra_registry.store.loading import load_files

    with Session(engine) as session, session.begin():
        return load_files(session, [str(p) for p in paths])


@pytest.fixture
def scenario_engine(engine) -> Engine:
    """A fresh database holding data/fixtures/scenarios.json, loaded through the project's own loader."""
    load(engine, SCENARIOS)
    return engine


@pytest.fixture(scope="session")
def scenario_registry(new_database):
    """The scenario fixtures as loaded into (and read back from) a real database: one per test session."""
    from mra_registry.store.mapping import read_registry

    engine = make_engine(new_database())
    load(engine, SCENARIOS)
    with Session(engine) as session:
        registry = read_registry(session)
    engine.dispose()
    return registry


@pytest.fixture(scope="session")
def scenario_snapshot(scenario_registry):
    from mra_registry.domain.snapshot import Snapshot

    return Snapshot.build(scenario_registry)
