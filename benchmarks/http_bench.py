"""HTTP benchmark: the registry's GraphQL endpoints against a bare Starlette endpoint, with wrk, in one run.

    python -m benchmarks.http_bench            # full run: about 20 minutes (plus a few the first time: the
                                               # 100,000-CAB databases are built and cached in benchmarks/out/)
    python -m benchmarks.http_bench --quick    # the same matrix, much shorter runs

What is measured, each with `mra-registry serve --workers N` (the same command and uvicorn settings for all),
wrk with 16 connections on this machine, a short warm-up, then rounds of fixed duration (the median is kept):

  (a) a bare Starlette JSON endpoint (benchmarks/bare_app.py): the ceiling;
  (b) `clearance` over HTTP: the customs officer's query of docs/api.md (outcome, reasons, route, path,
      warnings, policy), over a pool of consignments recognised through an arrangement (the full chain is checked);
  (c) `clearances` with 1,000 lines: the trade portal's declaration query of docs/api.md; throughput at 16
      connections, and the time one declaration takes alone (one connection: what the 250 ms target is about);
  (d) registry browsing with nested lists (accreditation bodies, their statuses, each status's arrangement):
      reads the database through the dataloaders.

on SQLite and PostgreSQL, on the fixtures (data/reference/registry.json + data/fixtures/scenarios.json, loaded
with the project's own loader) and on the 100,000-CAB synthetic registry (benchmarks/synthetic.py; invented
data), with 1 and 2 workers. The rounds of (a) to (d) are interleaved, so that a noisy neighbour on a shared
machine slows them alike and the shares stay meaningful. Memory per worker is the resident set size of each
worker process (/proc/PID/status) after its runs.

The table is printed and written to docs/performance.md under "## HTTP service" (other sections are kept).
"""
from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import math
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

ROOT = Path(__file__).resolve().parents[1]
if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(ROOT))

