"""The engine's snapshot, built from the database and kept current, and beside it browsing's read model.

A snapshot is built from one consistent read of the registry (one transaction, repeatable read on
PostgreSQL) and swapped in whole, so a reader never sees a half-built one. With a `browse` model
(store/browse_model.py) the provider builds it from the same read (plus the few rows only browsing shows, read
in the same transaction) and swaps both in together (``Served``): a request that takes them once reads one
registry version, whether it decides or browses.

When the database stops answering (down, or frozen: a version check that fails or has waited longer than the
database timeout), decisions go on from the last snapshot, which is whole and names its version, for at most
`max_staleness` seconds after the database last confirmed it current; after that the provider refuses
(``SnapshotUnavailable``) instead of guessing. Readiness turns 503 at once (api/services.py), so a balancer
moves traffic to instances that still reach the database."""
from __future__ import annotations

import contextlib
import gc
import logging
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterator, TypeVar

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from ..domain.model import Registry
from ..domain.snapshot import Snapshot
from .mapping import read_registry, registry_version

log = logging.getLogger(__name__)


class SnapshotUnavailable(Exception):
    """The registry cannot be read: decisions must not be made."""


T = TypeVar("T")


@contextlib.contextmanager
def _consistent_read(engine: Engine) -> Iterator[Session]:
    with Session(engine) as session, session.begin():
        if engine.dialect.name == "postgresql":
            # First statement of the transaction: session.connection() would autobegin, so it goes inside begin().
            connection = session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            # A large registry takes longer to read than a browsing statement may (store/database.py): the
            # rebuild runs in the background, off the event loop, and is not bounded by it.
            connection.exec_driver_sql("SET LOCAL statement_timeout = 0")
        yield session


def read_consistently(engine: Engine) -> Registry:
    with _consistent_read(engine) as session:
        return read_registry(session)


def read_consistently_with(engine: Engine, also: Callable[[Session], T]) -> tuple[Registry, T]:
    """The registry and what ``also`` reads, in the same transaction (one version)."""
    with _consistent_read(engine) as session:
        return read_registry(session), also(session)


def current_version(engine: Engine) -> int:
    with Session(engine) as session, session.begin():
        return registry_version(session)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Reading a large registry allocates millions of long-lived objects; with the cyclic collector running,
    each generation-2 collection walks the whole growing heap while holding the GIL (measured on 100,000 CABs:
    13 s of a 31 s read, one pause of 4.4 s). Such a pause stalls the event loop, and uvicorn's supervisor
    kills a worker that does not answer its 5 s health check. Nothing here builds reference cycles worth
    collecting early: the collector is resumed when the snapshot is built."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# From this many registry entities on, a new snapshot is moved out of the collector's sight (see _settle).
FREEZE_FROM_ENTITIES = 10_000


def _settle(registry: Registry) -> None:
    """After a large snapshot is swapped in: collect once, then freeze what is alive (gc.freeze), so that later
    generation-2 collections skip the snapshot's millions of objects. Measured serving on 100,000 CABs: without
    it a full collection came every ~7 s and held the GIL ~0.8 s each (every request in flight waited); with it
    they take 1-2 ms. The previous snapshot was frozen too: unfreezing first lets this collection reclaim
    whatever of it (and of the read) was cyclic garbage, so nothing is kept frozen across refreshes. Small
    registries skip this: the collections are cheap there, and tests refresh often."""
    size = len(registry.cabs) + len(registry.accreditation_bodies) + len(registry.policies)
    if size < FREEZE_FROM_ENTITIES:
        return
    gc.unfreeze()
    gc.collect()
    gc.freeze()


@dataclass(frozen=True, slots=True, eq=False)
class Served:
    """What the provider serves at one registry version: the engine's snapshot and browsing's read model (None
    for a provider built without one)."""

    snapshot: Snapshot
    browse: Any = None

    @property
    def version(self) -> int:
        return self.snapshot.version


class SnapshotProvider:
    """``browse``: the read model to build beside each snapshot (store/browse_model.py's ``BrowseModel``: its
    ``read_rows(session)`` and ``build(registry, rows, snapshot)``); None builds the snapshot alone."""

    def __init__(self, engine: Engine, build: Callable[[Registry], Snapshot] = Snapshot.build, *,
                 browse: Any = None, max_staleness: float = 30.0, database_timeout: float = 3.0,
                 clock: Callable[[], float] = time.monotonic):
        self.engine = engine
        self.build = build
        self.browse = browse
        self.max_staleness = max_staleness
        self.database_timeout = database_timeout
        self.clock = clock
        self._served: Served | None = None
        self._lock = threading.Lock()  # one rebuild at a time; readers never wait for it
        self.last_error: str | None = None
        self.built_at: float | None = None
        self.confirmed_at: float | None = None  # (clock) the database last said the snapshot is current
        self.checking_since: float | None = None  # (clock) a version check is waiting for the database

    @property
    def ready(self) -> bool:
        return self._served is not None and self.database_answering()

    def database_answering(self) -> bool:
        """False when the latest version check failed, or one has waited longer than the database timeout."""
        if self.last_error is not None:
            return False
        since = self.checking_since
        return since is None or self.clock() - since <= self.database_timeout

    def not_answering_reason(self) -> str:
        if self.last_error is not None:
            return self.last_error
        return f"registry unavailable: the database did not answer within {self.database_timeout:g} s"

    def current(self) -> Snapshot:
        return self.served().snapshot

    def served(self) -> Served:
        """The current snapshot and read model, together; refused as ``current`` is."""
        served = self._served
        if served is None:
            raise SnapshotUnavailable(self.last_error or "the registry snapshot is not loaded yet")
        if not self.database_answering():
            confirmed = self.confirmed_at
            if confirmed is None or self.clock() - confirmed > self.max_staleness:
                raise SnapshotUnavailable(
                    f"{self.not_answering_reason()}; the last snapshot was confirmed more than "
                    f"{self.max_staleness:g} s ago")
        return served

    def _check_version(self) -> tuple[int, float]:
        """The registry's version, and when the database said so."""
        self.checking_since = self.clock()
        try:
            version = current_version(self.engine)
        finally:
            self.checking_since = None
        return version, self.clock()

    def refresh_if_stale(self) -> bool:
        """Rebuild when the registry version moved; True when a new snapshot was swapped in."""
        try:
            version, checked_at = self._check_version()
            if self._served is not None and self._served.version == version:
                self.confirmed_at = checked_at
                self.last_error = None
                return False
            with self._lock:
                if self._served is not None and self._served.version >= version:
                    self.confirmed_at = max(self.confirmed_at or checked_at, checked_at)
                    self.last_error = None
                    return False
                started = time.perf_counter()
                with _collector_paused():
                    if self.browse is None:
                        registry = read_consistently(self.engine)
                        served = Served(self.build(registry))
                    else:
                        registry, rows = read_consistently_with(self.engine, self.browse.read_rows)
                        snapshot = self.build(registry)
                        served = Served(snapshot, self.browse.build(registry, rows, snapshot))
                        del rows
                self._served = served  # the swap: one reference assignment
                self.confirmed_at = checked_at
                _settle(registry)
                del registry
                self.built_at = time.time()
                self.last_error = None
                log.info("snapshot built", extra={"registry_version": served.version,
                                                  "seconds": round(time.perf_counter() - started, 3)})
                return True
        except Exception as error:  # the database went away, or the data cannot be read: refuse, never guess
            self.last_error = f"registry unavailable: {type(error).__name__}"
            log.warning("snapshot refresh failed: %s", error)
            return False
