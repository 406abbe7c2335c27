"""Recognition engine benchmark: snapshot build time and memory, decisions per second and latency, on a
1,000-CAB and a 100,000-CAB synthetic registry (``benchmarks/synthetic.py``; everything in it is invented).

    python -m benchmarks.engine_bench            # or: python benchmarks/engine_bench.py
    python -m benchmarks.engine_bench --decisions 5000 --sizes 1000
    python -m benchmarks.engine_bench --gc-freeze  # as the service runs: what is alive after the build is frozen

One engine decision on the fixture documents (the consignments HTTP benchmark (b) sends) is timed by
``benchmarks/decision_profile.py``.

The decisions/s figure counts the cyclic garbage collector's pauses: without ``--gc-freeze``, a full collection
walks the whole generated registry now and then (tens of ms at 1,000 CABs), which is most of the p99 and a large
part of the mean. The service collects once and freezes what is alive after it swaps a large snapshot in
(store/snapshots.py); ``--gc-freeze`` does the same after the build.

Memory is measured two ways and both are printed: the peak of Python allocations during ``Snapshot.build``
(tracemalloc, in a separate traced build so that tracing does not slow the timed one), and the whole process's
peak resident set size at the end (``resource.getrusage(...).ru_maxrss``: registry, snapshot and consignments).
"""
from __future__ import annotations

import argparse
import gc
import random
import resource
import statistics
import sys
import time
import tracemalloc
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.synthetic import EU_MEMBERS, SEED, TYPE_OF_ACTIVITY, Catalogue, generate  # noqa: E402
from mra_registry.domain import model  # noqa: E402
from mra_registry.domain.codes import ArrangementKind, AttestationType  # noqa: E402
from mra_registry.domain.decision import Attestation, Consignment  # noqa: E402
from mra_registry.domain.engine import decide  # noqa: E402
from mra_registry.domain.hs import covers  # noqa: E402
from mra_registry.domain.methods import methods_match  # noqa: E402
from mra_registry.domain.snapshot import Snapshot  # noqa: E402

UNION_MEMBERS = {"EU": EU_MEMBERS, "XU": ("BH", "KW", "OM", "QA", "SA", "AE")}


@dataclass
class Result:
    cabs: int
    scope_items: int
    build_seconds: float
    build_peak_mib: float
    decisions: int
    per_second: float
    median_us: float
    p99_us: float
    mix: Counter


# -- a realistic mix of consignments ---------------------------------------------------------------------------

def consignment_mix(registry: model.Registry, catalogue: Catalogue, count: int, seed: int = SEED) -> list[Consignment]:
    """Mostly consignments whose attestation meets an import policy (they run all seven steps), plus government
    route candidates, random pairs, intra-union movements, missing attestations and unknown issuers."""
    rng = random.Random(seed)
    cabs = [c for c in registry.cabs if c.accreditations]
    designated = [c for c in registry.cabs if c.designations and c.accreditations]
    sectors = {(a.code, s.code): s for a in registry.arrangements if a.kind is ArrangementKind.GOVERNMENT
               for s in a.sectors}
    importers = sorted({p.importer for p in registry.policies})
    kinds = ("policy", "government", "random", "intra", "none", "unknown")
    weights = (62, 12, 12, 6, 4, 4)
    mix = []
    while len(mix) < count:
        kind = rng.choices(kinds, weights)[0]
        issue = date(2019, 1, 1) + timedelta(days=rng.randrange(3100))
        clear = issue + timedelta(days=rng.randrange(120))
        made = None
        if kind == "policy":
            made = _meets_a_policy(rng, rng.choice(cabs), catalogue, issue, clear)
        elif kind == "government" and designated:
            made = _for_a_designation(rng, rng.choice(designated), sectors, catalogue, issue, clear)
        elif kind == "random":
            cab = rng.choice(cabs)
            accreditation = rng.choice(cab.accreditations)
            hs = rng.choice(catalogue.headings) + f"{rng.randrange(100):02d}"
            made = _consignment(cab.economy, _economy(rng, rng.choice(importers)), hs, cab, accreditation, issue, clear)
        elif kind == "intra":
            cab = rng.choice(cabs)
            a, b = rng.sample(EU_MEMBERS, 2)
            made = _consignment(a, b, rng.choice(catalogue.headings) + "90", cab, cab.accreditations[0], issue, clear)
        elif kind == "none":
            made = Consignment(rng.choice(EU_MEMBERS), _economy(rng, rng.choice(importers)),
                               rng.choice(catalogue.headings) + "10", clear)
        else:
            made = Consignment("FR", "JP", rng.choice(catalogue.headings) + "10", clear,
                               attestation=Attestation(AttestationType.TESTING, "CAB-UNKNOWN", issue))
        if made is not None:
            mix.append(made)
    return mix