OUT_DIR = ROOT / "benchmarks" / "out"
DOC_PATH = ROOT / "docs" / "performance.md"
SECTION = "## HTTP service"
FIXTURE_DOCUMENTS = (ROOT / "data" / "reference" / "registry.json", ROOT / "data" / "fixtures" / "scenarios.json")
POSTGRES_SERVER_URL = os.environ.get("MRA_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
BARE_APP = "benchmarks.bare_app:create_app"
# Bump when the way the cached databases are built changes: they are rebuilt when their stamp differs.
LOADER_VERSION = 3

# -- the queries ----------------------------------------------------------------------------------------------------

# (b) is the customs officer's query of docs/api.md (the decision with its evidence); (c) the trade portal's
# declaration query of docs/api.md (per line: the verdict, the route and the warnings).
CLEARANCE_QUERY = """query Clearance($input: ClearanceInput!) {
  clearance(input: $input) {
    outcome reason
    reasons { code message route }
    route { kind arrangement { code name } sector { code name } }
    path { kind record validFrom validTo statusOnIssue statusOnClearance holds confidence sources }
    warnings { code message }
    policy { code maxAgeDays lotMatch requiredTests }
    issueDate clearanceDate registryVersion
  }
}"""
CLEARANCES_QUERY = """query Declaration($inputs: [ClearanceInput!]!) {
  clearances(inputs: $inputs) { outcome reason route { kind arrangement { code } } warnings { code } registryVersion }
}"""
BROWSE_QUERY = """query Browse {
  accreditationBodies(first: 20) {
    edges { node { code statuses(first: 100) { edges { node { arrangement { code } status validFrom } } } } }
  }
}"""
DECLARATION_LINES = 1000
POOL_SIZE = 64  # consignments rotated through by (b)

# What the profiles showed (cProfile and timing of the ASGI app driven in-process, 2026-11-25, this machine). Kept
# here so that every run's section carries it; re-profile with the same method when the figures move.
PROFILE_NOTES = """\
### Profile: where the time goes, and what would close the gaps

Profiled in-process (the ASGI app called directly, no sockets; cProfile for the shares, plain timing for the
figures), on the fixtures and on the 100,000-CAB registry:

- **(b) misses 25% of (a): 10-11% with 1 worker, 13-17% with 2.** Planned execution
  (`mra_registry/web/planned_execution.py`, 2026-11-26) took the officer's query from about 0.51 to 0.31 ms
  in-process (1.7x; over HTTP 1,500-1,600 -> 2,100-2,300 req/s with 1 worker): a cached document now runs from
  a plan compiled once (fields collected and merged ahead, graphene's default resolver read directly, one
  `ResolveInfo` per field per request instead of per item), and graphql-core's executor is kept for whatever the
  plan cannot answer exactly as it would. What a request costs now, in shares of the in-process profile:
  coercing the `ClearanceInput` variables through graphql-core (`coerce_input_value` and its nesting check)
  about 20%, the plan's own field completion about 25%, the engine's decision 15-18% (0.03 ms on the fixtures,
  0.05-0.07 ms on 100,000 CABs), and the transport (middleware, negotiation, body, the JSON access-log line,
  the context) most of the rest, about 0.1 ms, which over HTTP is already about a third of the bare ceiling's
  request. What would close the rest: a compiled coercer for the input variables (the next largest piece),
  a cheaper access log (one pre-formatted line, no `LogRecord` machinery), and more workers, which scale (b)
  almost linearly here while the bare ceiling barely moves. Reaching 25% with one worker would take a request
  path of about 0.15 ms in Python, half of today's. Measured and rejected: a per-type cached `is_awaitable`
  (about 2%), and a response cache keyed by the consignment (it would measure the cache, not the service).
- **(c) is met** (about 80-100 ms per 1,000-line declaration alone). Its time splits about evenly between variable
  coercion of the 1,000 inputs, the decisions, and completing the results. At 16 connections the p99 is several
  seconds: a declaration runs synchronously on the event loop for ~0.1 s, so every request queued on that
  worker waits behind it (requests whose bodies arrive in several chunks wait several times). Mixed traffic
  would see (b)'s p99 rise to at least one declaration's time; a separate worker pool (or instance) for
  declarations keeps the officers' latency.
- **(d), browsing**: about 16-19 ms per request in-process on the fixtures. graphql-core's async machinery
  dominates: every status's `arrangement` is an async dataloader field, so each status object and each list
  becomes an `asyncio.gather` with tasks; since nested lists became Relay connections (2026-11-26) each status
  also resolves `edges` and `node`, about 25% more work than the plain lists, while loading arrangements'
  sectors and operations only when selected saved one statement. Planned execution does not apply: the first
  dataloader hands the document back to graphql-core for good. What would help: resolve `arrangement`
  synchronously from a per-version cache of the (small) arrangement table, which would let the plan run it.
- **100,000 CABs vs fixtures**: within 1.2x once the collector fix below was in (before it, on 2026-11-25:
  (d) 1.3-1.6x slower with a p99 of 1.0-1.5 s, (c) up to 1.38x). The workloads differ in shape as well as in
  registry size (the synthetic declaration and consignment pool come from another mix; (d)'s first 20
  synthetic bodies carry more status records: see the notes column), so the ratios are indicative. The
  engine decides a recognised consignment in ~0.05 ms at 100,000 CABs vs ~0.03 ms on the fixtures (its hot
  spots: route evaluation, `requirement`, status readings; see "Recognition engine"): at most a tenth of (b).
- **Fixed in this round (store/snapshots.py)**: reading the 100,000-CAB registry took 31 s, 13 s of it in
  generation-2 garbage collections, one of them holding the GIL 4.4 s: long enough, on a loaded machine, for
  uvicorn's supervisor (5 s health check) to kill a starting worker and start another (most likely what a
  2-worker quick run on a loaded machine showed: no request answered, one worker at 457 MiB). The collector
  is now paused while the registry is read (start-up about 17 s). And while serving, a full collection came
  every ~7 s and held the GIL ~0.8 s (every request in flight waited: p99 spikes, ~14% fewer requests): after
  a large snapshot is swapped in, the provider now collects once and freezes what is alive (`gc.freeze`),
  and those collections take 1-2 ms.
- **Memory**: a worker holds its own snapshot, about 0.9-1.0 GiB resident on 100,000 CABs (peak about
  1.9-2.0 GiB while it is built; a refresh holds the old and the new snapshot for a moment), and under 0.1 GiB
  on the fixtures. N workers cost N times that: size the instances for it.
"""

ENDPOINTS = {
    "a": "(a) bare Starlette JSON",
    "b": "(b) clearance",
    "c": "(c) clearances, 1,000 lines",
    "d": "(d) browsing, nested lists",
}


# -- settings of one run ---------------------------------------------------------------------------------------------

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
    single_duration: float = 4.0  # (c) with one connection
    out_dir: Path = OUT_DIR
    startup_timeout: float = 600.0

    def label(self, registry: str) -> str:
        return "fixtures" if registry == "fixtures" else f"{self.cabs:,} CABs"


QUICK = dict(warmup=1.0, duration=2.0, rounds=1, single_duration=2.0)


# -- wrk ------------------------------------------------------------------------------------------------------------

@dataclass
class WrkResult:
    requests_per_second: float
    latency_ms: dict[int, float]  # percentile -> ms
    requests: int
    errors: int  # socket errors + non-2xx/3xx answers

    @property
    def p50(self) -> float:
        return self.latency_ms.get(50, float("nan"))

    @property
    def p99(self) -> float:
        return self.latency_ms.get(99, float("nan"))


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def _duration_ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text.strip())
    if not match:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match.group(1)) * _UNITS_MS[match.group(2)]


