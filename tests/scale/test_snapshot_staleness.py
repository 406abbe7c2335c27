"""Decisions from the last snapshot while the database does not answer: for at most
MRA_SNAPSHOT_MAX_STALENESS_SECONDS after the database last confirmed it current, then refused (store/snapshots.py).
A fake clock and a fake database, both sides of the edge."""
from __future__ import annotations

import pytest

from mra_registry.store import snapshots as module
from mra_registry.store.snapshots import SnapshotProvider, SnapshotUnavailable


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


class FakeSnapshot:
    version = 1


@pytest.fixture
def world(monkeypatch):
    state = {"down": False}

    def version(engine):
        if state["down"]:
            raise ConnectionError("down")
        return 1

    monkeypatch.setattr(module, "current_version", version)
    monkeypatch.setattr(module, "read_consistently", lambda engine: type("R", (), {"cabs": (), "accreditation_bodies": (), "policies": ()})())
    clock = Clock()
    provider = SnapshotProvider(engine=None, build=lambda registry: FakeSnapshot(), max_staleness=30,
                                database_timeout=3, clock=clock)
    assert provider.refresh_if_stale()
    return provider, clock, state


def test_decisions_go_on_from_the_last_snapshot_up_to_the_staleness_bound(world):
    provider, clock, state = world
    state["down"] = True
    clock.now += 10
    provider.refresh_if_stale()
    assert not provider.database_answering() and not provider.ready
    clock.now += 20  # 30 s after the last confirmation: still served
    assert provider.current().version == 1
    clock.now += 0.01  # beyond it: refused
    with pytest.raises(SnapshotUnavailable, match="confirmed more than 30 s ago"):
        provider.current()
    state["down"] = False
    provider.refresh_if_stale()
    assert provider.ready and provider.current().version == 1


def test_a_version_check_waiting_longer_than_the_database_timeout_means_not_answering(world):
    provider, clock, _ = world
    provider.checking_since = clock.now  # as a check stuck on a frozen database leaves it
    clock.now += 3
    assert provider.database_answering()
    clock.now += 0.01
    assert not provider.database_answering()
    assert "did not answer within 3 s" in provider.not_answering_reason()
    clock.now += 26.9  # 29.91 s after the last confirmation
    assert provider.current().version == 1
    clock.now += 0.1
    with pytest.raises(SnapshotUnavailable):
        provider.current()
