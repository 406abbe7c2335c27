"""Slow clients and large work never hold the event loop (issue 11): a request head that does not arrive within
MRA_HEADER_TIMEOUT_SECONDS closes the connection (web/protocol.py, also on a kept-alive connection), a body that
does not arrive within MRA_BODY_TIMEOUT_SECONDS is answered 408, and a 30-alias x 1,000-line `clearances` runs
in a read thread while `/healthz` answers. Real servers (uvicorn in a subprocess) on the scenario fixtures."""
from __future__ import annotations

import json
import socket
import threading
import time

import pytest
import requests

from tests.conftest_server import live_server  # noqa: F401  (fixture)
from tests.scale.test_two_instances import S03

pytestmark = [pytest.mark.e2e]

# Generous bounds around limits of 1 s: the tests hold when the machine is busy, and fail when nothing closes.
BOUND_SECONDS = 6.0


def _address(base_url: str) -> tuple[str, int]:
    host, port = base_url.removeprefix("http://").split(":")
    return host, int(port)


def _closed_within(sock: socket.socket, seconds: float) -> tuple[bool, bytes]:
    """Reads until the server closes the connection or `seconds` pass; (closed, what was read)."""
    sock.settimeout(0.2)
    received = b""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            continue
        except ConnectionResetError:
            return True, received
        if not chunk:
            return True, received
        received += chunk
    return False, received


@pytest.fixture
def server(live_server, scenario_engine, db_url):  # noqa: F811
    # a budget far above the declaration's few seconds: on a loaded machine 30,000 decisions may take more than 10
    return live_server(db_url, env={"MRA_HEADER_TIMEOUT_SECONDS": "1", "MRA_BODY_TIMEOUT_SECONDS": "1",
                                    "MRA_REQUEST_TIMEOUT_SECONDS": "120"})


def test_a_client_sending_partial_headers_is_disconnected(server):
    with socket.create_connection(_address(server)) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: test\r\nX-Slow: ")  # and nothing more
        started = time.monotonic()
        closed, received = _closed_within(sock, BOUND_SECONDS)
    assert closed, "the server held a connection whose headers never completed"
    assert received == b""
    assert 0.5 < time.monotonic() - started < BOUND_SECONDS


def test_a_kept_alive_connection_gets_the_same_limit_for_its_next_head(server):
    with socket.create_connection(_address(server)) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n")
        sock.settimeout(5)
        assert sock.recv(65536).startswith(b"HTTP/1.1 200")
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHo")  # the next request starts, then stalls
        closed, _ = _closed_within(sock, BOUND_SECONDS)
    assert closed


def test_a_head_sent_in_pieces_within_the_limit_is_answered(server):
    with socket.create_connection(_address(server)) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\n")
        time.sleep(0.3)
        sock.sendall(b"Host: test\r\n\r\n")
        sock.settimeout(5)
        assert sock.recv(65536).startswith(b"HTTP/1.1 200")


def test_a_body_that_does_not_arrive_in_time_is_answered_408(server):
    with socket.create_connection(_address(server)) as sock:
        sock.sendall(b"POST /graphql HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 100\r\n\r\n{\"query\": ")  # 10 of 100 bytes
        started = time.monotonic()
        closed, received = _closed_within(sock, BOUND_SECONDS)
    assert received.startswith(b"HTTP/1.1 408"), received[:200]
    assert b"REQUEST_TIMEOUT" in received
    assert time.monotonic() - started < BOUND_SECONDS


def test_a_large_declaration_lets_other_requests_through(server):
    # 30 aliases x 1,000 lines: within the cost ceiling, about 3 s of decisions
    aliases = " ".join(f"a{i}: clearances(inputs: $inputs) {{ outcome }}" for i in range(30))
    query = f"query($inputs: [ClearanceInput!]!) {{ {aliases} }}"
    body = json.dumps({"query": query, "variables": {"inputs": [S03] * 1000}})
    answer: dict = {}

    def declare():
        answer["response"] = requests.post(f"{server}/graphql", data=body, timeout=150,
                                           headers={"Content-Type": "application/json"})
        answer["finished"] = time.monotonic()

    worker = threading.Thread(target=declare)
    worker.start()
    health_latencies = []
    answered_while_running = 0
    while worker.is_alive():
        asked = time.monotonic()
        assert requests.get(f"{server}/healthz", timeout=BOUND_SECONDS).status_code == 200
        health_latencies.append(time.monotonic() - asked)
        if worker.is_alive():
            answered_while_running += 1
        time.sleep(0.05)
    worker.join()
    data = answer["response"].json()["data"]
    assert len(data) == 30 and all(len(lines) == 1000 for lines in data.values())
    assert {line["outcome"] for lines in data.values() for line in lines} == {"RECOGNISED"}
    assert answered_while_running >= 3, "the declaration finished too fast to show anything"
    assert max(health_latencies) < 1.0, health_latencies  # on the event loop it was the whole declaration
