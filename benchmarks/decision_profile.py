"""One engine decision, measured in-process on the fixtures: the part of an HTTP `clearance` the engine owns.

    python -m benchmarks.decision_profile                 # µs per decision, best of several passes
    python -m benchmarks.decision_profile --profile       # plus a cProfile of the recognised pool (tottime)
    python -m benchmarks.decision_profile --json out.json # also write the figures (to compare two checkouts)

The registry is data/reference/registry.json + data/fixtures/scenarios.json read by the interchange reader and
folded the way the store's loader folds several documents (``read_documents`` then ``merge_documents``), held in
memory (no database: the engine reads nothing else). The consignments are the worked cases of SCENARIOS.md
(tests/scenario_cases.py); the pool measured is the one HTTP benchmark (b) uses: those RECOGNISED through an
arrangement (ARRANGEMENT_ROUTE). Every case is also timed, for a wider view.

To compare with an older commit, run this same file against that checkout, back to back:

    git worktree add --detach /tmp/engine-old <commit>
    cp benchmarks/decision_profile.py /tmp/engine-old/benchmarks/
    (cd /tmp/engine-old && /path/to/.venv/bin/python -m benchmarks.decision_profile)

(run as a module from a checkout, the checkout's own ``mra_registry`` is the one imported: the current
directory comes first on ``sys.path``; the header prints which file was imported).
"""
from __future__ import annotations

import argparse
import cProfile
import gc
import json
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(ROOT))

from mra_registry.domain import engine as engine_module  # noqa: E402
from mra_registry.domain import model  # noqa: E402
from mra_registry.domain.codes import Outcome, ReasonCode  # noqa: E402
from mra_registry.domain.engine import decide  # noqa: E402
from mra_registry.domain.snapshot import Snapshot  # noqa: E402

FIXTURE_DOCUMENTS = (ROOT / "data" / "reference" / "registry.json", ROOT / "data" / "fixtures" / "scenarios.json")


def fixture_registry() -> model.Registry:
    """The fixture documents as the store's loader folds them (validated, merged), without a database."""
    from mra_registry.interchange.merging import merge_documents
    from mra_registry.interchange.reader import decode, read_documents

    named = [(str(path), decode(str(path), path.read_bytes())) for path in FIXTURE_DOCUMENTS]
    parsed = merge_documents(read_documents(named))
    return model.Registry(1, parsed.unions, parsed.arrangements, parsed.accreditation_bodies, parsed.cabs,
                          parsed.policies, parsed.lookalike_bodies, parsed.declarations, parsed.acceptance_lists)


def fixture_cases():
    """(case id, consignment) for every worked case of SCENARIOS.md section 2."""
    from tests.scenario_cases import CASES, to_consignment

    return [(case.id, to_consignment(case)) for case in CASES]


def recognised_by_arrangement(snapshot: Snapshot, cases) -> list:
    return [(case_id, consignment) for case_id, consignment in cases
            if (d := decide(snapshot, consignment)).outcome is Outcome.RECOGNISED
            and d.reason is ReasonCode.ARRANGEMENT_ROUTE]


CLOCKS = {"cpu": time.process_time, "wall": time.perf_counter}


def best_us_per_decision(snapshot: Snapshot, consignments: list, passes: int, repeat: int,
                         clock=time.process_time) -> float:
    """The best of ``passes`` timed passes, each deciding every consignment ``repeat`` times (on a shared machine
    the slower passes measure the neighbours: many short passes give the best a fair chance to run alone)."""
    work = consignments * repeat
    best = float("inf")
    for _ in range(passes):
        started = clock()
        for consignment in work:
            decide(snapshot, consignment)
        best = min(best, clock() - started)
    return best / len(work) * 1e6


def profile(snapshot: Snapshot, consignments: list, repeat: int, top: int) -> str:
    work = consignments * repeat
    profiler = cProfile.Profile()
    profiler.enable()
    for consignment in work:
        decide(snapshot, consignment)
    profiler.disable()
    out = _Text()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    return f"cProfile of {len(work):,} decisions (sorted by tottime):\n" + out.text


class _Text:
    def __init__(self):
        self.text = ""

    def write(self, chunk: str) -> None:
        self.text += chunk


def _load() -> str:
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "unknown"


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description="Engine decision time on the fixtures")
    parser.add_argument("--passes", type=int, default=25, help="timed passes (the best counts)")
    parser.add_argument("--repeat", type=int, default=50, help="decisions of each consignment per pass")
    parser.add_argument("--clock", choices=sorted(CLOCKS), default="cpu",
                        help="cpu: the process's CPU time (default: on a shared machine, time spent waiting for a "
                             "core is not the engine's); wall: elapsed time")
    parser.add_argument("--profile", action="store_true", help="also profile the recognised pool (cProfile)")
    parser.add_argument("--top", type=int, default=30, help="rows of the profile")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args(argv)

    load_before = _load()
    registry = fixture_registry()
    started = time.perf_counter()
    snapshot = Snapshot.build(registry)
    build_ms = (time.perf_counter() - started) * 1000
    cases = fixture_cases()
    pool = recognised_by_arrangement(snapshot, cases)
    if not pool:
        raise SystemExit("no worked case is recognised through an arrangement: nothing to measure")
    consignments = [c for _, c in pool]
    everything = [c for _, c in cases]
    gc.collect()
    clock = CLOCKS[args.clock]
    pool_us = best_us_per_decision(snapshot, consignments, args.passes, args.repeat, clock)
    all_us = best_us_per_decision(snapshot, everything, args.passes, max(1, args.repeat // 4), clock)
    each = {case_id: best_us_per_decision(snapshot, [c], args.passes, args.repeat, clock) for case_id, c in pool}
    figures = {
        "engine": engine_module.__file__,
        "python": sys.version.split()[0],
        "load_before": load_before,
        "clock": args.clock,
        "snapshot_build_ms": round(build_ms, 2),
        "pool": [case_id for case_id, _ in pool],
        "pool_us_per_decision": round(pool_us, 2),
        "all_cases_us_per_decision": round(all_us, 2),
        "each_us": {k: round(v, 2) for k, v in each.items()},
    }
    print(f"engine: {figures['engine']}; Python {figures['python']}; load average before: {load_before}")
    print(f"fixture snapshot build: {build_ms:.1f} ms; best of {args.passes} passes; clock: {args.clock}")
    print(f"recognised through an arrangement ({len(pool)} cases: {', '.join(figures['pool'])}): "
          f"{pool_us:.1f} µs per decision (median of cases {statistics.median(each.values()):.1f} µs)")
    print(f"every worked case ({len(everything)}): {all_us:.1f} µs per decision")
    print("per case: " + ", ".join(f"{k} {v:.1f}" for k, v in each.items()))
    if args.profile:
        print(profile(snapshot, consignments, max(1, 3000 // len(consignments)), args.top))
    if args.json is not None:
        args.json.write_text(json.dumps(figures, indent=1) + "\n")
    return figures


if __name__ == "__main__":
    main()
