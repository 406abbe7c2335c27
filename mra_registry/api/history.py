"""Time travel for decisions (issue 14): the snapshot a `clearance(input, asOfRegistryVersion: N)` is decided on.

The registry at version N is rebuilt from the database (store/history.py) and indexed once; rebuilt snapshots
are kept in a small LRU cache per process, since a version never changes once written. The current version
is answered from the live snapshot, so asking for it costs nothing."""
from __future__ import annotations

from graphql import GraphQLError

from ..store.history import HistoricalSnapshots, RegistryVersionOutOfRange
from ..store.snapshots import SnapshotUnavailable

HISTORY_CACHE_SIZE = 8  # rebuilt versions kept per process (each about the size of the live snapshot)


def history_of(services) -> HistoricalSnapshots:
    history = getattr(services, "_history", None)
    if history is None or history.engine is not services.engine:
        history = HistoricalSnapshots(services.engine, services.snapshots.current, size=HISTORY_CACHE_SIZE)
        services._history = history
    return history


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
