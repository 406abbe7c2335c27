"""What the API needs for the life of a process: the database engine, the snapshot provider kept current in
the background (the engine's snapshot and browsing's read model, swapped in together), and the settings.
Started and closed by the web app's lifespan.

Faults: nothing here waits for the database on the event loop. The follower and the readiness probe run in
threads; the probe is single-flight (a probe stuck on a frozen database is not joined by another each time a
balancer asks) and awaited for at most the database timeout, so `/readyz` turns 503 within that time."""
from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import time
from dataclasses import dataclass, field

from sqlalchemy import Engine, text

from ..store.browse_model import BrowseModel
from ..store.database import Timeouts, make_engine
from ..store.notifications import VersionListener
from ..store.snapshots import SnapshotProvider

log = logging.getLogger(__name__)

# Root fields answered from the in-memory snapshot and browsing's read model alone (decisions; the registry's
# look-ups and lists, api/queries.py): a request selecting only these runs on the event loop (the fast path);
# any other (`registryVersion`, `changes`, writes) runs in a read thread with the database timeouts
# (web/graphql_http.py). A test answers each of them with the database unreachable.
SNAPSHOT_ROOT_FIELDS = frozenset({
    "clearance", "clearances", "acceptedBodies", "__typename",
    "node", "economy", "economies", "union", "unions", "arrangement", "arrangements", "accreditationBody",
    "accreditationBodies", "conformityAssessmentBody", "conformityAssessmentBodies", "importPolicy", "importPolicies",
    "completenessDeclaration", "completenessDeclarations", "lookalikeBody", "lookalikeBodies", "acceptanceList",
    "acceptanceLists",
})
# Those that only look records up in the read model (no decision is computed): cheap per unit of query cost, so
# the event loop takes larger ones of them (web/graphql_http.py MAX_LIGHT_LOOP_COST).
READ_MODEL_ROOT_FIELDS = SNAPSHOT_ROOT_FIELDS - {"clearance", "clearances", "acceptedBodies"}


@dataclass
class Services:
    settings: object
    engine: Engine
    snapshots: SnapshotProvider
    poll_seconds: float = 0.5
    database_timeout: float = 3.0
    _tasks: list[asyncio.Task] = field(default_factory=list)
    _stopping: asyncio.Event = field(default_factory=asyncio.Event)
    listener: VersionListener | None = None
    _probe: concurrent.futures.ThreadPoolExecutor = field(
        default_factory=lambda: concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="mra-probe"))
    _probe_future: concurrent.futures.Future | None = None
    _probe_started: float = 0.0
    probe_error: str | None = None  # why the latest finished probe failed; None when it answered

    @classmethod
    def create(cls, settings) -> "Services":
        database_timeout = getattr(settings, "database_timeout_seconds", 3.0)
        timeouts = Timeouts(connect_seconds=database_timeout,
                            statement_seconds=getattr(settings, "statement_timeout_seconds", 5.0))
        engine = make_engine(settings.database_url, timeouts=timeouts)
        snapshots = SnapshotProvider(engine, browse=BrowseModel,
                                     max_staleness=getattr(settings, "snapshot_max_staleness_seconds", 30.0),
                                     database_timeout=database_timeout)
        return cls(settings=settings, engine=engine, snapshots=snapshots,
                   poll_seconds=getattr(settings, "snapshot_poll_seconds", 0.5), database_timeout=database_timeout)

    @classmethod
    async def start(cls, settings) -> "Services":
        services = cls.create(settings)
        await asyncio.to_thread(services.snapshots.refresh_if_stale)
        services._tasks.append(asyncio.create_task(services._follow_registry()))
        if services.engine.dialect.name == "postgresql":
            services.listener = VersionListener(services.engine, lambda _version: services.snapshots.refresh_if_stale())
            services.listener.start()
        return services

    async def _follow_registry(self) -> None:
        """Keep the snapshot at the registry's version: a cheap version check, a rebuild only when it moved.
        Other instances' writes arrive this way within a poll interval; PostgreSQL NOTIFY shortens it."""
        while not self._stopping.is_set():
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), timeout=self.poll_seconds)
                return
            try:
                await asyncio.to_thread(self.snapshots.refresh_if_stale)
            except Exception:  # never let the follower die; the provider records the failure
                log.exception("snapshot follower failed")

    async def refresh_now(self) -> None:
        """After a local write: decisions and browsing must see it at once."""
        await asyncio.to_thread(self.snapshots.refresh_if_stale)

    # -- the database's health: readiness and the refusal of database reads ----------------------------------

    def _run_probe(self) -> None:
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def _probe_in_flight_too_long(self) -> bool:
        future = self._probe_future
        return future is not None and not future.done() and time.monotonic() - self._probe_started > self.database_timeout

    def database_answering(self) -> bool:
        """Cheap, never waits: False when the follower or the probe saw the database fail or stall."""
        return self.snapshots.database_answering() and not self._probe_in_flight_too_long()

    def not_answering_reason(self) -> str:
        if not self.snapshots.database_answering():
            return self.snapshots.not_answering_reason()
        return f"registry unavailable: the database did not answer within {self.database_timeout:g} s"

    async def probe_database(self) -> str | None:
        """A short, bounded probe (`SELECT 1`) in its own thread: None when the database answered within the
        database timeout, else why not. A probe still waiting is awaited, never doubled."""
        future = self._probe_future
        if future is None or future.done():
            self._probe_started = time.monotonic()
            future = self._probe_future = self._probe.submit(self._run_probe)
        remaining = max(0.0, self._probe_started + self.database_timeout - time.monotonic())
        try:
            await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(future)), timeout=remaining)
        except (asyncio.TimeoutError, TimeoutError):
            return f"registry unavailable: the database did not answer within {self.database_timeout:g} s"
        except Exception as error:  # connect refused, timeouts of the driver or the pool
            self.probe_error = f"registry unavailable: {type(error).__name__}"
            return self.probe_error
        self.probe_error = None
        return None

    async def close(self) -> None:
        # Stop, then wait: cancelling a task does not stop the thread it is waiting on, and a refresh still
        # running there would hand its connection back to a pool already disposed (a leaked connection).
        self._stopping.set()
        if self.listener is not None:
            await asyncio.to_thread(self.listener.stop)
        for task in self._tasks:
            await task
        self._probe.shutdown(wait=False, cancel_futures=True)
        self.engine.dispose()