def _economy(rng: random.Random, importer: str) -> str:
    members = UNION_MEMBERS.get(importer)
    return rng.choice(members) if members else importer


def _consignment(exporter: str, importer: str, hs: str, cab: model.ConformityAssessmentBody,
                 accreditation: model.Accreditation, issue: date, clear: date,
                 tests: tuple[str, ...] | None = None, attestation_type: AttestationType | None = None) -> Consignment:
    lot = f"LOT-{hs}"
    attestation = Attestation(attestation_type or TYPE_OF_ACTIVITY[accreditation.activity], cab.code, issue,
                              accreditation.accreditation_body, accreditation.number, lot, tests)
    return Consignment(exporter, importer, hs, clear, lot, attestation)


def _meets_a_policy(rng, cab, catalogue: Catalogue, issue: date, clear: date) -> Consignment | None:
    """A consignment whose attestation has the type an import policy requires and, mostly, the scope it asks for."""
    accreditation = rng.choice(cab.accreditations)
    items = [item for item in accreditation.scope if item.hs_prefixes]
    attestation_type = TYPE_OF_ACTIVITY[accreditation.activity]
    if items:
        prefix = rng.choice(items).hs_prefixes[0]
        hs = (prefix + "".join(str(rng.randrange(10)) for _ in range(6)))[:rng.choice((6, 8, 10))]
    else:  # management-system and persons certification cover every product
        hs = rng.choice(catalogue.headings) + f"{rng.randrange(100):02d}"
    candidates = [p for length in (len(hs), 6, 4, 2) for p in catalogue.policy_index.get(hs[:length], ())
                  if p.required_type is attestation_type]
    in_scope = [p for p in candidates if all(_in_scope(accreditation, test, hs) for test in p.required_tests)]
    if rng.random() < 0.85:
        candidates = in_scope
    if not candidates:
        return None
    policy = rng.choice(candidates)
    tests = policy.required_tests if rng.random() < 0.3 else None
    importer = _economy(rng, policy.importer)
    if importer == cab.economy:
        return None
    if rng.random() < 0.85 and accreditation.valid_from and accreditation.valid_to:  # mostly issued while accredited
        span = (accreditation.valid_to - accreditation.valid_from).days
        issue = accreditation.valid_from + timedelta(days=rng.randrange(max(span, 1)))
        clear = issue + timedelta(days=rng.randrange(90))
    return _consignment(cab.economy, importer, hs, cab, accreditation, issue, clear, tests)


def _in_scope(accreditation: model.Accreditation, test: str, hs: str) -> bool:
    return any(methods_match(item.identifier, test) and covers(item.hs_prefixes, item.excluded_hs_prefixes, hs,
                                                                 empty_covers_all=True)
               for item in accreditation.scope)


