"""The registries the HTTP benchmark serves: the fixtures and the synthetic registry, on SQLite and PostgreSQL,
built once with the project's own loader and cached (with the consignments of (b) and (c) derived from them)
until what they are built from changes."""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "benchmarks" / "out"
FIXTURE_DOCUMENTS = (ROOT / "data" / "reference" / "registry.json", ROOT / "data" / "fixtures" / "scenarios.json")
POSTGRES_SERVER_URL = os.environ.get("MRA_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
# Bump when the way the cached databases are built changes: they are rebuilt when their stamp differs.
LOADER_VERSION = 3
DECLARATION_LINES = 1000  # lines of (c)'s declaration


# -- PostgreSQL -----------------------------------------------------------------------------------------------------

def postgres_admin_url() -> str:
    return POSTGRES_SERVER_URL


def postgres_available() -> str | None:
    """None when the PostgreSQL server answers, else why not."""
    try:
        import psycopg

        with psycopg.connect(_pg_dsn(postgres_admin_url()), connect_timeout=3):
            return None
    except Exception as error:  # noqa: BLE001 - any failure means: no PostgreSQL rows in this run
        return f"{type(error).__name__}: {error}".strip()


def _pg_dsn(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def _pg_database_url(name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(postgres_admin_url()).set(database=name).render_as_string(hide_password=False)


def _pg_recreate(name: str) -> None:
    import psycopg

    with psycopg.connect(_pg_dsn(postgres_admin_url()), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def _pg_exists(name: str) -> bool:
    import psycopg

    with psycopg.connect(_pg_dsn(postgres_admin_url()), autocommit=True) as connection:
        return connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None


# -- the cached databases -------------------------------------------------------------------------------------------

def _stamp(registry: str, cabs: int) -> str:
    """What a cached database was built from: the generator, the migrations and this loader."""
    digest = hashlib.sha256(f"{LOADER_VERSION}:{registry}:{cabs}".encode())
    sources = [ROOT / "benchmarks" / "synthetic.py"] if registry == "synthetic" else list(FIXTURE_DOCUMENTS)
    sources += sorted((ROOT / "mra_registry" / "store" / "migrations" / "versions").glob("*.py"))
    for path in sources:
        digest.update(path.read_bytes())
    return digest.hexdigest()


@dataclass
class Workload:
    """Inputs for (b) and (c), as GraphQL ClearanceInput values: `candidates` are filtered on the live server
    to those recognised through an arrangement for (b); `declaration` is the 1,000 lines of (c)."""

    candidates: list[dict[str, Any]]
    declaration: list[dict[str, Any]]


@dataclass
class Database:
    backend: str  # sqlite | postgresql
    registry: str  # fixtures | synthetic
    url: str
    workload: Workload


def ensure_database(out_dir: Path, cabs: int, backend: str, registry: str, log=print) -> Database:
    """A database of this registry on this backend, built once and cached (SQLite files and a stamp per database
    in the output directory; PostgreSQL databases named mra_bench_*)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    size = cabs if registry == "synthetic" else 0
    name = "fixtures" if registry == "fixtures" else f"synthetic-{cabs}"
    stamp = _stamp(registry, size)
    stamp_path = out_dir / f"{backend}-{name}.stamp"
    workload_path = out_dir / f"workload-{name}.json"
    if backend == "sqlite":
        path = out_dir / f"{name}.sqlite3"
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
                            "--cabs", str(cabs), "--workload", str(workload_path)], cwd=ROOT, check=True)
        stamp_path.write_text(stamp + "\n", encoding="utf-8")
        log(f"  built in {time.perf_counter() - started:.0f} s")
    workload = Workload(**json.loads(workload_path.read_text(encoding="utf-8")))
    return Database(backend, registry, url, workload)


def write_synthetic(url: str, cabs: int, workload_path: Path) -> None:
    """What the child process started by ensure_database does."""
    workload = build_synthetic(url, cabs)
    workload_path.write_text(json.dumps(dataclasses.asdict(workload)), encoding="utf-8")


# -- building -------------------------------------------------------------------------------------------------------

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
