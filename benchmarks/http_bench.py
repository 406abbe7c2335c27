"""HTTP benchmark: the registry's GraphQL endpoints against a bare Starlette endpoint, with wrk, in one run.

    python -m benchmarks.http_bench            # full run: about 25 minutes (plus a few the first time: the
                                               # 100,000-CAB databases are built and cached in benchmarks/out/)
    python -m benchmarks.http_bench --quick    # the same matrix, much shorter runs

What is measured, each with `mra-registry serve --workers N` (the same command and uvicorn settings for all),
wrk with 16 connections on this machine, a short warm-up, then rounds of fixed duration (the median is kept):

  (a) a bare Starlette JSON endpoint (benchmarks/bare_app.py): the ceiling;
  (b) `clearance` over HTTP: the customs officer's query of docs/api.md (outcome, reasons, route, path,
      warnings, policy), over a pool of consignments recognised through an arrangement (the full chain is checked);
  (c) `clearances` with 1,000 lines: the trade portal's declaration query of docs/api.md; throughput at 16
      connections, and the time one declaration takes alone (one connection: what the 250 ms target is about);
  (d) registry browsing with nested lists (20 accreditation bodies, their statuses, each status's arrangement);
  (e) a flat connection: one arrangement's status records (`signatories`), about as many as (d) answers and
      with the same fields per record, from one connection instead of one per body.

Every round also runs (a), (b), (d) and (e) one request at a time (wrk -t1 -c1): browsing is compared with one
clearance, and nested lists with the flat one per status record.

on SQLite and PostgreSQL, on the fixtures (data/reference/registry.json + data/fixtures/scenarios.json, loaded
with the project's own loader) and on the 100,000-CAB synthetic registry (benchmarks/synthetic.py; invented
data), with 1 and 2 workers. The rounds of (a) to (e) are interleaved, so that a noisy neighbour on a shared
machine slows them alike and the ratios stay meaningful. Memory per worker is the resident set size of each
worker process (/proc/PID/status) after its runs.

The tables are printed and written to docs/performance.md under "## HTTP service" (other sections are kept).

The modules: this one is the command; benchmarks/http_measure.py runs the rounds; http_workloads.py holds the
queries and checks them on the live server; http_databases.py builds and caches the registries;
http_servers.py starts and watches the servers; wrk.py drives wrk; http_report.py writes the section.
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import sys
from pathlib import Path
from typing import Sequence

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.http_databases import OUT_DIR, write_synthetic  # noqa: E402
from benchmarks.http_measure import QUICK, Plan, run  # noqa: E402
from benchmarks.http_report import DOC_PATH, SECTION, report, write_section  # noqa: E402


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
        write_synthetic(args.build_synthetic, plan.cabs, args.workload)
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
