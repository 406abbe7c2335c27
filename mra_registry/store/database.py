"""Which database, and how to connect: a SQLite file by default, PostgreSQL when MRA_DATABASE_URL names one."""
from __future__ import annotations

import os

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


def make_engine(url: str | None = None, **options) -> Engine:
    resolved = database_url(url)
    if resolved.startswith("sqlite"):
        engine = create_engine(resolved, **options)
        event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite does not begin a transaction before a SELECT, so a multi-query read (the snapshot) could
        # see a write land half-way. Take over: SQLAlchemy's begin becomes SQLite's BEGIN.
        event.listen(engine, "begin", lambda connection: connection.exec_driver_sql("BEGIN"))
        return engine
    options.setdefault("pool_pre_ping", True)
    return create_engine(resolved, **options)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None  # transactions are begun explicitly (see make_engine)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")  # several workers share one file: wait, don't fail
    if dbapi_connection.execute("PRAGMA database_list").fetchone()[2]:  # a file, not :memory:
        cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()
