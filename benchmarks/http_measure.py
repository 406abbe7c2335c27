"""Measuring for the HTTP benchmark: the settings of a run, the servers started per configuration, the rounds of
wrk runs (interleaved, median kept) and their results per (workers, database, registry) block."""
from __future__ import annotations

import math
import shutil
import statistics
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from benchmarks.http_databases import OUT_DIR, Database, ensure_database, postgres_admin_url, postgres_available
from benchmarks.http_servers import BARE_APP, Server, cpu_seconds, serve, wait_idle
from benchmarks.http_workloads import ENDPOINTS, targets_for
from benchmarks.wrk import Target, WrkResult, run_wrk

CONCURRENT = ("a", "b", "c", "d")  # loaded at plan.connections, every round
# loaded one request at a time (wrk -t1 -c1), every round; (a) there is the floor of a request one at a time
ALONE = ("a", "b", "d", "e")


@dataclass
class Plan:
    workers: tuple[int, ...] = (1, 2)
    databases: tuple[str, ...] = ("sqlite", "postgresql")
    registries: tuple[str, ...] = ("fixtures", "synthetic")
    cabs: int = 100_000
    connections: int = 16
    threads: int = 2
    warmup: float = 2.0
    duration: float = 8.0
    rounds: int = 3
    single_duration: float = 4.0  # a run one request at a time: (a), (b), (d), (e) every round, (c) once
    out_dir: Path = OUT_DIR
    startup_timeout: float = 600.0

    def label(self, registry: str) -> str:
        return "fixtures" if registry == "fixtures" else f"{self.cabs:,} CABs"


QUICK = dict(warmup=1.0, duration=2.0, rounds=1, single_duration=2.0)


def _median(values: Iterable[float]) -> float:
    values = list(values)
    return statistics.median(values) if values else float("nan")


def ratio(a: float, b: float) -> float:
    return a / b if b and not math.isnan(b) else float("nan")


@dataclass
class Measurement:
    workers: int
    backend: str
    registry: str
    endpoint: str  # a to e
    runs: list[WrkResult] = field(default_factory=list)  # at plan.connections
    alone: list[WrkResult] = field(default_factory=list)  # one request at a time
    note: str = ""
    items: int = 0  # status records in the answer, for (d) and (e)
    # per run at plan.connections: the serving workers' CPU time (utime + stime) over the requests wrk completed, µs
    cpu_per_request: list[float] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return _median(r.requests_per_second for r in self.runs)

    @property
    def p50(self) -> float:
        return _median(r.p50 for r in self.runs)

    @property
    def p99(self) -> float:
        return _median(r.p99 for r in self.runs)

    @property
    def errors(self) -> int:
        return sum(r.errors for r in self.runs)

    @property
    def cpu_us(self) -> float:
        """The median over the rounds of the server's CPU per request (µs), at plan.connections."""
        return _median(self.cpu_per_request)

    @property
    def alone_rate(self) -> float:
        return _median(r.requests_per_second for r in self.alone)

    @property
    def alone_p50(self) -> float:
        """The median over the rounds of the median latency, one request at a time."""
        return _median(r.p50 for r in self.alone)

    @property
    def alone_p99(self) -> float:
        return _median(r.p99 for r in self.alone)

    @property
    def alone_errors(self) -> int:
        return sum(r.errors for r in self.alone)

    @property
    def ms_per_item(self) -> float:
        """One request at a time: its p50 per status record answered."""
        return ratio(self.alone_p50, self.items) if self.items else float("nan")


@dataclass
class Block:
    """One server configuration: workers x backend x registry, with its (a) measured alongside."""

    workers: int
    backend: str
    registry: str
    measurements: dict[str, Measurement]
    memory: list[tuple[float, float]]  # per worker: RSS, peak RSS (MiB)
    bare_memory: list[tuple[float, float]]
    registry_label: str = ""
    restarts: int = 0  # workers replaced by uvicorn's supervisor during the block
    startup_seconds: float = float("nan")

    def share(self, endpoint: str) -> float:
        return ratio(self.measurements[endpoint].rate, self.measurements["a"].rate)

    def cpu_share(self, endpoint: str) -> float:
        """(a)'s server CPU per request over this endpoint's: the share of (a)'s req/s the endpoint would reach with
        both servers' cores saturated, whatever the load generator, sharing the machine, could drive."""
        return ratio(self.measurements["a"].cpu_us, self.measurements[endpoint].cpu_us)

    def browsing_vs_clearance(self) -> float:
        """(d)'s p50 over (b)'s, one request at a time."""
        return ratio(self.measurements["d"].alone_p50, self.measurements["b"].alone_p50)

    def nested_vs_flat(self) -> float:
        """(d)'s time per status record over (e)'s, one request at a time."""
        return ratio(self.measurements["d"].ms_per_item, self.measurements["e"].ms_per_item)


