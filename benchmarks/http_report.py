"""The HTTP benchmark's report: the Markdown section "## HTTP service" of docs/performance.md (method, queries,
the tables, the targets met or missed, the profile notes), and replacing that section in the file."""
from __future__ import annotations

import contextlib
import datetime as dt
import math
import os
import platform
import subprocess
from pathlib import Path
from typing import Sequence

from benchmarks.http_databases import DECLARATION_LINES
from benchmarks.http_measure import ALONE, Block, Plan, ratio
from benchmarks.http_servers import ROOT
from benchmarks.http_workloads import (BROWSE_QUERY, CLEARANCE_QUERY, CLEARANCES_QUERY, ENDPOINTS, FLAT_QUERY,
                                       MAX_PAGE, POOL_SIZE)
from benchmarks.wrk import Target, wrk_command

DOC_PATH = ROOT / "docs" / "performance.md"
SECTION = "## HTTP service"
BROWSING_LIMIT = 4.0  # (d) one request at a time, in clearances (b) one request at a time
NESTED_LIMIT = 1.2  # (d) per status record, in (e)'s

# What the profiles showed (cProfile of the ASGI app driven in-process, and the worker's CPU per request over HTTP). Kept
# here so that every run's section carries it; re-profile with the same method when the figures move.
PROFILE_NOTES = """\
### Profile: where the time goes, and what would close the gaps

Measured 2026-12-02 and 2026-12-03 on an Intel Xeon machine of this kind: in-process (the ASGI app called
directly, no sockets; cProfile for the shares) and over HTTP as the server's own CPU time per request (utime + stime of the worker from
/proc, divided by the requests wrk completed in the same 5 s; one worker, 16 connections), which is what (b)'s share
of (a) follows when the server's core is saturated (the table's 'CPU share' column now reports it every run).

The run above was on the Intel machine (the previous section's, of 2026-12-02, was on a slower AMD EPYC host of
the same kind, where every figure was about 1.8x and (b)'s share moved by 0.03-0.04 between runs). The fourth
pass on the request path (access lines formatted straight into JSON for the service's own handler, one generated
function per input type for coercion and for the variable checks, the domain consignment built without an Enum
call) took about 7 % of a clearance's server CPU in an interleaved A/B against the third (four rounds: 189.5 -> 175.8
µs; (a) 43-45 µs there, CPU share 0.25-0.26); in the full run above (a) measured 41-43 µs and (b) 177-180 µs: 0.23. Pinning the server to one core and wrk to the other
did not raise it (three paired runs: req/s share 0.239-0.240 pinned, 0.240-0.244 not). Compiling the domain engine with
mypyc was tried and set aside: mypyc (mypy 2.4.1) stops with internal errors on two domain modules, and the
slotted-dataclass constructors of domain/frozen.py and the Generic interval index do not survive compilation; the
68 errors mypy reports on domain/ would have to go first.

Fifth pass, 2026-12-04, on the AMD EPYC host again, which was noisy that day (steal time; the same endpoint's CPU
per request moved by up to 30 % between rounds of one run: (b) 178-248 µs, (a) 48-67 µs), so changes were
judged by instructions counted with callgrind on the in-process driver (unmoved by load): 666,026 -> 649,489 per
recognised clearance (-2.5 %; one attrgetter call per object for attribute fields, dates remembered like enums,
a slotted request context). Over HTTP on that host: (a) with a 1.6 KB POST body and answer costs about 2 µs more
than the bare GET; `{ __typename }` through the whole service about 20 µs more than that (in-process it is about
13 µs); a recognised clearance about 120 µs more than `{ __typename }`, against about 78 µs in-process: under load
the decision's own work costs about 1.5x what it costs in a hot in-process loop, so cutting it is worth about 1.5x
its in-process size. Writing the access log to a file or to /dev/null made no difference (197 vs 198 µs).
Remembering the completed answer of every object by identity (policies, arrangements and the shared path links
hit) saved 1.2 % of instructions and was not taken. A mypyc probe (a scratch copy) compiled all of domain/ once
about 20 annotations were fixed and the remaining mypy errors switched off: the engine ran 15-20 % faster (20.9 ->
17.4 µs per recognised decision, all 6,528 golden decisions identical), about 3-4 µs of a clearance.

Sixth pass, the evening of 2026-12-04, on the AMD EPYC host, noisier still: the bare endpoint cost 91-130 µs of
server CPU per request (twice the afternoon's) and a clearance 277-416 µs, and an interleaved A/B of the fifth
and sixth passes could not tell them apart (medians over five rounds 336.6 vs 334.9 µs, rounds 15 % apart).
Judged by callgrind on the in-process driver: 647,821 -> about 600,000 instructions per recognised clearance
(about -7.5 %; counts of the same code varied by about 0.5 % between runs). The compiled plan builds an object's answer with one dict display, takes a leaf that is its own
serialisation or is remembered before the awaitable check (and a null of a remembered leaf at once, which was a
memo miss and a completer call per missing date), calls an object's executor and completes a list of texts
inline; `PathStep.confidence` and `RecognitionRoute`'s fields are read with the object's other attributes instead
of by resolvers of their own; variable coercion takes a text where a String goes as it is; the variable checks
test plain texts, enum names and lists of texts inline. `{ __typename }` costs 143,747 instructions in-process:
the transport and the log are about a quarter of a clearance. Tried and not taken: reading a request's headers
into a dict once (slower than four scans of a short header list: 2.6 vs 1.6 µs per request). The host, more than
the code, moves (b)'s share: the fifth pass's code, which measured 0.24 / 0.27 here in the afternoon, measured
0.30-0.31 (two rounds, SQLite) at the start of this evening's session, before any change; the run above gives
0.34 / 0.37 for the sixth pass.

- **(b), one clearance.** Server CPU per request: the bare endpoint (a) about 40 µs; a clearance recognised through
  an arrangement (the pool of (b)) about 187 µs, of the first five scenario cases about 166 µs (255 µs at the
  start of this round). In-process a recognised clearance is about 105 µs: the engine about 30 µs (37.5 before
  this round), completing the hundred-odd fields of the officer's answer about 22 µs, coercion and the variable
  checks about 10 µs, the transport (body, parameters, document, context, JSON out, request log) about 17 µs.
  What this round removed: Starlette's Request/Response and its error and routing layers on /graphql (the answer is
  sent as two ASGI messages), a timer per request for the body limit (one sweep instead), a field-by-field
  graphene input container, three walks of the variables (one compiled pass), ResolveInfo built for type checks,
  graphql-core's argument coercion for bare variables, and access-log lines logged cold one by one (they go to
  logging together at the end of each loop iteration: the log fell from about 27 to about 12 µs of a request, and
  formatted straight for the service's own handler a line now costs 2.3 µs against 5.0 in a micro-benchmark).
  Of a request's server CPU, uvicorn and the kernel take about 30-40 µs whatever the endpoint (most of it writing
  the response head, which the bare endpoint pays too). Reaching a quarter of (a) with one worker needs four times
  (a)'s CPU, 156-174 µs, for a recognised clearance: about 177 µs now. What is left is spread thin: the engine's
  route evaluation and the text it writes, per-field completion (about 0.3 µs a field), the input (checks, coercion
  and the Consignment built from graphene's container: about 6.5 µs hot, three passes that one reader of the raw
  JSON could make one). More workers scale (b) almost linearly.
- **(c)** runs in a read thread (its cost is above the event loop's 2,000, and it has more than 100 lines):
  coercion, the decisions and completing 1,000 results.
- **(d), browsing**, reads the in-memory read model (store/browse_model.py) built beside the snapshot, with
  synchronous resolvers run by the compiled plan: no SQL, no dataloader, no async executor. Its cost (about
  12,000) counts fields, and a browsed record costs about a fifth of a decision per cost unit, so browsing runs on
  the event loop up to a cost of 15,000 (web/placement.py): the thread hop (about 0.2 ms in-process) no longer
  separates it from a flat connection (e), and a type check that never reads `info` no longer builds one per
  object.
- **Memory**: a worker holds its own snapshot and read model, about 0.9-1.0 GiB resident on 100,000 CABs (the read
  model adds about 9 MiB of indexes; the entities are shared with the snapshot), and about 0.1 GiB on the fixtures.
  N workers cost N times that: size the instances for it.
"""