def parse_wrk(output: str) -> WrkResult:
    """Reads wrk's text report (with --latency): requests/s, the latency distribution, request and error counts."""
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    total = re.search(r"^\s*(\d+) requests in ", output, re.M)
    if not rate or not total:
        raise ValueError(f"cannot read wrk's report:\n{output}")
    latency: dict[int, float] = {}
    distribution = output.split("Latency Distribution", 1)
    if len(distribution) == 2:
        for percent, value in re.findall(r"^\s+(\d+(?:\.\d+)?)%\s+(\S+)\s*$", distribution[1], re.M):
            latency[int(float(percent))] = _duration_ms(value)
    errors = 0
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        errors += int(non_2xx.group(1))
    requests = int(total.group(1))
    if requests == 0:  # nothing finished within the run: no latency to speak of
        latency = {percent: float("nan") for percent in latency}
    return WrkResult(float(rate.group(1)), latency, requests, errors)


def _lua_string(text: str) -> str:
    level = 0
    while f"]{'=' * level}]" in text:
        level += 1
    return f"[{'=' * level}[{text}]{'=' * level}]"


def lua_script(bodies: Sequence[str]) -> str:
    """POSTs the bodies in turn (one body: wrk pre-formats the request once)."""
    lines = ['wrk.method = "POST"', 'wrk.headers["Content-Type"] = "application/json"',
             'wrk.headers["Accept"] = "application/graphql-response+json"']
    if len(bodies) == 1:
        lines.append(f"wrk.body = {_lua_string(bodies[0])}")
        return "\n".join(lines) + "\n"
    lines.append("local bodies = {")
    lines += [f"  {_lua_string(body)}," for body in bodies]
    lines += [
        "}",
        "local requests = {}",
        "local counter = 0",
        "function init(args)",
        "  for i, body in ipairs(bodies) do requests[i] = wrk.format(nil, nil, nil, body) end",
        "  counter = math.random(#requests)",  # each thread starts elsewhere in the pool
        "end",
        "function request()",
        "  counter = counter % #requests + 1",
        "  return requests[counter]",
        "end",
    ]
    return "\n".join(lines) + "\n"


@dataclass
class Target:
    """One thing to load: a URL and, for POSTs, the Lua script that sends the bodies."""

    url: str
    bodies: Sequence[str] = ()
    script: Path | None = None
    note: str = ""  # what the request covers, for the table

    def prepare(self, directory: Path, name: str) -> "Target":
        if self.bodies:
            self.script = directory / f"{name}.lua"
            self.script.write_text(lua_script(self.bodies), encoding="utf-8")
        return self


def wrk_command(target: Target, seconds: float, connections: int, threads: int) -> list[str]:
    threads = max(1, min(threads, connections))
    # wrk takes whole seconds
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, math.ceil(seconds))}s", "--latency",
               "--timeout", "30s"]
    if target.script is not None:
        command += ["-s", str(target.script)]
    return command + [target.url]


def run_wrk(target: Target, seconds: float, connections: int, threads: int) -> WrkResult:
    command = wrk_command(target, seconds, connections, threads)
    finished = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 120)
    if finished.returncode != 0:
        raise RuntimeError(f"wrk failed ({finished.returncode}): {finished.stderr or finished.stdout}")
    return parse_wrk(finished.stdout)


# -- databases ------------------------------------------------------------------------------------------------------

def _postgres_admin_url() -> str:
    return POSTGRES_SERVER_URL


def postgres_available() -> str | None:
    """None when the PostgreSQL server answers, else why not."""
    try:
        import psycopg

        with psycopg.connect(_pg_dsn(_postgres_admin_url()), connect_timeout=3):
            return None
    except Exception as error:  # noqa: BLE001 - any failure means: no PostgreSQL rows in this run
        return f"{type(error).__name__}: {error}".strip()


