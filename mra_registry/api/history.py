"""Time travel for decisions (issue 14): the snapshot a `clearance(input, asOfRegistryVersion: N)` is decided on.

The registry at version N is rebuilt from the database (store/history.py) and indexed once; rebuilt snapshots
are kept in a small LRU cache per process, since a version never changes once written. The current version
is answered from the live snapshot, so asking for it costs nothing."""
from __future__ import annotations

import asyncio
from typing import Any, Awaitable, Callable, TypeVar

from graphql import GraphQLError

from ..store.history import HistoricalSnapshots, RegistryVersionOutOfRange
from ..store.snapshots import SnapshotUnavailable

T = TypeVar("T")
HISTORY_CACHE_SIZE = 8  # rebuilt versions kept per process (each about the size of the live snapshot)


def history_of(services) -> HistoricalSnapshots:
    history = getattr(services, "_history", None)
    if history is None or history.engine is not services.engine:
        history = HistoricalSnapshots(services.engine, services.snapshots.current, size=HISTORY_CACHE_SIZE)
        services._history = history
    return history


def decided_at(context, version: int | None, decide: Callable[[Any], T]) -> T | Awaitable[T]:
    """``decide(snapshot)`` on the live snapshot or the one of ``version``. A version at hand (the current one, or
    cached) is decided at once; one to rebuild is read in a worker thread (an awaitable is returned), so that a
    rebuild of seconds never holds the event loop the snapshot-served queries run on."""
    if version is None:
        return decide(context.snapshot())
    ready = history_of(context.services).ready(version)
    if ready is not None:
        return decide(ready)

    async def later() -> T:
        return decide(await asyncio.to_thread(snapshot_for, context, version))
    return later()


def snapshot_for(context, version: int | None):
    """The live snapshot, or the one of registry ``version``; a version the registry never had is refused with
    REGISTRY_VERSION_NOT_FOUND (the current version in ``extensions.currentRegistryVersion``)."""
    if version is None:
        return context.snapshot()
    try:
        return history_of(context.services).at(version)
    except RegistryVersionOutOfRange as error:
        raise GraphQLError(
            f"asOfRegistryVersion: {error}",
            extensions={"code": "REGISTRY_VERSION_NOT_FOUND", "field": "asOfRegistryVersion",
                        "currentRegistryVersion": error.current},
        ) from None
    except SnapshotUnavailable as error:
        raise GraphQLError(f"the registry is unavailable, try again shortly ({error})",
                           extensions={"code": "SERVICE_UNAVAILABLE"}) from None
