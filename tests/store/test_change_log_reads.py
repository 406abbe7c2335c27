"""History reads stay independent of the change log's size (issue 11): every page of the change feed is a keyset
range on an index (never OFFSET, never a scan of the whole log), a filter by kind or by entity reads its own
composite index, and time travel reads the changes after a version from an index range. Checked on the query
plans of the statements the store really sends (SQLite's EXPLAIN QUERY PLAN, PostgreSQL's EXPLAIN), on a log of
realistic shape; the pages themselves are checked against the log filtered by hand. Migration 0008 (the indexes)
goes up and down with the log kept. No timing is asserted: benchmarks/changes_bench.py measures."""
from __future__ import annotations

import random
import re
from datetime import datetime, timezone

import pytest
from sqlalchemy import event, inspect, insert, text, update
from sqlalchemy.orm import Session

from mra_registry.store import changes as feed
from mra_registry.store import models as m
from mra_registry.store.database import make_engine
from mra_registry.store.history import read_registry_at
from mra_registry.store.migrate import check_no_drift, current_revision, downgrade_to, upgrade_to, upgrade_to_head

KINDS = ("ConformityAssessmentBody",) * 6 + ("AccreditationBody",) * 3 + ("Arrangement", "ImportPolicy", "Union")
BUSY = ("ConformityAssessmentBody", "CAB-BUSY")  # an entity with a long history of its own
NEW_INDEXES = {"ix_change_records_position", "ix_change_records_type_position", "ix_change_records_entity_position"}
OLD_INDEXES = {"ix_change_records_version", "ix_change_records_entity"}


