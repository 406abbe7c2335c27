"""The cost of time travel (issue 14): rebuilding the snapshot of an old registry version, as a ratio to building
the current one. One command:

    python -m benchmarks.history_bench                 # 10,000 CABs on SQLite, 100 later writes
    python -m benchmarks.history_bench --cabs 100000 --writes 100 --database postgresql://postgres@127.0.0.1:5432/postgres

A synthetic registry (benchmarks/synthetic.py: EVERYTHING IN IT IS INVENTED) is loaded into a fresh database,
then ``--writes`` later writes are applied through the loader (as the API's mutations are), each a new version:
one CAB's record renamed in place (a change record) and its first accreditation given a new suspension (a dated
row retired and a new one recorded). Then, best of ``--repeat``:

- current: read the registry at the current version and build its snapshot (what the service does on each new
  version, store/snapshots.py);
- old: read the registry as it stood before the writes (store/history.py: rows live then, plus the coded
  entities put back from the change log) and build its snapshot;
- cached: the same old version asked again of HistoricalSnapshots (the LRU cache the API uses).

With a PostgreSQL URL a database named ``mra_history_bench_<pid>`` is created on that server and dropped after.
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from benchmarks.synthetic import generate
from mra_registry.domain import model
from mra_registry.domain.snapshot import Snapshot
from mra_registry.interchange import writer
from mra_registry.store.database import database_url, make_engine
from mra_registry.store.history import HistoricalSnapshots, read_consistently_at
from mra_registry.store.loading import load_documents
from mra_registry.store.migrate import upgrade_to_head
from mra_registry.store.snapshots import read_consistently


def _best(repeat: int, work) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - started)
    return best, result


def _writes(engine, registry: model.Registry, count: int) -> None:
    cabs = [c for c in registry.cabs if c.accreditations][:count]
    for i, cab in enumerate(cabs):
        first = cab.accreditations[0]
        start = (first.valid_from or model.date(2020, 1, 1)).replace(year=2090, month=1, day=1)
        suspended = dataclasses.replace(first, suspensions=(*first.suspensions, model.Suspension(
            start, start.replace(day=20), f"benchmark write {i} (invented)")))
        changed = dataclasses.replace(cab, name=f"{cab.name} (rev {i})",
                                      accreditations=(suspended, *cab.accreditations[1:]))
        with Session(engine) as session, session.begin():
            load_documents(session, [("write", writer.document(model.Registry(0, cabs=(changed,))))],
                           allow_fixture_overwrite=True, current=model.Registry(0, cabs=(cab,)))


def run(cabs: int, writes: int, repeat: int, url: str | None) -> dict:
    temporary = None
    admin = None
    if url and make_url(database_url(url)).get_backend_name() == "postgresql":
        name = f"mra_history_bench_{os.getpid()}"
        admin = create_engine(database_url(url), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        target = make_url(database_url(url)).set(database=name).render_as_string(hide_password=False)
    else:
        temporary = tempfile.TemporaryDirectory()
        target = f"sqlite:///{Path(temporary.name) / 'history.sqlite3'}"
    engine = make_engine(target)
    try:
        upgrade_to_head(engine)
        registry, _ = generate(cabs)
        started = time.perf_counter()
        with Session(engine) as session, session.begin():
            load_documents(session, [("synthetic", writer.document(registry))], allow_fixture_overwrite=True)
        load_seconds = time.perf_counter() - started
        with Session(engine) as session:
            old_version = session.execute(text("select version from registry_state")).scalar_one()
        _writes(engine, registry, writes)
        with Session(engine) as session:
            current_version = session.execute(text("select version from registry_state")).scalar_one()

        read_current, current = _best(repeat, lambda: read_consistently(engine))
        build_current, _ = _best(repeat, lambda: Snapshot.build(current))
        read_old, old = _best(repeat, lambda: read_consistently_at(engine, old_version))
        build_old, _ = _best(repeat, lambda: Snapshot.build(old))
        history = HistoricalSnapshots(engine, size=4)
        history.at(old_version)
        cached, _ = _best(repeat, lambda: history.at(old_version))
        return {
            "backend": engine.dialect.name, "cabs": cabs, "writes": writes, "load_seconds": load_seconds,
            "old_version": old_version, "current_version": current_version,
            "current": (read_current, build_current), "old": (read_old, build_old), "cached": cached,
        }
    finally:
        engine.dispose()
        if admin is not None:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "mra_history_bench_{os.getpid()}" WITH (FORCE)'))
            admin.dispose()
        if temporary is not None:
            temporary.cleanup()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cabs", type=int, default=10_000)
    parser.add_argument("--writes", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--database", metavar="URL", help="a PostgreSQL server URL (default: a temporary SQLite file)")
    args = parser.parse_args(argv)
    r = run(args.cabs, args.writes, args.repeat, args.database)
    current, old = sum(r["current"]), sum(r["old"])
    print(f"{r['backend']}: {r['cabs']:,} CABs (loaded in {r['load_seconds']:.1f} s), {r['writes']} later writes "
          f"(version {r['old_version']} -> {r['current_version']}), best of {args.repeat}")
    print(f"  current version: read {r['current'][0]:.3f} s + build {r['current'][1]:.3f} s = {current:.3f} s")
    print(f"  old version:     read {r['old'][0]:.3f} s + build {r['old'][1]:.3f} s = {old:.3f} s")
    print(f"  ratio old/current: {old / current:.2f} (read alone {r['old'][0] / r['current'][0]:.2f})")
    print(f"  old version again from the cache: {r['cached'] * 1e6:.1f} us")


if __name__ == "__main__":
    main()
