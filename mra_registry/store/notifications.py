"""Several instances, one PostgreSQL: a write transaction NOTIFYs its registry version at commit, and every
instance LISTENs, so its snapshot follows within moments instead of at the next poll (the poll stays as the
fallback, and is all SQLite has)."""
from __future__ import annotations

import logging
import threading
from typing import Callable

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

CHANNEL = "mra_registry_version"


def notify_version(session: Session, version: int) -> None:
    """Queue a notification; PostgreSQL delivers it only if and when the transaction commits."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_notify(:channel, :version)"), {"channel": CHANNEL, "version": str(version)})


class VersionListener:
    """A daemon thread holding one LISTEN connection; calls ``on_version(version)`` for each notification and
    reconnects (with a pause) when the connection drops."""

    def __init__(self, engine: Engine, on_version: Callable[[int], None], reconnect_seconds: float = 1.0):
        self.url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        self.on_version = on_version
        self.reconnect_seconds = reconnect_seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="mra-registry-listen", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        import psycopg

        while not self._stop.is_set():
            try:
                with psycopg.connect(self.url, autocommit=True, connect_timeout=5) as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    while not self._stop.is_set():
                        for notification in connection.notifies(timeout=0.5):
                            try:
                                self.on_version(int(notification.payload))
                            except Exception:  # a failed refresh is the provider's to report
                                log.exception("refresh after notification failed")
            except Exception as error:  # the database went away: try again shortly
                log.warning("LISTEN connection lost: %s", error)
                self._stop.wait(self.reconnect_seconds)