def fill(engine, records: int, seed: int = 11) -> None:
    """A log of invented changes shaped like the registry's: a first load of many records in one version, then
    writes of one to five records each, mostly CABs, one CAB written to far more often than the others."""
    rng = random.Random(seed)
    now = datetime(2026, 12, 1, tzinfo=timezone.utc)
    versions, rows, version = [], [], 0
    while len(rows) < records:
        version += 1
        versions.append({"version": version, "created_at": now, "actor": "test", "role": "ADMINISTRATOR",
                         "request_id": None, "message": None})
        for _ in range(min(records // 10 if version == 1 else rng.randint(1, 5), records - len(rows))):
            if rng.random() < 0.1:
                kind, code = BUSY
            else:
                kind = rng.choice(KINDS)
                code = f"{kind[:3].upper()}-{rng.randint(1, 400)}"
            rows.append({"version": version, "entity_type": kind, "entity_code": code,
                         "facet": rng.choice(("", "", "statuses ILAC_MRA/TESTING/-")), "action": "UPDATE",
                         "before": {"name": "before (invented)"}, "after": {"name": "after (invented)"}})
    with engine.begin() as connection:
        connection.execute(insert(m.RegistryVersion), versions)
        for start in range(0, len(rows), 5_000):
            connection.execute(insert(m.ChangeRecord), rows[start:start + 5_000])
        connection.execute(update(m.RegistryState).where(m.RegistryState.id == 1).values(version=version))
    if engine.dialect.name == "postgresql":
        # what autovacuum does after a burst of inserts (PostgreSQL 13 and later vacuum insert-only tables too)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE change_records"))
            connection.execute(text("VACUUM ANALYZE registry_versions"))
    # SQLite stays unanalysed, as a deployment's file is: its planner must find the index on its own


def positions(engine) -> list[tuple[int, int, str, str]]:
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(text(
            "select version, id, entity_type, entity_code from change_records order by version, id"))]


def statements(engine, read) -> list[tuple[str, object]]:
    """The SELECTs on change_records that ``read(session)`` sends, with their parameters."""
    sent: list[tuple[str, object]] = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT") and "change_records" in statement:
            sent.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        with Session(engine) as session:
            read(session)
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    assert sent, "the read sent no statement on change_records"
    return sent


def plan(engine, statement: str, parameters) -> list[tuple[int, int, str]] | str:
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            found = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
            return [(r[0], r[1], r[3]) for r in found]
        return "\n".join(r[0] for r in connection.exec_driver_sql(f"EXPLAIN {statement}", parameters))


def _descendants(rows: list[tuple[int, int, str]], root: int) -> list[str]:
    found, frontier = [], {root}
    for node, parent, detail in rows:
        if parent in frontier:
            found.append(detail)
            frontier.add(node)
    return found


def assert_sqlite_plan(rows, index: str, keyset: bool) -> None:
    text_ = "\n".join(detail for _, _, detail in rows)
    on_log = [detail for _, _, detail in rows if " change_records " in f"{detail} "]
    by_id = [d for d in on_log if "USING INTEGER PRIMARY KEY (rowid=?)" in d]  # the page's records, read by id
    chosen = [d for d in on_log if d not in by_id]  # where the page is chosen
    assert chosen and all(f"INDEX {index}" in d for d in chosen), text_
    if keyset:
        assert all(d.startswith("SEARCH") and ("version>?" in d or "version<?" in d) for d in chosen), text_
    # the page is chosen in the index's order: a sort, if any, is the outer one over the page's few rows
    inner = [node for node, _, detail in rows if detail.startswith("MATERIALIZE") or detail.startswith("CO-ROUTINE")]
    for node in inner:
        assert not any("TEMP B-TREE" in d for d in _descendants(rows, node)), text_


def assert_postgres_plan(text_: str, indexes: set[str], keyset: bool) -> None:
    assert "Seq Scan on change_records" not in text_, text_
    # "Index Scan using ix_…", "Index Only Scan using ix_…" or "Bitmap Index Scan on ix_…"
    assert any(f"using {index} " in text_ or f"on {index} " in text_ for index in indexes), text_
    if keyset:  # the position (or the end of `since`'s version) is where the index range starts
        assert re.search(r"Index Cond: .*(ROW\(version, id\) [<>]|\(version > )", text_), text_


@pytest.fixture(scope="module")
def big_log(database_factory):
    """20,000 change records: enough for PostgreSQL's planner to weigh an index against a scan for real."""
    engine = make_engine(database_factory.new())
    fill(engine, 20_000)
    yield engine
    engine.dispose()


FEED_READS = {
    # name: (store read, index it must use, keyset start on the position)
    "first page": (lambda s, p: feed.feed_page(s, limit=20), "ix_change_records_position", False),
    "middle page": (lambda s, p: feed.feed_page(s, after=p, limit=20), "ix_change_records_position", True),
    "last page": (lambda s, p: feed.feed_page(s, limit=20, backward=True), "ix_change_records_position", False),
    "page before the middle": (lambda s, p: feed.feed_page(s, before=p, limit=20, backward=True),
                               "ix_change_records_position", True),
    "since a version": (lambda s, p: feed.feed_page(s, since=p[0], limit=20), "ix_change_records_position", True),
    "one kind from the middle": (lambda s, p: feed.feed_page(s, entity_type="Union", after=p, limit=20),
                                 "ix_change_records_type_position", True),
    "one kind, newest": (lambda s, p: feed.feed_page(s, entity_type="Union", limit=20, backward=True),
                         "ix_change_records_type_position", False),
    "one entity": (lambda s, p: feed.feed_page(s, entity_type=BUSY[0], entity_code=BUSY[1], limit=20),
                   "ix_change_records_entity_position", False),
    "one entity from the middle": (lambda s, p: feed.feed_page(s, entity_type=BUSY[0], entity_code=BUSY[1], after=p,
                                                               limit=20), "ix_change_records_entity_position", True),
    "one entity, newest": (lambda s, p: feed.feed_page(s, entity_type=BUSY[0], entity_code=BUSY[1], limit=20,
                                                       backward=True), "ix_change_records_entity_position", False),
}


@pytest.mark.parametrize("name", list(FEED_READS))
def test_every_page_of_the_feed_is_an_index_range(big_log, name):
    read, index, keyset = FEED_READS[name]
    all_positions = positions(big_log)
    middle = all_positions[len(all_positions) // 2][:2]
    for statement, parameters in statements(big_log, lambda session: read(session, middle)):
        found = plan(big_log, statement, parameters)
        if big_log.dialect.name == "sqlite":
            assert_sqlite_plan(found, index, keyset)
        else:
            # Among the composite indexes the planner may take the position index and filter a common kind
            # (cheaper when it is frequent); either is one index range, never the whole log.
            allowed = {index} | ({"ix_change_records_position"} if "type" in index else set())
            assert_postgres_plan(found, allowed, keyset)


def test_one_entitys_count_reads_its_index_and_time_travel_reads_a_range(big_log):
    count = statements(big_log, lambda s: feed.feed_count(s, entity_type=BUSY[0], entity_code=BUSY[1]))
    with big_log.connect() as connection:
        current = connection.execute(text("select version from registry_state")).scalar_one()
    later = statements(big_log, lambda s: read_registry_at(s, current - 50))
    travel = [(s, p) for s, p in later if "change_records.version >" in s]
    assert len(travel) == 1, later  # the changes after the version (their `before` read by id after)
    for (statement, parameters), indexes in ((count[0], {"ix_change_records_entity_position"}),
                                             (travel[0], {"ix_change_records_position",
                                                          "ix_change_records_type_position"})):
        found = plan(big_log, statement, parameters)
        if big_log.dialect.name == "sqlite":
            on_log = [d for _, _, d in found if " change_records " in f"{d} "]
            assert on_log and all(d.startswith("SEARCH") and any(i in d for i in indexes) for d in on_log), found
        else:
            assert_postgres_plan(found, indexes, keyset=False)


# -- the pages are the log's, filtered by hand ----------------------------------------------------------------
def expected(log, *, entity_type=None, entity_code=None, since=None, after=None, before=None, limit, backward=False):
    rows = [r for r in log if (entity_type is None or r[2] == entity_type)
            and (entity_code is None or r[3] == entity_code) and (since is None or r[0] > since)
            and (after is None or r[:2] > after) and (before is None or r[:2] < before)]
    page = rows[-limit:] if backward else rows[:limit]
    return [r[:2] for r in page], len(rows) > limit


def test_pages_read_by_position_are_the_log_filtered_by_hand(engine):
    fill(engine, 1_500, seed=5)
    log = positions(engine)
    rng = random.Random(3)
    with Session(engine) as session:
        for _ in range(150):
            a, b = sorted(rng.sample(range(len(log)), 2))
            arguments = {
                "entity_type": rng.choice((None, None, BUSY[0], "Union")),
                "entity_code": rng.choice((None, None, BUSY[1])),
                "since": rng.choice((None, log[rng.randrange(len(log))][0])),
                "after": rng.choice((None, log[a][:2])),
                "before": rng.choice((None, log[b][:2])),
                "limit": rng.choice((1, 7, 20)),
                "backward": rng.random() < 0.5,
            }
            rows, more = feed.feed_page(session, **arguments)
            assert ([(r[0].version, r[0].id) for r in rows], more) == expected(log, **arguments), arguments
            assert all(version.version == record.version for record, version in rows)
            filters = {k: arguments[k] for k in ("entity_type", "entity_code", "since")}
            assert feed.feed_count(session, **filters) == len(expected(log, **filters, limit=len(log))[0])
            key = log[a][:2]
            assert feed.feed_has(session, key, **filters, before=True) == bool(
                expected(log, **filters, before=key, limit=1)[0])
            assert feed.feed_has(session, key, **filters, before=False) == bool(
                expected(log, **filters, after=key, limit=1)[0])


# -- migration 0008 -------------------------------------------------------------------------------------------
def change_log_indexes(engine) -> set[str]:
    return {index["name"] for index in inspect(engine).get_indexes("change_records")}


def test_0008_replaces_the_change_log_indexes_and_downgrades_cleanly(database_factory):
    # given: a registry at 0007 with a change log (invented)
    engine = make_engine(database_factory.new_empty())
    try:
        upgrade_to(engine, "0007")
        fill(engine, 300)
        assert OLD_INDEXES <= change_log_indexes(engine)
        before = positions(engine)

        # when
        upgrade_to_head(engine)

        # then: the position indexes replace the old ones, the log is intact, the models agree
        assert NEW_INDEXES <= change_log_indexes(engine) and not OLD_INDEXES & change_log_indexes(engine)
        assert positions(engine) == before
        check_no_drift(engine)

        # and back, and up again
        downgrade_to(engine, "0007")
        assert change_log_indexes(engine) == OLD_INDEXES
        assert positions(engine) == before
        upgrade_to(engine, "0008")
        assert current_revision(engine) == "0008"
        assert change_log_indexes(engine) == NEW_INDEXES
    finally:
        engine.dispose()
