"""History reads at 100,000 change-log rows (issue 11): each read of the change log timed on a registry whose log
holds 1,000 records and on one whose log holds 100,000, in the same run, as the ratio large/small. One command:

    python -m benchmarks.changes_bench                  # 1,000 and 100,000 records on SQLite
    python -m benchmarks.changes_bench --database postgresql://postgres@127.0.0.1:5432/postgres

Two databases are built the same way. The scenario fixtures (data/fixtures/scenarios.json) are loaded through the
store's loader (its real change records, 199 of them); then later writes fill the log up to the size asked, each
one a transaction with the store's own change log (store/changes.py ChangeLog: the registry version moves by one
and the records are written under it, as every write does): an entity kept in place renamed (facet "", its
fields before and after, in the document form the loader wrote) and 0 to 3 of its facets rewritten with an
invented note. One CAB (L01) takes a tenth of the writes, so its own history is long in both databases; the
others are picked at random. The entities' rows are not rewritten: only the log grows. EVERYTHING THE WRITES
RECORD IS INVENTED.

Then both registries are served by the real app (web/app.py create_app, in-process through starlette's
TestClient: routing, middleware, GraphQL parsing and execution, the store) and each read is asked of both in
turns, ``--rounds`` times (the order swapped every round, so a noisy neighbour hits both alike); the median of
each is kept. The reads: the feed's first page, a page in its middle reached by a cursor, its last page, the
page ``since:`` a recent version, one kind's feed from its middle, one entity's first page and its newest changes
(the per-entity history: ``changes(entityType:, entityCode:)``), ``totalCount`` of the whole log, the
``registryVersion``, and a decision ``asOfRegistryVersion`` fifty versions back (time travel: the registry read
at that version, put back with the changes made since, then decided; a new version each round, so never cached).

With a PostgreSQL URL, two databases named ``mra_changes_bench_<pid>_<size>`` are created on that server and
dropped after.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import statistics
import tempfile
import time
from contextlib import ExitStack
from datetime import datetime, timezone
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from sqlalchemy import create_engine, func, insert, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from mra_registry.api.changes import encode_feed_cursor
from mra_registry.settings import Settings
from mra_registry.store import changes
from mra_registry.store import models as m
from mra_registry.store.changes import Actor, ChangeLog
from mra_registry.store.database import database_url, make_engine
from mra_registry.store.history import IN_PLACE, read_registry_at
from mra_registry.store.loading import load_files
from mra_registry.store.mapping import registry_version
from mra_registry.store.migrate import upgrade_to_head

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "data" / "fixtures" / "scenarios.json"
SEED = 20261202
TARGET = ("ConformityAssessmentBody", "L01")  # the entity whose own history is read
KIND = "AccreditationBody"  # the kind whose feed is read from its middle
PAGE = 20
TIME_TRAVEL_BACK = 50
COMMIT_EVERY = 2_000  # writes per transaction while filling
ACTOR = Actor(name="changes-bench", role="ADMINISTRATOR", message="benchmark write (invented)")

NODE = "edges { cursor node { version entityType entityCode facet action before after at actor } }"
PAGE_INFO = "pageInfo { hasNextPage hasPreviousPage endCursor }"
FEED = ("query($first: Int, $after: String, $last: Int, $since: Int, $type: String, $code: String) {"
        " changes(first: $first, after: $after, last: $last, since: $since, entityType: $type, entityCode: $code)"
        f" {{ {NODE} {PAGE_INFO} }} }}")
COUNT = "{ changes(first: 1) { totalCount } }"
VERSION = "{ registryVersion }"
DECIDE = ("query($input: ClearanceInput!, $v: Int) {"
          " clearance(input: $input, asOfRegistryVersion: $v) { outcome reason registryVersion } }")
# a scenario consignment (docs/api.md): cheese from GB to JP with L16's test report
CONSIGNMENT = {"exporter": "GB", "importer": "JP", "hsCode": "040690", "lot": "A1", "clearanceDate": "2026-04-01",
               "attestation": {"type": "TESTING", "issuer": "L16", "issueDate": "2026-03-01", "lot": "A1"}}

READS = ("first page", "middle page (cursor)", "last page", "since a recent version", "one kind, middle (cursor)",
         "one entity, first page", "one entity, newest (last:)", "registryVersion", "time travel (50 versions back)",
         "totalCount, whole log")


# -- filling a registry ---------------------------------------------------------------------------------------
@dataclass
class Filled:
    url: str
    records: int
    version: int
    seconds: float  # filling the log (the fixtures' load excluded)
    target_records: int = 0
    middle: tuple[int, int] = (0, 0)  # the feed position half-way through the log
    kind_middle: tuple[int, int] = (0, 0)  # half-way through KIND's feed


def _entities(session: Session) -> tuple[dict[tuple[str, str], dict], dict[tuple[str, str], list[tuple[str, Any]]]]:
    """The fields of every entity kept in place and the facets of each, as the loader recorded them."""
    fields: dict[tuple[str, str], dict] = {}
    facets: dict[tuple[str, str], list[tuple[str, Any]]] = {}
    rows = session.execute(select(m.ChangeRecord.entity_type, m.ChangeRecord.entity_code, m.ChangeRecord.facet,
                                  m.ChangeRecord.after)
                           .where(m.ChangeRecord.entity_type.in_(IN_PLACE)).order_by(m.ChangeRecord.id))
    for kind, code, facet, after in rows:
        if facet == "":
            fields[(kind, code)] = after
        elif isinstance(after, dict):
            facets.setdefault((kind, code), []).append((facet, after))
    return fields, facets


class _ThroughChangeLog:
    """Each write a transaction's change log of its own (store/changes.py ChangeLog: the registry state row moved
    under its lock, the version row, the notification, the records), committed every COMMIT_EVERY writes."""

    def __init__(self, engine):
        self.session = Session(engine)
        self.session.begin()
        self.log: ChangeLog | None = None

    def start(self) -> None:
        self.log = ChangeLog(self.session, ACTOR)

    def record(self, kind: str, code: str, before: Any, after: Any, facet: str = "") -> None:
        self.log.record(kind, code, "UPDATE", before, after, facet=facet)

    def commit(self) -> None:
        self.session.commit()
        self.session.begin()

    def close(self) -> None:
        self.session.commit()
        self.session.close()


class _Bulk:
    """The same rows as the change log writes (a version row per write, its records), inserted in batches of
    COMMIT_EVERY writes with the store's own mapping (models RegistryVersion and ChangeRecord), the registry state
    moved to the last version in the same transaction: a hundred times quicker than a statement per row."""

    def __init__(self, engine):
        self.engine = engine
        with engine.connect() as connection:
            self.version = connection.execute(select(m.RegistryState.version)).scalar_one()
        self.versions: list[dict] = []
        self.records: list[dict] = []

    def start(self) -> None:
        self.version += 1
        self.versions.append({"version": self.version, "created_at": datetime.now(timezone.utc), "actor": ACTOR.name,
                              "role": ACTOR.role, "request_id": None, "message": ACTOR.message})

    def record(self, kind: str, code: str, before: Any, after: Any, facet: str = "") -> None:
        self.records.append({"version": self.version, "entity_type": kind, "entity_code": code, "facet": facet,
                             "action": "UPDATE", "before": before, "after": after})

    def commit(self) -> None:
        if not self.versions:
            return
        with self.engine.begin() as connection:
            connection.execute(insert(m.RegistryVersion), self.versions)
            connection.execute(insert(m.ChangeRecord), self.records)
            connection.execute(update(m.RegistryState).where(m.RegistryState.id == 1).values(version=self.version))
        self.versions, self.records = [], []

    def close(self) -> None:
        self.commit()


WRITE_PATHS = {"bulk": _Bulk, "changelog": _ThroughChangeLog}


def fill(url: str, records: int, seed: int = SEED, write_path: str = "bulk") -> Filled:
    """The scenario fixtures loaded through the loader, then later writes until the change log holds exactly
    ``records`` records (``write_path``: "changelog", each write through the store's ChangeLog; "bulk", the same
    rows inserted in batches with the store's mapping)."""
    engine = make_engine(url)
    try:
        upgrade_to_head(engine)
        with Session(engine) as session, session.begin():
            load_files(session, [str(FIXTURES)])
        with Session(engine) as session:
            held = session.execute(select(func.count()).select_from(m.ChangeRecord)).scalar_one()
            fields, facets = _entities(session)
        if records < held:
            raise SystemExit(f"the fixtures alone write {held} change records: ask for at least that many")
        rng = random.Random(seed)
        keys = sorted(fields)
        started = time.perf_counter()
        writer = WRITE_PATHS[write_path](engine)
        write = 0
        while held < records:
            write += 1
            key = TARGET if write % 10 == 0 else rng.choice(keys)
            kind, code = key
            writer.start()
            before = fields[key]
            after = {**before, "name": f"{str(before.get('name', code)).split(' (rev ')[0]} (rev {write})"}
            writer.record(kind, code, before, after)
            fields[key] = after
            held += 1
            options = facets.get(key, [])
            for _ in range(min(rng.randint(0, 3), len(options), records - held)):
                facet, payload = rng.choice(options)
                writer.record(kind, code, payload, {**payload, "note": f"benchmark write {write} (invented)"}, facet)
                held += 1
            if write % COMMIT_EVERY == 0:
                writer.commit()
        writer.close()
        seconds = time.perf_counter() - started
        if engine.dialect.name == "postgresql":
            # what autovacuum does after such a burst of inserts (PostgreSQL 13 and later vacuum them too)
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("VACUUM ANALYZE"))
        # SQLite is left unanalysed, as a deployment's file is: its planner goes by the indexes alone
        with Session(engine) as session:
            filled = Filled(url, held, session.execute(select(m.RegistryState.version)).scalar_one(), seconds)
            filled.target_records = session.execute(
                select(func.count()).select_from(m.ChangeRecord)
                .where(m.ChangeRecord.entity_type == TARGET[0], m.ChangeRecord.entity_code == TARGET[1])).scalar_one()
            filled.middle = _position(session, held // 2)
            kind_records = session.execute(select(func.count()).select_from(m.ChangeRecord)
                                           .where(m.ChangeRecord.entity_type == KIND)).scalar_one()
            filled.kind_middle = _position(session, kind_records // 2, m.ChangeRecord.entity_type == KIND)
        return filled
    finally:
        engine.dispose()


def _position(session: Session, index: int, *where) -> tuple[int, int]:
    """The feed position of the index-th record (setup only: OFFSET is fine here, never in the service)."""
    row = session.execute(select(m.ChangeRecord.version, m.ChangeRecord.id).where(*where)
                          .order_by(m.ChangeRecord.version, m.ChangeRecord.id).offset(index).limit(1)).one()
    return row[0], row[1]


# -- reading through the app ----------------------------------------------------------------------------------
@dataclass
class Read:
    query: str
    variables: Callable[[Filled, int], dict]  # (the registry, the round) -> variables
    check: Callable[[dict, Filled, int], None]
    store: Callable[[Session, Filled, int], Any]  # the same read of the store alone, under the app


def _page(size: int | None = PAGE, more: bool | None = None):
    def check(data: dict, filled: Filled, round_: int) -> None:
        edges = data["changes"]["edges"]
        if size is not None and len(edges) != size:
            raise AssertionError(f"{len(edges)} changes on the page, {size} expected")
        if more is not None and data["changes"]["pageInfo"]["hasNextPage"] != more:
            raise AssertionError("hasNextPage is wrong")
    return check


def _versions(data: dict, filled: Filled, round_: int) -> None:
    if data["registryVersion"] != filled.version:
        raise AssertionError(f"registryVersion {data['registryVersion']}, {filled.version} expected")


def _count(data: dict, filled: Filled, round_: int) -> None:
    if data["changes"]["totalCount"] != filled.records:
        raise AssertionError(f"totalCount {data['changes']['totalCount']}, {filled.records} expected")


def _travel_version(filled: Filled, round_: int) -> int:
    return max(1, filled.version - min(TIME_TRAVEL_BACK, filled.version // 2) - round_)


def _decided(data: dict, filled: Filled, round_: int) -> None:
    if data["clearance"]["registryVersion"] != _travel_version(filled, round_):
        raise AssertionError("the decision was not made at the version asked")


def reads(page: int) -> dict[str, Read]:
    feed = lambda **v: (lambda filled, round_: v)  # noqa: E731
    entity = {"entity_type": TARGET[0], "entity_code": TARGET[1]}
    return {
        "first page": Read(FEED, feed(first=page), _page(page, True),
                           lambda s, f, r: changes.feed_page(s, limit=page)),
        "middle page (cursor)": Read(FEED, lambda f, r: {"first": page, "after": encode_feed_cursor(*f.middle)},
                                     _page(page, True),
                                     lambda s, f, r: changes.feed_page(s, after=f.middle, limit=page)),
        "last page": Read(FEED, feed(last=page), _page(page),
                          lambda s, f, r: changes.feed_page(s, limit=page, backward=True)),
        "since a recent version": Read(FEED, lambda f, r: {"first": page, "since": f.version - 5}, _page(None),
                                       lambda s, f, r: changes.feed_page(s, since=f.version - 5, limit=page)),
        "one kind, middle (cursor)": Read(FEED, lambda f, r: {"first": page, "type": KIND,
                                                               "after": encode_feed_cursor(*f.kind_middle)},
                                          _page(page, True),
                                          lambda s, f, r: changes.feed_page(s, entity_type=KIND, after=f.kind_middle,
                                                                            limit=page)),
        "one entity, first page": Read(FEED, feed(first=page, type=TARGET[0], code=TARGET[1]), _page(page),
                                       lambda s, f, r: changes.feed_page(s, **entity, limit=page)),
        "one entity, newest (last:)": Read(FEED, feed(last=page, type=TARGET[0], code=TARGET[1]), _page(page),
                                           lambda s, f, r: changes.feed_page(s, **entity, limit=page, backward=True)),
        "registryVersion": Read(VERSION, feed(), _versions, lambda s, f, r: registry_version(s)),
        "time travel (50 versions back)": Read(DECIDE, lambda f, r: {"input": CONSIGNMENT,
                                                                     "v": _travel_version(f, r)}, _decided,
                                               lambda s, f, r: read_registry_at(s, _travel_version(f, r))),
        "totalCount, whole log": Read(COUNT, feed(), _count, lambda s, f, r: changes.feed_count(s)),
    }


def _app(url: str):
    from mra_registry.web.app import create_app

    settings = dataclasses.replace(Settings.from_env({}), database_url=url)
    return create_app(settings)


def _ask(client, read: Read, filled: Filled, round_: int) -> float:
    body = {"query": read.query, "variables": read.variables(filled, round_)}
    started = time.perf_counter()
    response = client.post("/graphql", json=body)
    seconds = time.perf_counter() - started
    answer = response.json()
    if response.status_code != 200 or answer.get("errors"):
        raise AssertionError(f"{response.status_code}: {json.dumps(answer)[:500]}")
    read.check(answer["data"], filled, round_)
    return seconds


def _time_store(engine, read: Read, filled: Filled, round_: int) -> float:
    started = time.perf_counter()
    with Session(engine) as session:
        read.store(session, filled, round_)
    return time.perf_counter() - started


Medians = dict[str, tuple[float, float]]  # read -> (small, large) seconds


@dataclass
class Result:
    backend: str
    small: Filled
    large: Filled
    rounds: int
    app: Medians = field(default_factory=dict)  # through the app (HTTP request in-process)
    store: Medians = field(default_factory=dict)  # the store's read alone

    def ratio(self, read: str, where: str = "app") -> float:
        small, large = getattr(self, where)[read]
        return large / small


def measure(small: Filled, large: Filled, rounds: int, page: int = PAGE, warmup: int = 3) -> tuple[Medians, Medians]:
    """Each read asked of both registries in turns, through the app and of the store alone; the medians."""
    from starlette.testclient import TestClient

    plan = reads(page)
    registries = (small, large)
    app_times = {name: ([], []) for name in plan}
    store_times = {name: ([], []) for name in plan}
    engines = [make_engine(f.url) for f in registries]
    try:
        with ExitStack() as stack:
            clients = [stack.enter_context(TestClient(_app(f.url))) for f in registries]
            for name, read in plan.items():
                for side in (0, 1):
                    for i in range(warmup):
                        # the warm-up's time travel goes further back than any measured round: none is cached
                        _ask(clients[side], read, registries[side], rounds + i)
                        _time_store(engines[side], read, registries[side], rounds + i)
            for round_ in range(rounds):
                order = (0, 1) if round_ % 2 == 0 else (1, 0)
                for name, read in plan.items():
                    for side in order:
                        app_times[name][side].append(_ask(clients[side], read, registries[side], round_))
                        store_times[name][side].append(_time_store(engines[side], read, registries[side], round_))
    finally:
        for engine in engines:
            engine.dispose()

    def medians(times) -> Medians:
        return {name: (statistics.median(a), statistics.median(b)) for name, (a, b) in times.items()}
    return medians(app_times), medians(store_times)


# -- the run --------------------------------------------------------------------------------------------------
def run(small: int = 1_000, large: int = 100_000, rounds: int = 30, url: str | None = None, page: int = PAGE,
        write_path: str = "bulk", log: Callable[[str], None] = print) -> Result:
    temporary = None
    admin = None
    names: list[str] = []
    if url and make_url(database_url(url)).get_backend_name() == "postgresql":
        admin = create_engine(database_url(url), isolation_level="AUTOCOMMIT")
        base = make_url(database_url(url))
        targets = []
        for size in (small, large):
            name = f"mra_changes_bench_{os.getpid()}_{size}"
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                connection.execute(text(f'CREATE DATABASE "{name}"'))
            names.append(name)
            targets.append(base.set(database=name).render_as_string(hide_password=False))
    else:
        temporary = tempfile.TemporaryDirectory()
        targets = [f"sqlite:///{Path(temporary.name) / f'changes_{size}.sqlite3'}" for size in (small, large)]
    try:
        filled = []
        for size, target in zip((small, large), targets):
            f = fill(target, size, write_path=write_path)
            log(f"filled {f.records:,} change records (version {f.version:,}, {f.target_records:,} of them "
                f"{TARGET[1]}'s) in {f.seconds:.1f} s ({write_path})")
            filled.append(f)
        backend = make_url(database_url(targets[0])).get_backend_name()
        app, store = measure(filled[0], filled[1], rounds, page)
        return Result(backend, filled[0], filled[1], rounds, app, store)
    finally:
        if admin is not None:
            with admin.connect() as connection:
                for name in names:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
        if temporary is not None:
            temporary.cleanup()


def table(result: Result) -> str:
    small, large = result.small.records, result.large.records
    lines = [f"| read | app, {small:,} (ms) | app, {large:,} (ms) | app ratio | store, {small:,} (ms) "
             f"| store, {large:,} (ms) | store ratio |", "|---|---:|---:|---:|---:|---:|---:|"]
    for name in result.app:
        (a, b), (c, d) = result.app[name], result.store[name]
        lines.append(f"| {name} | {a * 1000:.2f} | {b * 1000:.2f} | **{b / a:.2f}** | {c * 1000:.2f} | {d * 1000:.2f} "
                     f"| **{d / c:.2f}** |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=1_000, help="change records in the small log (default 1,000)")
    parser.add_argument("--large", type=int, default=100_000, help="change records in the large log (default 100,000)")
    parser.add_argument("--rounds", type=int, default=30, help="times each read is asked of each registry")
    parser.add_argument("--page", type=int, default=PAGE, help="changes per page")
    parser.add_argument("--write-path", choices=sorted(WRITE_PATHS), default="bulk",
                        help="the later writes: 'changelog', each through the store's ChangeLog; 'bulk' (default), "
                             "the same rows inserted in batches with the store's mapping")
    parser.add_argument("--database", metavar="URL", help="a PostgreSQL server URL (default: temporary SQLite files)")
    args = parser.parse_args(argv)
    result = run(args.small, args.large, args.rounds, args.database, args.page, args.write_path)
    print(f"{result.backend}: medians of {result.rounds} rounds; app: a request in-process through the app "
          f"(TestClient), store: the store's read alone (a session, the statement, the rows)")
    print(table(result))


if __name__ == "__main__":
    main()
