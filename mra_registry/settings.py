"""The service's settings, read once from the environment at start-up.

Every setting has a documented default; a value that cannot be understood stops the service at start-up
with a message naming the variable, rather than surfacing later as an odd runtime failure.

| variable                    | default                        | meaning                                         |
|-----------------------------|--------------------------------|-------------------------------------------------|
| MRA_DATABASE_URL            | sqlite:///mra-registry.sqlite3 | the registry database                           |
| MRA_MAX_BODY_BYTES          | 1048576 (1 MiB)                | larger request bodies are refused with 413      |
| MRA_MAX_QUERY_TOKENS        | 20000                          | longer GraphQL documents are refused unparsed   |
| MRA_MAX_QUERY_DEPTH         | 15                             | deepest field nesting in one operation          |
| MRA_MAX_ALIASES             | 30                             | aliases in one operation                        |
| MRA_MAX_QUERY_COST          | 50000                          | estimated cost ceiling of one operation         |
| MRA_MAX_BATCH               | 1000                           | most inputs in one `clearances` batch           |
| MRA_MAX_INPUT_LIST          | 1000                           | most items in any other list a request sends    |
| MRA_REQUEST_TIMEOUT_SECONDS | 10                             | time budget of one GraphQL query                |
| MRA_INTROSPECTION           | on                             | whether `__schema`/`__type` queries are allowed |
| MRA_DOCUMENT_CACHE_SIZE     | 1000                           | parsed+validated documents kept (0: no cache)   |
| MRA_PLANNED_EXECUTION       | on                             | run cached queries from a compiled plan         |
| MRA_LOG_LEVEL               | INFO                           | DEBUG, INFO, WARNING, ERROR or CRITICAL         |
| MRA_SNAPSHOT_POLL_SECONDS   | 0.5                            | how often the registry version is checked       |
| MRA_SNAPSHOT_MAX_STALENESS_SECONDS | 30                      | decisions from the last snapshot while the database does not answer, this long |
| MRA_DATABASE_TIMEOUT_SECONDS | 3                             | connect, pool wait, readiness probe; a database slower than this is 'not answering' |
| MRA_STATEMENT_TIMEOUT_SECONDS | 5                            | PostgreSQL statement_timeout of browsing reads  |
| MRA_READ_THREADS            | 4                              | threads running database reads off the event loop |
| MRA_HEADER_TIMEOUT_SECONDS  | 10                             | a request's head must arrive within this time   |
| MRA_BODY_TIMEOUT_SECONDS    | 10                             | a request's body must arrive within this time   |
| MRA_KEEP_ALIVE_SECONDS      | 5                              | idle keep-alive connections are closed after it |
| MRA_RECEIPT_SIGNING_KEY     | (a development key next to a SQLite database) | Ed25519 private JWK, JWK Set or PEM, or a file holding one, that signs decision receipts (docs/receipts.md) |
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from typing import Mapping

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class SettingsError(ValueError):
    """An environment variable holds a value the service cannot use."""


@dataclass(frozen=True)
class Settings:
    database_url: str
    max_body_bytes: int = 1024 * 1024
    max_query_tokens: int = 20_000
    max_query_depth: int = 15
    max_aliases: int = 30
    max_query_cost: int = 50_000
    max_batch: int = 1000
    max_input_list: int = 1000
    request_timeout_seconds: float = 10.0
    introspection: bool = True
    document_cache_size: int = 1000
    # web/planned_execution.py: off runs every query through graphql-core's executor (same answers, slower)
    planned_execution: bool = True
    log_level: str = "INFO"
    # The fallback that keeps a snapshot current when no change notification arrives (api/services.py).
    snapshot_poll_seconds: float = 0.5
    # Faults (api/services.py, store/database.py): how long decisions go on from the last snapshot while the
    # database does not answer, and how long a database may take before it counts as not answering.
    snapshot_max_staleness_seconds: float = 30.0
    database_timeout_seconds: float = 3.0
    statement_timeout_seconds: float = 5.0
    read_threads: int = 4
    # Slow clients (web/protocol.py, web/graphql_http.py).
    header_timeout_seconds: float = 10.0
    body_timeout_seconds: float = 10.0
    keep_alive_seconds: float = 5.0
    # Decision receipts (receipt_keys.py): the key that signs them; None: a development key (SQLite only).
    receipt_signing_key: str | None = field(default=None, repr=False)  # a secret: never in a repr or a log

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if environ is None else environ
        reader = _Reader(env)
        defaults = cls(database_url="")
        return cls(
            database_url=_database_url(env),
            max_body_bytes=reader.integer("MRA_MAX_BODY_BYTES", defaults.max_body_bytes, minimum=1),
            max_query_tokens=reader.integer("MRA_MAX_QUERY_TOKENS", defaults.max_query_tokens, minimum=1),
            max_query_depth=reader.integer("MRA_MAX_QUERY_DEPTH", defaults.max_query_depth, minimum=1),
            max_aliases=reader.integer("MRA_MAX_ALIASES", defaults.max_aliases, minimum=0),
            max_query_cost=reader.integer("MRA_MAX_QUERY_COST", defaults.max_query_cost, minimum=1),
            max_batch=reader.integer("MRA_MAX_BATCH", defaults.max_batch, minimum=1),
            max_input_list=reader.integer("MRA_MAX_INPUT_LIST", defaults.max_input_list, minimum=1),
            request_timeout_seconds=reader.seconds("MRA_REQUEST_TIMEOUT_SECONDS", defaults.request_timeout_seconds),
            introspection=reader.boolean("MRA_INTROSPECTION", defaults.introspection),
            document_cache_size=reader.integer("MRA_DOCUMENT_CACHE_SIZE", defaults.document_cache_size, minimum=0),
            planned_execution=reader.boolean("MRA_PLANNED_EXECUTION", defaults.planned_execution),
            log_level=reader.choice("MRA_LOG_LEVEL", defaults.log_level, LOG_LEVELS),
            snapshot_poll_seconds=reader.seconds("MRA_SNAPSHOT_POLL_SECONDS", defaults.snapshot_poll_seconds),
            snapshot_max_staleness_seconds=reader.seconds("MRA_SNAPSHOT_MAX_STALENESS_SECONDS",
                                                          defaults.snapshot_max_staleness_seconds),
            database_timeout_seconds=reader.seconds("MRA_DATABASE_TIMEOUT_SECONDS", defaults.database_timeout_seconds),
            statement_timeout_seconds=reader.seconds("MRA_STATEMENT_TIMEOUT_SECONDS",
                                                     defaults.statement_timeout_seconds),
            read_threads=reader.integer("MRA_READ_THREADS", defaults.read_threads, minimum=1),
            header_timeout_seconds=reader.seconds("MRA_HEADER_TIMEOUT_SECONDS", defaults.header_timeout_seconds),
            body_timeout_seconds=reader.seconds("MRA_BODY_TIMEOUT_SECONDS", defaults.body_timeout_seconds),
            keep_alive_seconds=reader.seconds("MRA_KEEP_ALIVE_SECONDS", defaults.keep_alive_seconds),
            receipt_signing_key=reader._raw("MRA_RECEIPT_SIGNING_KEY"),
        )


def _database_url(env: Mapping[str, str]) -> str:
    # Imported here so that reading settings does not pull SQLAlchemy into every process that only needs limits.
    from .store.database import DEFAULT_URL, database_url

    explicit = env.get("MRA_DATABASE_URL", "").strip()
    try:
        # Passed explicitly so that a mapping given to from_env() is honoured, not the process environment.
        return database_url(explicit or DEFAULT_URL)
    except Exception as error:  # SQLAlchemy's ArgumentError, among others: say which variable is wrong
        raise SettingsError(f"MRA_DATABASE_URL={explicit!r} is not a database URL: {error}") from error


class _Reader:
    """Reads one variable at a time; an empty value counts as unset (a common slip in compose files)."""

    def __init__(self, env: Mapping[str, str]):
        self.env = env

    def _raw(self, name: str) -> str | None:
        value = self.env.get(name)
        if value is None or not value.strip():
            return None
        return value.strip()

    def integer(self, name: str, default: int, *, minimum: int) -> int:
        raw = self._raw(name)
        if raw is None:
            return default
        try:
            value = int(raw.replace("_", ""))
        except ValueError:
            raise SettingsError(f"{name}={raw!r} is not a whole number") from None
        if value < minimum:
            raise SettingsError(f"{name}={raw!r} must be at least {minimum}")
        return value

    def seconds(self, name: str, default: float) -> float:
        raw = self._raw(name)
        if raw is None:
            return default
        try:
            value = float(raw)
        except ValueError:
            raise SettingsError(f"{name}={raw!r} is not a number of seconds") from None
        if not math.isfinite(value) or value <= 0:
            raise SettingsError(f"{name}={raw!r} must be a positive number of seconds")
        return value

    def boolean(self, name: str, default: bool) -> bool:
        raw = self._raw(name)
        if raw is None:
            return default
        if raw.lower() in _TRUE:
            return True
        if raw.lower() in _FALSE:
            return False
        raise SettingsError(f"{name}={raw!r} must be one of on/off, true/false, yes/no, 1/0")

    def choice(self, name: str, default: str, choices: tuple[str, ...]) -> str:
        raw = self._raw(name)
        if raw is None:
            return default
        if raw.upper() not in choices:
            raise SettingsError(f"{name}={raw!r} must be one of {', '.join(choices)}")
        return raw.upper()