def _f(value: float, digits: int = 1) -> str:
    return f"{value:,.{digits}f}"


def verdict(value: float, limit: float, *, at_least: bool = False) -> str:
    """met, **missed**, or not measured (no request finished: no figure)."""
    if math.isnan(value):
        return "not measured"
    return "met" if (value >= limit if at_least else value <= limit) else "**missed**"


def _share(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{value:.2f}"


def results_table(blocks: Sequence[Block]) -> str:
    lines = ["| workers | database | registry | endpoint | req/s | p50 ms | p99 ms | share of (a) | server CPU µs per "
             "request | CPU share | notes |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for block in blocks:
        for key, measurement in block.measurements.items():
            if not measurement.runs:  # measured one request at a time only
                continue
            notes = [measurement.note] if measurement.note else []
            if key == "c" and measurement.alone:
                per = measurement.alone_p50
                notes.append(f"{_f(per, 0)} ms per declaration alone ({per / DECLARATION_LINES * 1000:.0f} µs/line); "
                             f"{_f(measurement.rate * DECLARATION_LINES, 0)} lines/s")
            if measurement.errors:
                notes.append(f"{measurement.errors} errors")
            share = "1.00" if key == "a" else f"{block.share(key):.2f}"
            cpu_share = "1.00" if key == "a" else _share(block.cpu_share(key))
            lines.append(f"| {block.workers} | {block.backend} | {block.registry_label} | {ENDPOINTS[key]} | "
                         f"{_f(measurement.rate)} | {measurement.p50:.2f} | {measurement.p99:.2f} | {share} | "
                         f"{_f(measurement.cpu_us)} | {cpu_share} | {'; '.join(notes)} |")
    return "\n".join(lines)


def alone_table(blocks: Sequence[Block]) -> str:
    """(a), (b), (d) and (e) one request at a time: latency, and per status record for the lists."""
    lines = ["| workers | database | registry | endpoint | p50 ms | p99 ms | req/s | status records | µs per record | "
             "notes |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for block in blocks:
        for key in ALONE:
            measurement = block.measurements.get(key)
            if measurement is None or not measurement.alone:
                continue
            notes = [measurement.note] if measurement.note else []
            if key == "d":
                notes.append(f"{block.browsing_vs_clearance():.1f}× (b)")
            if key == "e":
                per_request = ratio(block.measurements["d"].alone_p50, measurement.alone_p50)
                notes.append(f"(d) per record {block.nested_vs_flat():.2f}× (e), per request {per_request:.2f}×")
            if measurement.alone_errors:
                notes.append(f"{measurement.alone_errors} errors")
            per = f"{measurement.ms_per_item * 1000:,.0f}" if measurement.items else ""
            lines.append(f"| {block.workers} | {block.backend} | {block.registry_label} | {ENDPOINTS[key]} | "
                         f"{measurement.alone_p50:.2f} | {measurement.alone_p99:.2f} | {_f(measurement.alone_rate)} | "
                         f"{measurement.items or ''} | {per} | {'; '.join(notes)} |")
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
        lines.append(f"- (b) {where}: {block.share('b'):.2f} of (a) ({verdict(block.share('b'), 0.25, at_least=True)}; "
                     f"target ≥ 0.25), p99 {b.p99:.1f} ms ({verdict(b.p99, 20.0)}; target ≤ 20 ms); by server CPU "
                     f"per request {_share(block.cpu_share('b'))} of (a) ({_f(b.cpu_us)} vs "
                     f"{_f(block.measurements['a'].cpu_us)} µs)")
        if c.alone:
            lines.append(f"- (c) {where}: {c.alone_p50:.0f} ms per 1,000-line declaration "
                         f"({verdict(c.alone_p50, 250)}; target ≤ 250 ms)")
        d, e = block.measurements["d"], block.measurements.get("e")
        if b.alone and d.alone:
            browsing = block.browsing_vs_clearance()
            lines.append(f"- (d) vs (b) one request at a time, {where}: browsing {d.alone_p50:.1f} ms = "
                         f"{browsing:.1f}× one clearance ({b.alone_p50:.2f} ms) "
                         f"({verdict(browsing, BROWSING_LIMIT)}; target ≤ {BROWSING_LIMIT:g}×)")
        if e is not None and d.alone and e.alone:
            nested = block.nested_vs_flat()
            lines.append(f"- nested (d) vs flat (e) per status record, one request at a time, {where}: "
                         f"{d.ms_per_item * 1000:,.0f} µs ({d.items} records) vs {e.ms_per_item * 1000:,.0f} µs "
                         f"({e.items} records) = {nested:.2f}× ({verdict(nested, NESTED_LIMIT)}; "
                         f"target ≤ {NESTED_LIMIT:g}×); per request {ratio(d.alone_p50, e.alone_p50):.2f}× "
                         f"({d.alone_p50:.2f} vs {e.alone_p50:.2f} ms)")
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
            slower = ratio(base.measurements[key].rate, block.measurements[key].rate)
            ok &= slower <= 1.2
            parts.append(f"{key} {slower:.2f}×")
        single = ratio(block.measurements["c"].alone_p50, base.measurements["c"].alone_p50)
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
    alone_seconds = max(1, math.ceil(plan.single_duration))
    return "\n".join([
        SECTION,
        "",
        f"Measured {started:%Y-%m-%d %H:%M} UTC by `{command}` on {machine()}. Load average before the run: "
        f"{load_before}. The load generator runs on the same machine as the server, and the machine may be shared: "
        "read the figures as ratios within this run.",
        "",
        "Method: each server is `mra-registry serve --workers N` (default settings: INFO access log, document cache "
        f"on); (a) is benchmarks/bare_app.py served by the same command. wrk: `{wrk_example}` with a Lua script "
        f"POSTing the JSON bodies; {plan.warmup:g} s warm-up, then {plan.rounds} round(s), each of (a) to (d) for "
        f"{plan.duration:g} s at {plan.connections} connections and then (a), (b), (d) and (e) one request at a "
        f"time (`-t1 -c1`, {alone_seconds} s each; (a) there is the floor of a request on this machine), median "
        "kept; before each run the servers are left to finish the previous run's requests. At 16 connections the "
        "serving workers' CPU time (utime + stime from /proc) over the requests wrk completed gives the server CPU "
        "per request; 'CPU share' is (a)'s over the endpoint's: the share of (a)'s req/s the endpoint reaches when "
        "both servers saturate their core. With two cores shared with wrk, (a) may be held back by the load "
        "generator rather than by its server, which flatters 'share of (a)': read the two side by side. "
        "(b) rotates through up "
        f"to {POOL_SIZE} consignments recognised through an arrangement, with the customs officer's query of "
        "docs/api.md; (c) is one 1,000-line declaration with the trade portal's query of docs/api.md, measured at "
        f"{plan.connections} connections and alone (one connection, {alone_seconds} s, once: 'per declaration "
        "alone'); (d) is registry browsing, one connection of status records per body; (e) is its flat "
        "counterpart: one arrangement's `signatories`, a single connection, with the fields (d) selects per status "
        f"(`arrangement {{ code }} status validFrom`), paged to as many records as (d) answered (at most {MAX_PAGE}, "
        "a page), from the arrangement holding the fewest records that still has that many (the resolver lists all "
        "of an arrangement's records before slicing the page). Nested and flat are compared per status record (p50 "
        "one request at a time / records answered); where the record counts differ (see the table) the fixed cost "
        "of a request is spread over different counts, so the per-request ratio is given beside it. Fixtures: "
        "data/reference/registry.json + data/fixtures/scenarios.json loaded with the project's loader (the scenario "
        f"cases of tests/scenario_cases.py as consignments). Synthetic: benchmarks/synthetic.py with {plan.cabs:,} "
        "CABs (invented data), everything but the CABs loaded with the project's loader and the CABs bulk-inserted "
        "with the store's row mapping; consignments from benchmarks/engine_bench.py's mix.",
        "",
        "```graphql",
        CLEARANCE_QUERY,
        CLEARANCES_QUERY,
        BROWSE_QUERY,
        FLAT_QUERY,
        "```",
        "",
        "### Results",
        "",
        results_table(blocks),
        "",
        "### One request at a time",
        "",
        alone_table(blocks),
        "",
        "### Memory per worker",
        "",
        memory_table(blocks),
        "",
        "### Targets",
        "",
        "(b) ≥ 25% of (a)'s req/s at the same workers and concurrency, p99 ≤ 20 ms at 16 connections; (c) ≤ 250 ms "
        f"per 1,000-line declaration; browsing (d) ≤ {BROWSING_LIMIT:g}× one clearance (b), p50 one request at a "
        f"time; nested connections (d) within {NESTED_LIMIT:g}× of a flat one (e) per status record, one request at "
        "a time; the 100,000-CAB registry within 1.2× of the fixtures' figures.",
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
