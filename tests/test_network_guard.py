"""The suite's network guard (tests/network_guard.py) is on: a connection beyond this machine fails at once,
one to this machine goes through."""
from __future__ import annotations

import socket

import pytest

from tests.network_guard import NetworkBlocked


def test_a_connection_beyond_this_machine_is_refused():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock, pytest.raises(NetworkBlocked):
        sock.connect(("192.0.2.1", 443))  # TEST-NET-1: would hang or fail slowly if it were really attempted


def test_a_host_name_other_than_localhost_is_refused():
    with pytest.raises(NetworkBlocked):
        socket.create_connection(("example.org", 443), timeout=1)


def test_loopback_connections_go_through():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.create_connection(server.getsockname(), timeout=5):
            pass


def test_the_live_servers_run_with_the_network_closed(tmp_path):
    """The end-to-end servers load tests/network_closed/sitecustomize.py: a process started like them cannot
    reach beyond this machine."""
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    probe = ("import socket\n"
             "try:\n    socket.create_connection(('192.0.2.1', 443), timeout=1)\n"
             "except Exception as error:\n    print(type(error).__name__)\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "tests" / "network_closed")}
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60)
    assert result.stdout.strip() == "NetworkBlocked", result.stderr
