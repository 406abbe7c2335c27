"""The servers of the HTTP benchmark: `mra-registry serve` started on a free port and stopped with its session,
readiness, the worker processes' memory and CPU time (read from /proc), and a plain GraphQL client for the
checks made before loading a server."""
from __future__ import annotations

import contextlib
import json
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
from typing import Any, Iterable, Iterator, Sequence

ROOT = Path(__file__).resolve().parents[1]
BARE_APP = "benchmarks.bare_app:create_app"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    base_url: str
    process: subprocess.Popen
    log_path: Path
    workers: int
    startup_seconds: float = float("nan")

    def worker_pids(self) -> list[int]:
        """With one worker uvicorn serves in the process it was started in; with more, that process supervises
        worker processes it spawned (multiprocessing spawn), which are the ones that serve."""
        if self.workers == 1:
            return [self.process.pid]
        return [pid for pid in _children(self.process.pid) if b"spawn_main" in _cmdline(pid)]

    def memory_mib(self) -> list[tuple[float, float]]:
        """(VmRSS, VmHWM) in MiB per worker process."""
        return [_rss(pid) for pid in self.worker_pids()]

    def log_count(self, text: str) -> int:
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace").count(text)
        except OSError:
            return 0

    def restarts(self) -> int:
        """Workers the uvicorn supervisor replaced (it kills one that misses its 5 s health check)."""
        return self.log_count("died")


def _children(pid: int) -> list[int]:
    found = []
    with contextlib.suppress(OSError):
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found += [int(p) for p in handle.read().split()]
    return found


def _cmdline(pid: int) -> bytes:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read()
    except OSError:
        return b""


def cpu_seconds(pids: Iterable[int]) -> float:
    """The CPU time (user + system) the processes have used, in seconds."""
    ticks = 0
    for pid in pids:
        with contextlib.suppress(OSError, IndexError, ValueError):
            with open(f"/proc/{pid}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def wait_idle(pids: Sequence[int], *, window: float = 0.3, busy_share: float = 0.05, timeout: float = 120.0) -> float:
    """Waits until the processes use (almost) no CPU: when wrk stops, the requests it left in flight still run
    to their end (a resolver that computes cannot notice that its client left), and the next run must not
    start behind them. Returns the seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        before = cpu_seconds(pids)
        time.sleep(window)
        if cpu_seconds(pids) - before <= busy_share * window * max(len(pids), 1):
            break
    return time.monotonic() - started


def _rss(pid: int) -> tuple[float, float]:
    values = {}
    with open(f"/proc/{pid}/status") as handle:
        for line in handle:
            if line.startswith(("VmRSS:", "VmHWM:")):
                key, amount, _unit = line.split()
                values[key[:-1]] = int(amount) / 1024  # kB -> MiB
    return values.get("VmRSS", float("nan")), values.get("VmHWM", float("nan"))


@contextlib.contextmanager
def serve(database_url: str | None, workers: int, log_path: Path, *, app_factory: str | None = None,
          timeout: float = 600.0) -> Iterator[Server]:
    """`mra-registry serve` on a free port, in a session of its own; waits until /readyz answers 200."""
    port = _free_port()
    command = [sys.executable, "-m", "mra_registry", "serve", "--host", "127.0.0.1", "--port", str(port),
               "--workers", str(workers)]
    if app_factory:
        command += ["--app-factory", app_factory]
    env = {**os.environ}
    if database_url:
        env["MRA_DATABASE_URL"] = database_url
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    server = Server(f"http://127.0.0.1:{port}", process, log_path, workers)
    try:
        started = time.monotonic()
        _wait_ready(server, timeout)
        server.startup_seconds = time.monotonic() - started
        yield server
    finally:
        _stop(process)


def _wait_ready(server: Server, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"the server exited with {server.process.returncode}; its log: {server.log_path}\n"
                               + server.log_path.read_text(errors="replace")[-4000:])
        with contextlib.suppress(urllib.error.URLError, OSError):
            with urllib.request.urlopen(f"{server.base_url}/readyz", timeout=2) as response:
                # /readyz reaches one worker; every worker logs the end of its start-up (snapshot loaded)
                if (response.status == 200 and len(server.worker_pids()) == server.workers
                        and server.log_count("Application startup complete") >= server.workers):
                    return
        time.sleep(0.2)
    raise RuntimeError(f"{server.base_url} was not ready within {timeout:g} s; its log: {server.log_path}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def graphql(base_url: str, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    """One GraphQL request, its JSON answer (also for an error status)."""
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    request = urllib.request.Request(f"{base_url}/graphql", body, {"content-type": "application/json",
                                                                     "accept": "application/graphql-response+json"})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as error:
        return json.loads(error.read())
