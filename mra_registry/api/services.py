"""What the API needs for the life of a process: the database engine, the snapshot provider kept current in
the background, and the settings. Started and closed by the web app's lifespan."""
from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field

from sqlalchemy import Engine

from ..store.database import make_engine
from ..store.notifications import VersionListener
from ..store.snapshots import SnapshotProvider

log = logging.getLogger(__name__)


@dataclass
class Services:
    settings: object
    engine: Engine
    snapshots: SnapshotProvider
    poll_seconds: float = 0.5
    _tasks: list[asyncio.Task] = field(default_factory=list)
    _stopping: asyncio.Event = field(default_factory=asyncio.Event)
    listener: VersionListener | None = None

    @classmethod
    def create(cls, settings) -> "Services":
        engine = make_engine(settings.database_url)
        return cls(settings=settings, engine=engine, snapshots=SnapshotProvider(engine),
                   poll_seconds=getattr(settings, "snapshot_poll_seconds", 0.5))

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
        """After a local write: decisions must see it at once."""
        await asyncio.to_thread(self.snapshots.refresh_if_stale)

    async def close(self) -> None:
        # Stop, then wait: cancelling a task does not stop the thread it is waiting on, and a refresh still
        # running there would hand its connection back to a pool already disposed (a leaked connection).
        self._stopping.set()
        if self.listener is not None:
            await asyncio.to_thread(self.listener.stop)
        for task in self._tasks:
            await task
        self.engine.dispose()
