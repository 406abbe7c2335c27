"""A frozen database (SIGSTOP on the postmaster and every backend: it accepts TCP connections and never answers)
never freezes the instance (issue 11, item 2): `/healthz` answers (it never touches the database), `/readyz`
turns 503 within seconds (a short probe off the event loop), decisions come from the in-memory snapshot,
browsing is refused quickly with SERVICE_UNAVAILABLE, and after SIGCONT everything recovers by itself. Runs on a
throwaway PostgreSQL of its own (tests/scale/throwaway_postgres.py), never the machine's shared cluster."""
from __future__ import annotations

import contextlib
import gc
import os
import signal
import threading
import time
from pathlib import Path

import pytest
import requests

from mra_registry.store.database import make_engine
from mra_registry.store.migrate import upgrade_to_head
from tests.conftest import SCENARIOS, load
from tests.conftest_server import live_server  # noqa: F401  (fixture)
from tests.scale.test_database_fault import own_postgres, wait_for  # noqa: F401  (fixture)
from tests.scale.test_two_instances import BODY_VERSION, CLEARANCE, S03

pytestmark = [pytest.mark.e2e]

CHANGES = "{ changes(first: 1) { totalCount } }"
BATCH = "query($inputs: [ClearanceInput!]!) { clearances(inputs: $inputs) { outcome registryVersion } }"
# Generous bounds: the issue asks for "within seconds"; the settings below make the real figures about 1-2 s.
WITHIN_SECONDS = 10.0


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                stat = (entry / "stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
    return found


@contextlib.contextmanager
def frozen(server):
    """SIGSTOP the postmaster (no new backend is forked) and then its children; SIGCONT in reverse order."""
    postmaster = server.postmaster_pid()
    os.kill(postmaster, signal.SIGSTOP)
    children = _children(postmaster)
    for pid in children:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)
        os.kill(postmaster, signal.SIGCONT)


def post(base_url, query, variables=None, timeout=WITHIN_SECONDS):
    return requests.post(f"{base_url}/graphql", json={"query": query, "variables": variables or {}}, timeout=timeout)


def get(base_url, path, timeout=WITHIN_SECONDS):
    return requests.get(f"{base_url}{path}", timeout=timeout)


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.filterwarnings("ignore:.*was deleted while still open:ResourceWarning")
def test_a_frozen_database_never_freezes_the_instance(own_postgres, live_server):  # noqa: F811
    db_url = own_postgres.create_database("mra")
    engine = make_engine(db_url)
    upgrade_to_head(engine)
    load(engine, SCENARIOS)
    engine.dispose()
    base = live_server(db_url, env={"MRA_DATABASE_TIMEOUT_SECONDS": "1", "MRA_STATEMENT_TIMEOUT_SECONDS": "2",
                                    "MRA_SNAPSHOT_MAX_STALENESS_SECONDS": "300"})
    assert get(base, "/readyz").status_code == 200
    assert post(base, BODY_VERSION).json()["data"]["accreditationBody"]["version"] >= 1  # the pool holds a connection
    assert post(base, CLEARANCE, {"input": S03}).json()["data"]["clearance"]["outcome"] == "RECOGNISED"

    early: dict = {}

    def browse_at_once():  # sent before the service can know: it meets a pooled connection to a frozen backend
        started = time.monotonic()
        try:
            early["answer"] = post(base, CHANGES, timeout=30)
        except requests.RequestException as error:  # pragma: no cover - reported below
            early["answer"] = error
        early["seconds"] = time.monotonic() - started

    with frozen(own_postgres):
        browser = threading.Thread(target=browse_at_once)
        browser.start()
        started = time.monotonic()
        # liveness never touches the database, and the event loop is free
        for _ in range(5):
            assert get(base, "/healthz", timeout=2).status_code == 200
        wait_for(lambda: get(base, "/readyz").status_code == 503, "/readyz to say not ready", limit=WITHIN_SECONDS)
        assert time.monotonic() - started < WITHIN_SECONDS
        assert "did not answer" in get(base, "/readyz").json()["reason"]

        # decisions come from the snapshot, which names its version
        decision = post(base, CLEARANCE, {"input": S03}).json()["data"]["clearance"]
        assert (decision["outcome"], decision["registryVersion"]) == ("RECOGNISED", 1)
        batch = post(base, BATCH, {"inputs": [S03, S03]}).json()["data"]["clearances"]
        assert [line["outcome"] for line in batch] == ["RECOGNISED", "RECOGNISED"]

        # browsing reads the registry in memory, of the version being served
        assert post(base, BODY_VERSION).json()["data"]["accreditationBody"]["version"] >= 1

        # the change log and the latest version are read from the database: refused at once, with the code to
        # retry on
        for query in ("{ registryVersion }", CHANGES):
            asked = time.monotonic()
            answer = post(base, query)
            assert time.monotonic() - asked < WITHIN_SECONDS
            assert answer.status_code == 200 and answer.headers["Retry-After"] == "5"
            body = answer.json()
            assert body["data"] is None
            assert [error["extensions"]["code"] for error in body["errors"]] == ["SERVICE_UNAVAILABLE"]

        browser.join(WITHIN_SECONDS + 5)
        assert not browser.is_alive(), "a browse request sent as the database froze was never answered"
        assert early["seconds"] < WITHIN_SECONDS
        assert [e["extensions"]["code"] for e in early["answer"].json()["errors"]] == ["SERVICE_UNAVAILABLE"]
        assert get(base, "/healthz", timeout=2).status_code == 200

    # SIGCONT: the service recovers by itself
    wait_for(lambda: get(base, "/readyz").status_code == 200, "/readyz to say ready again", limit=60)
    wait_for(lambda: "data" in post(base, BODY_VERSION).json() and post(base, BODY_VERSION).json()["data"],
             "browsing to answer again", limit=30)
    assert post(base, BODY_VERSION).json()["data"]["accreditationBody"]["version"] >= 1
    assert post(base, CLEARANCE, {"input": S03}).json()["data"]["clearance"]["outcome"] == "RECOGNISED"
    gc.collect()