def measure_block(plan: Plan, workers: int, database: Database, bare: Server, server: Server,
                  scratch: Path, log=print) -> Block:
    targets = {"a": Target(f"{bare.base_url}/"), **targets_for(server, database)}
    for key, target in targets.items():
        target.prepare(scratch, f"{database.backend}-{database.registry}-{workers}-{key}")
    measurements = {key: Measurement(workers, database.backend, database.registry, key, note=target.note,
                                     items=target.items)
                    for key, target in targets.items()}
    bare_pids, server_pids = bare.worker_pids(), server.worker_pids()
    busy = bare_pids + server_pids

    def load(target: Target, seconds: float, connections: int, threads: int) -> WrkResult:
        wait_idle(busy)  # never start behind the previous run's leftovers
        return run_wrk(target, seconds, connections, threads)

    def load_counting_cpu(key: str, seconds: float, connections: int, threads: int) -> tuple[WrkResult, float]:
        """A run, and the CPU its serving workers spent per completed request (µs)."""
        wait_idle(busy)
        pids = bare_pids if key == "a" else server_pids
        before = cpu_seconds(pids)
        result = run_wrk(targets[key], seconds, connections, threads)
        spent = cpu_seconds(pids) - before  # includes the tail of requests wrk left in flight: a few per run
        return result, (spent * 1e6 / result.requests if result.requests else float("nan"))

    for key, target in targets.items():  # warm-up: caches, connection pools, the first-time paths
        load(target, plan.warmup, plan.connections, plan.threads)
    for round_number in range(plan.rounds):
        for key in CONCURRENT:
            result, cpu = load_counting_cpu(key, plan.duration, plan.connections, plan.threads)
            measurements[key].runs.append(result)
            measurements[key].cpu_per_request.append(cpu)
            log(f"  round {round_number + 1}/{plan.rounds} {ENDPOINTS[key]:<30} {result.requests_per_second:>9,.1f} "
                f"req/s  p50 {result.p50:7.2f} ms  p99 {result.p99:7.2f} ms  CPU {cpu:8.1f} µs/request"
                + _errors(result))
        for key in ALONE:
            result = load(targets[key], plan.single_duration, 1, 1)
            measurements[key].alone.append(result)
            log(f"  round {round_number + 1}/{plan.rounds} one at a time {ENDPOINTS[key]:<30} "
                f"p50 {result.p50:7.2f} ms  ({result.requests} requests)" + _errors(result))
    single = load(targets["c"], plan.single_duration, 1, 1)
    measurements["c"].alone.append(single)
    log(f"  one connection {ENDPOINTS['c']:<30} p50 {single.p50:7.1f} ms per declaration")
    return Block(workers, database.backend, database.registry, measurements, server.memory_mib(), bare.memory_mib(),
                 plan.label(database.registry), server.restarts(), server.startup_seconds)


def _errors(result: WrkResult) -> str:
    return f"  errors {result.errors}" if result.errors else ""


def run(plan: Plan, log=print) -> list[Block]:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install -y wrk)")
    backends = list(plan.databases)
    if "postgresql" in backends:
        problem = postgres_available()
        if problem:
            log(f"PostgreSQL at {postgres_admin_url()} is not reachable ({problem}): measuring SQLite only")
            backends.remove("postgresql")
    databases = [ensure_database(plan.out_dir, plan.cabs, backend, registry, log)
                 for backend in backends for registry in plan.registries]
    blocks = []
    logs = plan.out_dir / "logs"  # kept: the servers' logs of the last run, to read when something looks odd
    logs.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="http-bench-") as directory:
        scratch = Path(directory)
        for workers in plan.workers:
            with serve(None, workers, logs / f"bare-{workers}.log", app_factory=BARE_APP,
                       timeout=plan.startup_timeout) as bare:
                for database in databases:
                    log(f"{workers} worker(s), {database.backend}, {plan.label(database.registry)}")
                    log_path = logs / f"registry-{database.backend}-{database.registry}-{workers}.log"
                    try:
                        with serve(database.url, workers, log_path, timeout=plan.startup_timeout) as server:
                            blocks.append(measure_block(plan, workers, database, bare, server, scratch, log))
                    except Exception:
                        if log_path.exists():
                            log(log_path.read_text(errors="replace")[-4000:])
                        raise
    return blocks
