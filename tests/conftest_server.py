"""A real server for end-to-end tests: `mra-registry serve` (uvicorn) in a subprocess on a free port.

Use the `live_server` fixture (import it into a conftest.py or a test module: `from tests.conftest_server import
live_server`) or the `start_server` context manager:

    def test_something(live_server, db_url):
        base_url = live_server(db_url)                       # waits until GET /healthz answers 200
        base_url = live_server(db_url, workers=2, env={"MRA_INTROSPECTION": "off"})

The server's output goes to a log file; the fixture prints it at teardown, which pytest shows only when
the test failed. `app_factory` (or the environment variable MRA_APP_FACTORY) serves another app factory,
e.g. `tests.web.sample_app:create_app`; by default the registry's own app is served.
"""
from __future__ import annotations

import contextlib
import itertools
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Mapping

import pytest

ROOT = Path(__file__).resolve().parents[1]
STARTUP_TIMEOUT_SECONDS = 60.0
SHUTDOWN_TIMEOUT_SECONDS = 15.0


@dataclass
class LiveServer:
    base_url: str
    log_path: Path
    process: subprocess.Popen

    def logs(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


class ServerDidNotStart(RuntimeError):
    pass


def free_port() -> int:
    # The port is released before uvicorn binds it; another process could take it in between, which is
    # rare enough on a test machine that a clear failure (the log says "address already in use") suffices.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def start_server(
    database_url: str,
    *,
    log_path: Path,
    env: Mapping[str, str] | None = None,
    workers: int = 1,
    app_factory: str | None = None,
) -> Iterator[LiveServer]:
    port = free_port()
    command = [sys.executable, "-m", "mra_registry", "serve", "--host", "127.0.0.1", "--port", str(port),
               "--workers", str(workers)]
    app_factory = app_factory or os.environ.get("MRA_APP_FACTORY")
    if app_factory:
        command += ["--app-factory", app_factory]
    environment = {**os.environ, "MRA_DATABASE_URL": database_url, **(env or {})}
    # the server runs with the network closed except to this machine, as the tests do (tests/network_closed)
    closed = str(ROOT / "tests" / "network_closed")
    environment["PYTHONPATH"] = os.pathsep.join(p for p in (closed, environment.get("PYTHONPATH")) if p)
    with open(log_path, "wb") as log:
        # A session of its own, so that stopping it reaches uvicorn's worker processes too.
        process = subprocess.Popen(command, cwd=ROOT, env=environment, stdin=subprocess.DEVNULL,
                                   stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    server = LiveServer(f"http://127.0.0.1:{port}", log_path, process)
    try:
        _wait_until_healthy(server)
        yield server
    finally:
        _stop(process)


def _wait_until_healthy(server: LiveServer) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise ServerDidNotStart(f"the server exited with {server.process.returncode}:\n{server.logs()}")
        try:
            with urllib.request.urlopen(f"{server.base_url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.1)
    raise ServerDidNotStart(f"/healthz did not answer within {STARTUP_TIMEOUT_SECONDS:g} s:\n{server.logs()}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)  # uvicorn shuts down gracefully on SIGTERM
    try:
        process.wait(SHUTDOWN_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.fixture
def live_server(tmp_path) -> Iterator[Callable[..., str]]:
    """live_server(database_url, *, env=None, workers=1, app_factory=None) -> base URL of a running server."""
    servers: list[LiveServer] = []
    stack = contextlib.ExitStack()
    counter = itertools.count()

    def start(database_url: str, *, env: Mapping[str, str] | None = None, workers: int = 1,
              app_factory: str | None = None) -> str:
        log_path = tmp_path / f"server-{next(counter)}.log"
        server = stack.enter_context(
            start_server(database_url, log_path=log_path, env=env, workers=workers, app_factory=app_factory)
        )
        servers.append(server)
        return server.base_url

    with stack:
        yield start
    for server in servers:  # printed output is shown by pytest only for a failed test
        print(f"--- log of the server at {server.base_url} ({server.log_path}) ---\n{server.logs()}")