def _pg_dsn(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def _pg_database_url(name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(_postgres_admin_url()).set(database=name).render_as_string(hide_password=False)


def _pg_recreate(name: str) -> None:
    import psycopg

    with psycopg.connect(_pg_dsn(_postgres_admin_url()), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def _pg_exists(name: str) -> bool:
    import psycopg

    with psycopg.connect(_pg_dsn(_postgres_admin_url()), autocommit=True) as connection:
        return connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None


def _stamp(registry: str, cabs: int) -> str:
    """What a cached database was built from: the generator, the migrations and this loader."""
    digest = hashlib.sha256(f"{LOADER_VERSION}:{registry}:{cabs}".encode())
    sources = [ROOT / "benchmarks" / "synthetic.py"] if registry == "synthetic" else list(FIXTURE_DOCUMENTS)
    sources += sorted((ROOT / "mra_registry" / "store" / "migrations" / "versions").glob("*.py"))
    for path in sources:
        digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass
class Database:
    backend: str  # sqlite | postgresql
    registry: str  # fixtures | synthetic
    url: str
    workload: "Workload"


def ensure_database(plan: Plan, backend: str, registry: str, log=print) -> Database:
    """A database of this registry on this backend, built once and cached (SQLite files and a stamp per database
    in the output directory; PostgreSQL databases named mra_bench_*)."""
    plan.out_dir.mkdir(parents=True, exist_ok=True)
    size = plan.cabs if registry == "synthetic" else 0
    name = "fixtures" if registry == "fixtures" else f"synthetic-{plan.cabs}"
    stamp = _stamp(registry, size)
    stamp_path = plan.out_dir / f"{backend}-{name}.stamp"
    workload_path = plan.out_dir / f"workload-{name}.json"
    if backend == "sqlite":
        path = plan.out_dir / f"{name}.sqlite3"
        url = f"sqlite:///{path}"
        cached = path.exists()
    else:
        pg_name = "mra_bench_" + name.replace("-", "_")
        url = _pg_database_url(pg_name)
        cached = _pg_exists(pg_name)
    fresh = (cached and workload_path.exists() and stamp_path.exists()
             and stamp_path.read_text().strip() == stamp)
    if not fresh:
        started = time.perf_counter()
        log(f"building the {registry} database on {backend} ({url}) ...")
        if backend == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        else:
            _pg_recreate(pg_name)
        stamp_path.unlink(missing_ok=True)
        if registry == "fixtures":
            workload = build_fixtures(url)
            workload_path.write_text(json.dumps(dataclasses.asdict(workload)), encoding="utf-8")
        else:
            # In a child process: building 100,000 CABs holds a few GiB that the parent should not keep.
            subprocess.run([sys.executable, "-m", "benchmarks.http_bench", "--build-synthetic", url,
                            "--cabs", str(plan.cabs), "--workload", str(workload_path)], cwd=ROOT, check=True)
        stamp_path.write_text(stamp + "\n", encoding="utf-8")
        log(f"  built in {time.perf_counter() - started:.0f} s")
    workload = Workload(**json.loads(workload_path.read_text(encoding="utf-8")))
    return Database(backend, registry, url, workload)


@dataclass
class Workload:
    """Inputs for (b) and (c), as GraphQL ClearanceInput values: `candidates` are filtered on the live server
    to those recognised through an arrangement for (b); `declaration` is the 1,000 lines of (c)."""

    candidates: list[dict[str, Any]]
    declaration: list[dict[str, Any]]


def _input_of(consignment) -> dict[str, Any]:
    """A domain Consignment as a GraphQL ClearanceInput."""
    value: dict[str, Any] = {"exporter": consignment.exporter, "importer": consignment.importer,
                             "hsCode": consignment.hs_code, "clearanceDate": consignment.clearance_date.isoformat()}
    if consignment.lot is not None:
        value["lot"] = consignment.lot
    a = consignment.attestation
    if a is not None:
        attestation: dict[str, Any] = {"type": a.type.value, "issuer": a.issuer, "issueDate": a.issue_date.isoformat()}
        for key, item in (("accreditationBody", a.accreditation_body), ("accreditationNumber", a.accreditation_number),
                          ("lot", a.lot)):
            if item is not None:
                attestation[key] = item
        if a.tests is not None:
            attestation["tests"] = list(a.tests)
        if not a.under_accreditation:
            attestation["underAccreditation"] = False
        value["attestation"] = attestation
    return value


def build_fixtures(url: str) -> Workload:
    """migrate + load, as an operator does (the project's own loader, in one transaction)."""
    from sqlalchemy.orm import Session

    from mra_registry.store.changes import Actor
    from mra_registry.store.database import make_engine
    from mra_registry.store.loading import load_files
    from mra_registry.store.migrate import upgrade_to_head
    from tests.scenario_cases import CASES, to_consignment

    engine = make_engine(url)
    try:
        upgrade_to_head(engine)
        with Session(engine) as session, session.begin():
            # The benchmark lays the invented fixtures over the real data on purpose (its decisions need both).
            load_files(session, [str(p) for p in FIXTURE_DOCUMENTS], Actor(name="benchmark", role="ADMINISTRATOR"),
                       allow_fixture_overwrite=True)
    finally:
        engine.dispose()
    inputs = [_input_of(to_consignment(case)) for case in CASES]
    return Workload(candidates=inputs, declaration=[inputs[i % len(inputs)] for i in range(DECLARATION_LINES)])


def build_synthetic(url: str, cabs: int) -> Workload:
    """The synthetic registry through the project's store layer: everything but the CABs goes through the
    registry-document loader (validated, with its change log); the CABs, their accreditations, scope items and
    designations are then bulk-inserted in the same transaction with the store's own row mapping (the
    document loader flushes per CAB and would take many minutes for 100,000 of them)."""
    import gc

    from sqlalchemy import insert, text
    from sqlalchemy.orm import Session

    from benchmarks.engine_bench import consignment_mix
    from benchmarks.synthetic import generate
    from mra_registry.interchange import writer
    from mra_registry.store import mapping
    from mra_registry.store import models as m
    from mra_registry.store.changes import Actor
    from mra_registry.store.database import make_engine
    from mra_registry.store.loading import load_documents
    from mra_registry.store.migrate import upgrade_to_head

    registry, catalogue = generate(cabs)
    engine = make_engine(url)
    try:
        upgrade_to_head(engine)
        without_cabs = dataclasses.replace(registry, cabs=())
        document = writer.document(without_cabs, title="Synthetic benchmark registry (invented)")
        with Session(engine) as session, session.begin():
            result = load_documents(session, [("synthetic", document)], Actor(name="benchmark", role="ADMINISTRATOR"))
            version = result.version
            _bulk_insert_cabs(session, registry.cabs, version, insert, mapping, m)
        if engine.dialect.name == "postgresql":
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("ANALYZE"))
    finally:
        engine.dispose()
    mix = consignment_mix(registry, catalogue, 4 * DECLARATION_LINES)
    del registry
    gc.collect()
    inputs = [_input_of(c) for c in mix]
    return Workload(candidates=inputs[DECLARATION_LINES:], declaration=inputs[:DECLARATION_LINES])


def _columns(row) -> dict[str, Any]:
    return {key: value for key, value in vars(row).items() if not key.startswith("_")}


def _bulk_insert_cabs(session, cabs, version: int, insert, mapping, m, chunk: int = 20_000) -> None:
    session.execute(insert(m.CabRow), [dict(code=c.code, **mapping.cab_columns(c)) for c in cabs])
    accreditations = [a for c in cabs for a in c.accreditations]
    for start in range(0, len(accreditations), chunk):
        rows, scopes = zip(*(mapping.accreditation_rows(a, version) for a in accreditations[start:start + chunk]))
        ids = session.scalars(
            insert(m.AccreditationRow).returning(m.AccreditationRow.id, sort_by_parameter_order=True),
            [_columns(r) for r in rows],
        ).all()
        items = [{**_columns(item), "accreditation_id": id_} for id_, scope in zip(ids, scopes) for item in scope]
        if items:
            session.execute(insert(m.ScopeItemRow), items)
    designations = [_columns(mapping.designation_row(d, version)) for c in cabs for d in c.designations]
    if designations:
        session.execute(insert(m.DesignationRow), designations)


# -- servers --------------------------------------------------------------------------------------------------------

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


def _cpu_seconds(pids: Iterable[int]) -> float:
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
        before = _cpu_seconds(pids)
        time.sleep(window)
        if _cpu_seconds(pids) - before <= busy_share * window * max(len(pids), 1):
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
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    request = urllib.request.Request(f"{base_url}/graphql", body, {"content-type": "application/json",
                                                                     "accept": "application/graphql-response+json"})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as error:
        return json.loads(error.read())


def _body(query: str, variables: dict[str, Any] | None = None) -> str:
    payload: dict[str, Any] = {"query": query}
    if variables:
        payload["variables"] = variables
    return json.dumps(payload, separators=(",", ":"))


def targets_for(server: Server, database: Database) -> dict[str, Target]:
    """The requests of (b), (c), (d) for this registry, checked once on the live server: every answer has data
    and no error, and (b)'s pool holds only decisions recognised through an arrangement."""
    workload = database.workload
    checked = graphql(server.base_url, CLEARANCES_QUERY, {"inputs": workload.candidates[:DECLARATION_LINES]})
    _no_errors(checked, "clearances over the candidates")
    pool = [line for line, decision in zip(workload.candidates, checked["data"]["clearances"])
            if decision["outcome"] == "RECOGNISED" and decision["reason"] == "ARRANGEMENT_ROUTE"]
    if not pool:
        raise RuntimeError(f"no candidate consignment of the {database.registry} registry is recognised")
    pool = pool[:POOL_SIZE]
    declaration = {"inputs": workload.declaration}
    declared = graphql(server.base_url, CLEARANCES_QUERY, declaration)
    _no_errors(declared, "the 1,000-line declaration")
    browsed = graphql(server.base_url, BROWSE_QUERY)
    _no_errors(browsed, "browsing")
    if not browsed["data"]["accreditationBodies"]["edges"]:
        raise RuntimeError("browsing returned no accreditation bodies")
    outcomes: dict[str, int] = {}
    for decision in declared["data"]["clearances"]:
        outcomes[decision["outcome"]] = outcomes.get(decision["outcome"], 0) + 1
    mix = ", ".join(f"{outcome} {count * 100 // len(workload.declaration)}%"
                    for outcome, count in sorted(outcomes.items(), key=lambda item: -item[1]))
    edges = browsed["data"]["accreditationBodies"]["edges"]
    statuses = sum(len(edge["node"]["statuses"]["edges"]) for edge in edges)
    url = f"{server.base_url}/graphql"
    return {
        "b": Target(url, [_body(CLEARANCE_QUERY, {"input": line}) for line in pool],
                    note=f"pool of {len(pool)} consignment(s)"),
        "c": Target(url, [_body(CLEARANCES_QUERY, declaration)], note=mix),
        "d": Target(url, [_body(BROWSE_QUERY)], note=f"{len(edges)} bodies, {statuses} statuses"),
    }


def _no_errors(answer: dict[str, Any], what: str) -> None:
    if answer.get("errors") or not answer.get("data"):
        raise RuntimeError(f"{what} did not answer cleanly: {json.dumps(answer)[:2000]}")


# -- measuring ------------------------------------------------------------------------------------------------------

@dataclass
class Measurement:
    workers: int
    backend: str
    registry: str
    endpoint: str  # a, b, c, d
    runs: list[WrkResult] = field(default_factory=list)
    single: WrkResult | None = None  # (c) with one connection
    note: str = ""

    @property
    def rate(self) -> float:
        return statistics.median(r.requests_per_second for r in self.runs)

    @property
    def p50(self) -> float:
        return statistics.median(r.p50 for r in self.runs)

    @property
    def p99(self) -> float:
        return statistics.median(r.p99 for r in self.runs)

    @property
    def errors(self) -> int:
        return sum(r.errors for r in self.runs)


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
        return _ratio(self.measurements[endpoint].rate, self.measurements["a"].rate)


def _ratio(a: float, b: float) -> float:
    return a / b if b else float("nan")


def measure_block(plan: Plan, workers: int, database: Database, bare: Server, server: Server,
                  scratch: Path, log=print) -> Block:
    targets = {"a": Target(f"{bare.base_url}/"), **targets_for(server, database)}
    for key, target in targets.items():
        target.prepare(scratch, f"{database.backend}-{database.registry}-{workers}-{key}")
    measurements = {key: Measurement(workers, database.backend, database.registry, key, note=target.note)
                    for key, target in targets.items()}
    busy = bare.worker_pids() + server.worker_pids()

    def load(target: Target, seconds: float, connections: int, threads: int) -> WrkResult:
        wait_idle(busy)  # never start behind the previous run's leftovers
        return run_wrk(target, seconds, connections, threads)

    for key, target in targets.items():  # warm-up: caches, connection pools, the first-time paths
        load(target, plan.warmup, plan.connections, plan.threads)
    for round_number in range(plan.rounds):
        for key, target in targets.items():
            result = load(target, plan.duration, plan.connections, plan.threads)
            measurements[key].runs.append(result)
            log(f"  round {round_number + 1}/{plan.rounds} {ENDPOINTS[key]:<30} {result.requests_per_second:>9,.1f} "
                f"req/s  p50 {result.p50:7.2f} ms  p99 {result.p99:7.2f} ms" + (f"  errors {result.errors}"
                                                                                if result.errors else ""))
    measurements["c"].single = load(targets["c"], plan.single_duration, 1, 1)
    log(f"  one connection {ENDPOINTS['c']:<30} p50 {measurements['c'].single.p50:7.1f} ms per declaration")
    return Block(workers, database.backend, database.registry, measurements, server.memory_mib(), bare.memory_mib(),
                 plan.label(database.registry), server.restarts(), server.startup_seconds)


def run(plan: Plan, log=print) -> list[Block]:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install -y wrk)")
    backends = list(plan.databases)
    if "postgresql" in backends:
        problem = postgres_available()
        if problem:
            log(f"PostgreSQL at {_postgres_admin_url()} is not reachable ({problem}): measuring SQLite only")
            backends.remove("postgresql")
    databases = [ensure_database(plan, backend, registry, log) for backend in backends for registry in plan.registries]
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


# -- reporting ------------------------------------------------------------------------------------------------------

def _f(value: float, digits: int = 1) -> str:
    return f"{value:,.{digits}f}"


def results_table(blocks: Sequence[Block]) -> str:
    lines = ["| workers | database | registry | endpoint | req/s | p50 ms | p99 ms | share of (a) | notes |",
             "|---|---|---|---|---|---|---|---|---|"]
    for block in blocks:
        for key, measurement in block.measurements.items():
            notes = [measurement.note] if measurement.note else []
            if key == "c" and measurement.single is not None:
                per = measurement.single.p50
                notes.append(f"{_f(per, 0)} ms per declaration alone ({per / DECLARATION_LINES * 1000:.0f} µs/line); "
                             f"{_f(measurement.rate * DECLARATION_LINES, 0)} lines/s")
            if measurement.errors:
                notes.append(f"{measurement.errors} errors")
            share = "1.00" if key == "a" else f"{block.share(key):.2f}"
            lines.append(f"| {block.workers} | {block.backend} | {block.registry_label} | {ENDPOINTS[key]} | "
                         f"{_f(measurement.rate)} | {measurement.p50:.2f} | {measurement.p99:.2f} | {share} | "
                         f"{'; '.join(notes)} |")
    return "\n".join(lines)


def memory_table(blocks: Sequence[Block]) -> str:
    lines = ["| workers | database | registry | RSS per worker after the runs, MiB | peak RSS per worker, MiB | "
             "start-up until ready, s | workers restarted |",
             "|---|---|---|---|---|---|---|"]
    bare_seen = set()
    for block in blocks:
        if block.workers not in bare_seen:
            bare_seen.add(block.workers)
            lines.append(f"| {block.workers} | - | (a) bare app | {', '.join(_f(r, 0) for r, _ in block.bare_memory)} | "
                         f"{', '.join(_f(h, 0) for _, h in block.bare_memory)} | | |")
        lines.append(f"| {block.workers} | {block.backend} | {block.registry_label} | "
                     f"{', '.join(_f(r, 0) for r, _ in block.memory)} | {', '.join(_f(h, 0) for _, h in block.memory)} | "
                     f"{block.startup_seconds:.1f} | {block.restarts} |")
    return "\n".join(lines)


def target_lines(blocks: Sequence[Block]) -> list[str]:
    """Each target, per configuration: met or missed, with the figure."""
    def mark(ok: bool) -> str:
        return "met" if ok else "**missed**"

    lines = []
    for block in blocks:
        b, c = block.measurements["b"], block.measurements["c"]
        where = f"{block.workers} worker(s), {block.backend}, {block.registry_label}"
        share_ok, p99_ok = block.share("b") >= 0.25, b.p99 <= 20.0
        lines.append(f"- (b) {where}: {block.share('b'):.2f} of (a) ({mark(share_ok)}; target ≥ 0.25), "
                     f"p99 {b.p99:.1f} ms ({mark(p99_ok)}; target ≤ 20 ms)")
        if c.single is not None:
            lines.append(f"- (c) {where}: {c.single.p50:.0f} ms per 1,000-line declaration "
                         f"({mark(c.single.p50 <= 250)}; target ≤ 250 ms)")
    by_key = {(b.workers, b.backend, b.registry): b for b in blocks}
    for block in blocks:
        if block.registry != "synthetic":
            continue
        base = by_key.get((block.workers, block.backend, "fixtures"))
        if base is None:
            continue
        parts = []
        ok = True
        for key in ("b", "c", "d"):
            slower = _ratio(base.measurements[key].rate, block.measurements[key].rate)
            ok &= slower <= 1.2
            parts.append(f"{key} {slower:.2f}×")
        single = (_ratio(block.measurements["c"].single.p50, base.measurements["c"].single.p50)
                  if block.measurements["c"].single and base.measurements["c"].single else float("nan"))
        ok &= single <= 1.2
        lines.append(f"- {block.registry_label} vs fixtures, {block.workers} worker(s), {block.backend}: "
                     f"time per request {', '.join(parts)}, one declaration alone {single:.2f}× "
                     f"({mark(ok)}; target ≤ 1.2×)")
    return lines


def machine() -> str:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError, ValueError, IndexError):
        kib = int(Path("/proc/meminfo").read_text().split("MemTotal:", 1)[1].split()[0])
        memory = f", {kib / 2**20:.0f} GiB RAM"
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split("\n", 1)[0]
    wrk = wrk.split(" Copyright", 1)[0].strip()
    return (f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {cpu}{memory}; "
            f"Python {platform.python_version()}, {platform.system()} {platform.release()}; {wrk or 'wrk'}")


