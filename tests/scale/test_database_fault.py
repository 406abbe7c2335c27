"""The database goes away under a running server: decisions stop (never made from a partial registry),
writes are refused with nothing written, /readyz says not ready; when the database returns the server
recovers by itself. Stops and starts a throwaway PostgreSQL of its own (initdb into a temporary folder, pg_ctl on
a free port: tests/scale/throwaway_postgres.py), never the machine's shared cluster on 127.0.0.1:5432."""
from __future__ import annotations

import gc
import time

import pytest
import requests
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mra_registry.store import models as m
from mra_registry.store.database import make_engine
from mra_registry.store.migrate import upgrade_to_head
from mra_registry.store.tokens import Role, create_token
from tests.conftest import SCENARIOS, load
from tests.conftest_server import live_server  # noqa: F401  (fixture)
from tests.scale.test_two_instances import BODY_VERSION, CLEARANCE, S03, SUSPEND
from tests.scale.throwaway_postgres import ThrowawayUnavailable, throwaway_postgres

pytestmark = [pytest.mark.e2e]

SHARED_CLUSTER_PORT = 5432


@pytest.fixture
def own_postgres():
    """A PostgreSQL of this test's own, stopped and removed at the end."""
    try:
        with throwaway_postgres() as server:
            assert server.port != SHARED_CLUSTER_PORT
            yield server
    except ThrowawayUnavailable as reason:
        pytest.skip(f"cannot start a throwaway PostgreSQL: {reason}")


def test_the_throwaway_server_is_not_the_shared_cluster(own_postgres):
    # stopping it must leave the machine's cluster answering (when there is one): its data folder is a
    # temporary folder and its port is not 5432
    assert own_postgres.port != SHARED_CLUSTER_PORT
    import psycopg

    with psycopg.connect(own_postgres.url(), autocommit=True) as connection:
        data_directory = connection.execute("SHOW data_directory").fetchone()[0]
        port = connection.execute("SHOW port").fetchone()[0]
    assert (data_directory, int(port)) == (str(own_postgres.data), own_postgres.port)


def wait_for(predicate, what: str, limit: float = 30.0):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"gave up waiting for {what}")


def post(base_url, query, variables=None, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.post(f"{base_url}/graphql", json={"query": query, "variables": variables or {}},
                         headers=headers, timeout=15)


def ready(base_url) -> int:
    return requests.get(f"{base_url}/readyz", timeout=5).status_code


# A connection that the restart killed is finalised by the garbage collector, which psycopg reports as
# "deleted while still open": expected here, so it is collected (and forgiven) in this test, not a later one.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.filterwarnings("ignore:.*was deleted while still open:ResourceWarning")
def test_the_server_refuses_while_the_database_is_down_and_recovers_by_itself(own_postgres, live_server):  # noqa: F811
    # (own_postgres first: the server stops before the database is removed)
    db_url = own_postgres.create_database("mra")
    engine = make_engine(db_url)
    upgrade_to_head(engine)
    load(engine, SCENARIOS)
    with Session(engine) as session, session.begin():
        token, _ = create_token(session, Role.ARRANGEMENT_SECRETARIAT, "ILAC_MRA")
    # Decisions go on from the last snapshot while the database is away for at most this long (30 s by
    # default; tests/scale/test_database_freeze.py shows them answered): here, refused after a second.
    base = live_server(db_url, env={"MRA_SNAPSHOT_MAX_STALENESS_SECONDS": "1"})
    version = post(base, BODY_VERSION).json()["data"]["accreditationBody"]["version"]
    assert post(base, CLEARANCE, {"input": S03}).json()["data"]["clearance"]["outcome"] == "RECOGNISED"
    engine.dispose()

    own_postgres.stop("fast")
    try:
        wait_for(lambda: ready(base) == 503, "/readyz to say not ready")
        answer = wait_for(lambda: (lambda reply: reply if reply.json().get("data") is None else None)(
            post(base, CLEARANCE, {"input": S03})), "decisions to stop once the snapshot is too old")
        assert answer.status_code < 500
        body = answer.json()
        assert body.get("data") is None
        assert [e["extensions"]["code"] for e in body["errors"]] == ["SERVICE_UNAVAILABLE"]
        write = post(base, SUSPEND, {"input": {"accreditationBody": "COFRAC", "arrangement": "ILAC_MRA",
                                               "activity": "TESTING", "validFrom": "2025-08-01",
                                               "expectedVersion": version}}, token)
        assert write.status_code < 500
        assert [e["code"] for e in write.json()["data"]["signatoryStatusSuspend"]["errors"]] == [
            "SERVICE_UNAVAILABLE"]
        browsing = post(base, BODY_VERSION)  # reads the database itself, not the snapshot
        assert browsing.status_code < 500
        assert [e["extensions"]["code"] for e in browsing.json()["errors"]] == ["SERVICE_UNAVAILABLE"]
    finally:
        own_postgres.start()

    wait_for(lambda: ready(base) == 200, "/readyz to say ready again")
    decision = post(base, CLEARANCE, {"input": S03}).json()["data"]["clearance"]
    assert (decision["outcome"], decision["registryVersion"]) == ("RECOGNISED", 1)
    with Session(engine) as session:  # nothing half-written while the database was away
        assert session.execute(select(m.RegistryState.version)).scalar_one() == 1
        assert session.execute(select(func.count()).select_from(m.ChangeRecord)
                               .where(m.ChangeRecord.version > 1)).scalar_one() == 0
    written = post(base, SUSPEND, {"input": {"accreditationBody": "COFRAC", "arrangement": "ILAC_MRA",
                                             "activity": "TESTING", "validFrom": "2025-08-01",
                                             "expectedVersion": version}}, token).json()
    assert written["data"]["signatoryStatusSuspend"] == {"registryVersion": 2, "errors": []}
    engine.dispose()
    gc.collect()
