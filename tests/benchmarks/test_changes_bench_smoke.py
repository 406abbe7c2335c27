"""The change-log benchmark's machinery end to end, in a tiny mode: both registries filled (through the store's
ChangeLog and in bulk), every read asked through the app and of the store, a table. No timing is asserted
anywhere: the figures depend on the machine; only the shape of the result is checked."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from benchmarks import changes_bench as cb
from mra_registry.store import models as m
from mra_registry.store.database import make_engine
from tests.conftest import POSTGRES_URL

RECORDS = select(m.ChangeRecord.version, m.ChangeRecord.entity_type, m.ChangeRecord.entity_code, m.ChangeRecord.facet,
                 m.ChangeRecord.action, m.ChangeRecord.before, m.ChangeRecord.after).order_by(m.ChangeRecord.id)


@pytest.mark.parametrize("write_path", ["changelog", "bulk"])
def test_a_log_is_filled_to_the_record_and_both_write_paths_write_the_same_rows(tmp_path, write_path):
    url = f"sqlite:///{tmp_path / 'log.sqlite3'}"
    filled = cb.fill(url, 260, write_path=write_path)
    assert filled.records == 260 and filled.target_records > 0
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            assert session.execute(select(func.count()).select_from(m.ChangeRecord)).scalar_one() == 260
            versions = session.execute(select(m.RegistryVersion.version).order_by(m.RegistryVersion.version)).scalars()
            assert list(versions) == list(range(1, filled.version + 1))  # gap-free, as the change log keeps them
            rows = session.execute(RECORDS).all()
    finally:
        engine.dispose()
    # the same seed writes the same records whichever path writes them
    other = cb.fill(f"sqlite:///{tmp_path / 'other.sqlite3'}", 260,
                    write_path="bulk" if write_path == "changelog" else "changelog")
    engine = make_engine(other.url)
    try:
        with Session(engine) as session:
            assert session.execute(RECORDS).all() == rows
    finally:
        engine.dispose()


def test_the_benchmark_runs_end_to_end_and_reports_a_ratio_per_read():
    lines: list[str] = []
    result = cb.run(small=260, large=600, rounds=1, url=POSTGRES_URL, page=5, log=lines.append)
    assert result.backend == ("postgresql" if POSTGRES_URL else "sqlite")
    assert (result.small.records, result.large.records) == (260, 600) and len(lines) == 2
    assert set(result.app) == set(result.store) == set(cb.READS)
    for read in cb.READS:
        assert result.ratio(read) > 0 and result.ratio(read, "store") > 0
    table = cb.table(result)
    assert table.splitlines()[0].startswith("| read | app, 260 (ms) | app, 600 (ms) | app ratio |")
    assert len(table.splitlines()) == 2 + len(cb.READS)