def report(blocks: Sequence[Block], plan: Plan, command: str, started: dt.datetime, load_before: str) -> str:
    wrk_example = " ".join(wrk_command(Target("http://127.0.0.1:PORT/graphql", script=Path("b.lua")),
                                       plan.duration, plan.connections, plan.threads))
    return "\n".join([
        SECTION,
        "",
        f"Measured {started:%Y-%m-%d %H:%M} UTC by `{command}` on {machine()}. Load average before the run: "
        f"{load_before}. The load generator runs on the same machine as the server, and the machine may be shared: "
        "read the figures as ratios within this run.",
        "",
        "Method: each server is `mra-registry serve --workers N` (default settings: INFO access log, document cache "
        f"on); (a) is benchmarks/bare_app.py served by the same command. wrk: `{wrk_example}` with a Lua script "
        f"POSTing the JSON bodies; {plan.warmup:g} s warm-up, then {plan.rounds} round(s) of {plan.duration:g} s, "
        "(a) to (d) interleaved, median kept; before each run the servers are left to finish the previous run's "
        f"requests. (b) rotates through up to {POOL_SIZE} consignments recognised through an arrangement, with the "
        "customs officer's query of docs/api.md; (c) is one 1,000-line declaration with the trade portal's query of "
        f"docs/api.md, measured at {plan.connections} connections and alone (one connection, "
        f"{max(1, math.ceil(plan.single_duration))} s: 'per declaration alone'); (d) is registry browsing. Fixtures: "
        "data/reference/registry.json + data/fixtures/scenarios.json loaded with the project's loader (the scenario "
        f"cases of tests/scenario_cases.py as consignments). Synthetic: benchmarks/synthetic.py with {plan.cabs:,} "
        "CABs (invented data), everything but the CABs loaded with the project's loader and the CABs bulk-inserted "
        "with the store's row mapping; consignments from benchmarks/engine_bench.py's mix.",
        "",
        "```graphql",
        CLEARANCE_QUERY,
        CLEARANCES_QUERY,
        BROWSE_QUERY,
        "```",
        "",
        "### Results",
        "",
        results_table(blocks),
        "",
        "### Memory per worker",
        "",
        memory_table(blocks),
        "",
        "### Targets",
        "",
        "(b) ≥ 25% of (a)'s req/s at the same workers and concurrency, p99 ≤ 20 ms at 16 connections; (c) ≤ 250 ms "
        "per 1,000-line declaration; the 100,000-CAB registry within 1.2× of the fixtures' figures.",
        "",
        *target_lines(blocks),
        "",
        PROFILE_NOTES,
    ])


