"""Decide against the local database: build the snapshot once, decide every line on it. The check only reads:
it never creates a database (a missing SQLite file is an error naming it, not an empty new file)."""
from __future__ import annotations

import os
from datetime import date, datetime, timezone
from typing import Any

from ..domain.codes import AttestationType
from ..domain.decision import Attestation, Consignment
from ..domain.engine import decide
from ..domain.errors import InvalidInput
from ..domain.snapshot import Snapshot
from .decision_json import decision_to_json
from .lines import CheckError, Entry, case_insensitive, resolve_codes

SETUP_HINT = ("run `mra-registry migrate` and `mra-registry load FILE…` (e.g. data/reference/registry.json), "
              "name another database with --database or MRA_DATABASE_URL, or use --server URL")


def _attestation(raw: dict[str, Any]) -> Attestation:
    return Attestation(
        type=AttestationType(raw["type"]), issuer=raw["issuer"], issue_date=date.fromisoformat(raw["issueDate"]),
        accreditation_body=raw.get("accreditationBody"), accreditation_number=raw.get("accreditationNumber"),
        lot=raw.get("lot"), tests=tuple(raw["tests"]) if raw.get("tests") else None,
        under_accreditation=raw.get("underAccreditation", True) is not False, credential=raw.get("credential"),
    )


def consignment_of(line: dict[str, Any]) -> Consignment:
    raw = line.get("attestation")
    clearance = line.get("clearanceDate")
    return Consignment(
        exporter=line["exporter"], importer=line["importer"], hs_code=line["hsCode"],
        clearance_date=date.fromisoformat(clearance) if clearance else datetime.now(timezone.utc).date(),
        lot=line.get("lot"), attestation=_attestation(raw) if raw else None,
        attestations=tuple(_attestation(item) for item in line.get("attestations") or ()),
    )


def sqlite_file_of(url: str) -> str | None:
    """The file a SQLite URL names (absolute), or None for another database or an in-memory one."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:"):
        return None
    if parsed.database.startswith("file:"):
        return None  # a SQLite URI: its options are the user's
    return os.path.abspath(parsed.database)


def missing_sqlite_file(url: str) -> str | None:
    """The absolute path of the SQLite file ``url`` names when that file does not exist, else None. SQLite makes
    the file on connecting, so a command that only uses a database asks this first and leaves no empty file."""
    path = sqlite_file_of(url)
    return path if path is not None and not os.path.isfile(path) else None


def read_snapshot(database_url: str | None) -> Snapshot:
    from sqlalchemy.exc import DBAPIError, SQLAlchemyError

    from ..store.database import database_url as resolve_url, make_engine
    from ..store.snapshots import read_consistently

    url = resolve_url(database_url)
    missing = missing_sqlite_file(url)
    if missing is not None:
        raise CheckError(f"no registry database at {missing}: {SETUP_HINT}")
    path = sqlite_file_of(url)
    where = path or _shown(url)
    engine = make_engine(url)
    try:
        return Snapshot.build(read_consistently(engine))
    except DBAPIError as error:  # the driver's own words, never SQLAlchemy's SQL echo
        detail = str(error.orig).strip().splitlines()[0] if str(error.orig).strip() else type(error.orig).__name__
        raise CheckError(f"cannot read the registry database at {where} ({detail}): {SETUP_HINT}") from None
    except SQLAlchemyError as error:
        raise CheckError(f"cannot read the registry database at {where} ({type(error).__name__}): "
                         f"{SETUP_HINT}") from None
    finally:
        engine.dispose()


def _shown(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def decide_locally(entries: list[Entry], database_url: str | None) -> None:
    """Decide every entry that has a line; an entry the engine refuses gets its error instead."""
    snapshot = read_snapshot(database_url)
    cab = case_insensitive(snapshot.cabs)
    body = case_insensitive([*snapshot.accreditation_bodies, *snapshot.lookalike_bodies])
    for entry in entries:
        if entry.line is None:
            continue
        resolve_codes(entry.line, cab, body)
        try:
            entry.decision = decision_to_json(decide(snapshot, consignment_of(entry.line)))
        except InvalidInput as error:
            where = f"CSV line {entry.csv_line}: " if entry.csv_line else ""
            entry.error = f"{where}{error.field}: {error.message}"
