"""Which database, and how to connect: a SQLite file by default, PostgreSQL when MRA_DATABASE_URL names one.

Timeouts (PostgreSQL): a new connection gives up after `connect_timeout` (a frozen or unreachable server must
not hold a thread for minutes), a statement after `statement_timeout` (enforced by the server), and a wait for
a pooled connection after `pool_timeout`. A server that stops answering mid-statement (frozen) is not seen by
any of these: the reads that could meet it run off the event loop (web/graphql_http.py) and the service
watches how long they wait (api/services.py)."""
from __future__ import annotations

import math
import os
from dataclasses import dataclass

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

DEFAULT_URL = "sqlite:///mra-registry.sqlite3"


def database_url(explicit: str | None = None) -> str:
    url = explicit or os.environ.get("MRA_DATABASE_URL") or DEFAULT_URL
    parsed = make_url(url)
    # psycopg 3 is the driver we ship; a bare "postgresql://" would ask SQLAlchemy for psycopg2.
    if parsed.drivername in ("postgresql", "postgres"):
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return url


def missing_sqlite_file(url: str | None = None) -> str | None:
    """The path of the SQLite database file ``url`` names when no such file exists (connecting would create an empty
    one); None for any other database, an in-memory one, a SQLite URI, or a file that exists."""
    parsed = make_url(database_url(url))
    path = parsed.database
    if parsed.get_backend_name() != "sqlite" or not path or path == ":memory:" or parsed.query.get("uri"):
        return None
    return None if os.path.exists(path) else path


@dataclass(frozen=True)
class Timeouts:
    connect_seconds: float = 3.0  # libpq connect_timeout (whole seconds, at least 2) and the pool's wait
    statement_seconds: float | None = 5.0  # PostgreSQL statement_timeout; None: the server's own setting


def make_engine(url: str | None = None, *, timeouts: Timeouts | None = None, **options) -> Engine:
    resolved = database_url(url)
    if resolved.startswith("sqlite"):
        engine = create_engine(resolved, **options)
        event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite does not begin a transaction before a SELECT, so a multi-query read (the snapshot) could
        # see a write land half-way. Take over: SQLAlchemy's begin becomes SQLite's BEGIN.
        event.listen(engine, "begin", lambda connection: connection.exec_driver_sql("BEGIN"))
        return engine
    options.setdefault("pool_pre_ping", True)
    if timeouts is not None:
        connect_args = dict(options.pop("connect_args", {}))
        connect_args.setdefault("connect_timeout", max(2, math.ceil(timeouts.connect_seconds)))
        if timeouts.statement_seconds is not None:
            milliseconds = max(1, round(timeouts.statement_seconds * 1000))
            connect_args.setdefault("options", f"-c statement_timeout={milliseconds}")
        options["connect_args"] = connect_args
        options.setdefault("pool_timeout", timeouts.connect_seconds)
    return create_engine(resolved, **options)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None  # transactions are begun explicitly (see make_engine)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")  # several workers share one file: wait, don't fail
    if dbapi_connection.execute("PRAGMA database_list").fetchone()[2]:  # a file, not :memory:
        cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()