def _for_a_designation(rng, cab, sectors, catalogue: Catalogue, issue: date, clear: date) -> Consignment | None:
    """A consignment from a designated body to the party it is designated for, under a policy for its sector."""
    designation = rng.choice(cab.designations)
    sector = sectors.get((designation.arrangement, designation.sector))
    if sector is None:
        return None
    accreditation = cab.accreditations[0]
    attestation_type = TYPE_OF_ACTIVITY[accreditation.activity]
    hs = rng.choice(sector.hs_prefixes) + f"{rng.randrange(100):02d}"
    policies = [p for p in catalogue.policy_index.get(hs[:4], ()) if p.importer == designation.for_party
                and p.required_type is attestation_type]
    if not policies:
        return None
    importer = _economy(rng, designation.for_party)
    if importer == cab.economy:
        return None
    if accreditation.valid_from and accreditation.valid_to and rng.random() < 0.85:
        span = (accreditation.valid_to - accreditation.valid_from).days
        issue = accreditation.valid_from + timedelta(days=rng.randrange(max(span, 1)))
        clear = issue + timedelta(days=rng.randrange(90))
    return _consignment(cab.economy, importer, hs, cab, accreditation, issue, clear)


# -- measuring --------------------------------------------------------------------------------------------------------

def measure(cabs: int, decisions: int, rounds: int, gc_freeze: bool = False) -> Result:
    registry, catalogue = generate(cabs)
    scope_items = sum(len(a.scope) for c in registry.cabs for a in c.accreditations)
    gc.collect()
    started = time.perf_counter()
    snapshot = Snapshot.build(registry)
    build_seconds = time.perf_counter() - started
    del snapshot
    gc.collect()
    tracemalloc.start()
    snapshot = Snapshot.build(registry)
    build_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    mix = consignment_mix(registry, catalogue, decisions)
    if gc_freeze:
        gc.collect()
        gc.freeze()
    reasons = Counter(decide(snapshot, c).reason.value for c in mix)  # also warms caches
    best = float("inf")  # the best of several passes: on a shared machine the others measure the neighbours
    for _ in range(rounds):
        started = time.perf_counter()
        for consignment in mix:
            decide(snapshot, consignment)
        best = min(best, time.perf_counter() - started)
    per_second = len(mix) / best
    timings = []
    clock = time.perf_counter_ns
    for consignment in mix:
        before = clock()
        decide(snapshot, consignment)
        timings.append(clock() - before)
    timings.sort()
    if gc_freeze:
        gc.unfreeze()
    return Result(cabs, scope_items, build_seconds, build_peak / 2**20, len(mix), per_second,
                  statistics.median(timings) / 1000, timings[int(0.99 * (len(timings) - 1))] / 1000, reasons)


def table(results: list[Result]) -> str:
    lines = [
        "| registry | scope items | snapshot build | build peak (tracemalloc) | decisions/s | median | p99 |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(f"| {r.cabs:,} CABs | {r.scope_items:,} | {r.build_seconds:.2f} s | {r.build_peak_mib:.0f} MiB | "
                     f"{r.per_second:,.0f} | {r.median_us:.1f} µs | {r.p99_us:.1f} µs |")
    return "\n".join(lines)


def _load() -> str:
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "unknown"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Recognition engine benchmark")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 100_000], help="CAB counts")
    parser.add_argument("--decisions", type=int, default=20_000, help="consignments in the mix")
    parser.add_argument("--rounds", type=int, default=3, help="passes over the mix for decisions/s (the best counts)")
    parser.add_argument("--gc-freeze", action="store_true",
                        help="freeze what is alive after the build, as the service does (no full collections)")
    args = parser.parse_args(argv)
    load = _load()
    results = [measure(size, args.decisions, args.rounds, args.gc_freeze) for size in args.sizes]
    print(f"Python {sys.version.split()[0]}; {args.decisions:,} consignments; decisions/s: best of {args.rounds} passes; "
          f"median and p99: one timed pass; load average before: {load}"
          f"{'; gc frozen after the build' if args.gc_freeze else ''}")
    print(table(results))
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"process peak RSS (ru_maxrss, everything incl. the generated registries): {peak_rss:,.0f} MiB")
    if len(results) > 1:
        first, last = results[0], results[-1]
        print(f"ratio of medians {last.cabs:,}/{first.cabs:,} CABs: {last.median_us / first.median_us:.2f}")
    for r in results:
        shares = ", ".join(f"{reason} {count * 100 / r.decisions:.0f}%" for reason, count in r.mix.most_common())
        print(f"mix at {r.cabs:,} CABs: {shares}")


if __name__ == "__main__":
    main()
