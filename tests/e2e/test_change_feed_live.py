"""The change feed over HTTP against a live server while writes happen: read page by page with the last
`endCursor`, every change is read exactly once, in the order it was written (issue 13)."""
from __future__ import annotations

import threading
import time

import pytest

from mra_registry.store.tokens import Role

pytestmark = pytest.mark.e2e

FEED = """query($after: String, $since: Int) {
  changes(first: 3, after: $after, since: $since, entityCode: "COFRAC") {
    pageInfo { hasNextPage endCursor }
    edges { cursor node { version entityCode action after } }
  }
}"""
RENAME = """mutation($i: AccreditationBodyUpdateInput!) {
  accreditationBodyUpdate(input: $i) { accreditationBody { version } errors { code message } }
}"""
WRITES = 25


def _version_of_cofrac(server) -> int:
    return server.post('{ accreditationBody(code: "COFRAC") { version } }').json()["data"]["accreditationBody"]["version"]


def test_the_feed_read_while_writes_happen_gives_every_change_once_in_order(server):
    token = server.token(Role.ADMINISTRATOR)
    start = server.version()
    names = [f"Cofrac rename {i:02d}" for i in range(WRITES)]
    failures: list = []

    def writer():
        expected = _version_of_cofrac(server)
        for name in names:
            body = server.post(RENAME, {"i": {"code": "COFRAC", "name": name, "expectedVersion": expected}},
                               token).json()
            payload = body["data"]["accreditationBodyUpdate"]
            if payload["errors"]:
                failures.append(payload["errors"])
                return
            expected = payload["accreditationBody"]["version"]
            time.sleep(0.005)

    thread = threading.Thread(target=writer)
    thread.start()
    read: list[dict] = []
    cursors: list[str] = []
    after = None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        writing = thread.is_alive()
        page = server.post(FEED, {"after": after, "since": start}).json()
        assert "errors" not in page, page
        connection = page["data"]["changes"]
        read += [edge["node"] for edge in connection["edges"]]
        cursors += [edge["cursor"] for edge in connection["edges"]]
        if connection["pageInfo"]["endCursor"] is not None:
            after = connection["pageInfo"]["endCursor"]
        if not writing and not connection["pageInfo"]["hasNextPage"]:
            break  # the writer had finished before this page was read, and the feed is read to its end
    thread.join()
    assert not failures, failures

    # every change exactly once, in the order written
    assert [node["after"]["name"] for node in read] == names
    versions = [node["version"] for node in read]
    assert versions == sorted(versions) and len(set(versions)) == len(versions)
    assert len(set(cursors)) == len(cursors)
    # and the cursors are stable: reading after any of them again gives the same continuation
    middle = cursors[WRITES // 2]
    again = server.post(FEED, {"after": middle, "since": start}).json()["data"]["changes"]["edges"]
    assert [edge["cursor"] for edge in again] == cursors[WRITES // 2 + 1:WRITES // 2 + 4]