def write_section(text: str, path: Path = DOC_PATH) -> None:
    """Replaces the "## HTTP service" section of the file (up to the next "## " heading), or appends it; every
    other section is kept as it is."""
    existing = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n"
    updated = replace_section(existing, text)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(updated, encoding="utf-8")


def replace_section(document: str, section: str) -> str:
    section = section.rstrip("\n") + "\n"
    lines = document.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.rstrip() == SECTION), None)
    if start is None:
        return document.rstrip("\n") + "\n\n" + section
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    tail = "".join(lines[end:])
    return "".join(lines[:start]) + section + ("\n" + tail if tail else "")


# -- command --------------------------------------------------------------------------------------------------------

def parse_args(argv: Sequence[str] | None) -> tuple[Plan, argparse.Namespace]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="much shorter runs (1 round of 2 s, 1 s warm-up); the same matrix")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--databases", nargs="+", choices=["sqlite", "postgresql"], default=["sqlite", "postgresql"])
    parser.add_argument("--registries", nargs="+", choices=["fixtures", "synthetic"], default=["fixtures", "synthetic"])
    parser.add_argument("--cabs", type=int, default=100_000, help="CABs in the synthetic registry (default 100,000)")
    parser.add_argument("--duration", type=float, help="seconds per round (default 8; --quick: 2)")
    parser.add_argument("--rounds", type=int, help="rounds per endpoint, median kept (default 3; --quick: 1)")
    parser.add_argument("--warmup", type=float, help="seconds of warm-up per endpoint (default 2; --quick: 1)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--out-dir", type=Path, default=OUT_DIR, help="where databases are built and cached")
    parser.add_argument("--doc", type=Path, default=DOC_PATH, help="the Markdown file whose section is replaced")
    parser.add_argument("--no-doc", action="store_true", help="print only; leave docs/performance.md alone")
    parser.add_argument("--build-synthetic", metavar="URL", help=argparse.SUPPRESS)  # the child that builds a database
    parser.add_argument("--workload", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    plan = Plan(workers=tuple(args.workers), databases=tuple(args.databases), registries=tuple(args.registries),
                cabs=args.cabs, connections=args.connections, out_dir=args.out_dir)
    if args.quick:
        plan = dataclasses.replace(plan, **QUICK)
    for name in ("duration", "rounds", "warmup"):
        if getattr(args, name) is not None:
            setattr(plan, name, getattr(args, name))
    return plan, args


def main(argv: Sequence[str] | None = None) -> str:
    plan, args = parse_args(argv)
    if args.build_synthetic:
        workload = build_synthetic(args.build_synthetic, plan.cabs)
        args.workload.write_text(json.dumps(dataclasses.asdict(workload)), encoding="utf-8")
        return ""
    started = dt.datetime.now(dt.timezone.utc)
    load_before = " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?"
    command = "python -m benchmarks.http_bench" + "".join(f" {a}" for a in (argv if argv is not None else sys.argv[1:]))
    blocks = run(plan, log=lambda message: print(message, flush=True))
    text = report(blocks, plan, command, started, load_before)
    print()
    print(text)
    if not args.no_doc:
        write_section(text, args.doc)
        print(f"written to {args.doc} ({SECTION})")
    return text


if __name__ == "__main__":
    main()
