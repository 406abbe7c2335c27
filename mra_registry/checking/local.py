"""Decide against the local database: build the snapshot once, decide every line on it."""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from ..domain.codes import AttestationType
from ..domain.decision import Attestation, Consignment
from ..domain.engine import decide
from ..domain.errors import InvalidInput
from ..domain.snapshot import Snapshot
from .decision_json import decision_to_json
from .lines import CheckError


def _attestation(raw: dict[str, Any]) -> Attestation:
    return Attestation(
        type=AttestationType(raw["type"]), issuer=raw["issuer"], issue_date=date.fromisoformat(raw["issueDate"]),
        accreditation_body=raw.get("accreditationBody"), accreditation_number=raw.get("accreditationNumber"),
        lot=raw.get("lot"), tests=tuple(raw["tests"]) if raw.get("tests") else None,
        under_accreditation=raw.get("underAccreditation", True) is not False,
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


def decide_locally(lines: list[dict[str, Any]], database_url: str | None) -> list[dict[str, Any]]:
    from ..store.database import make_engine
    from ..store.snapshots import read_consistently

    engine = make_engine(database_url)
    try:
        snapshot = Snapshot.build(read_consistently(engine))
    except Exception as error:  # no database, no schema: an error, never a guess
        raise CheckError(f"cannot read the registry database ({type(error).__name__}: {error}); "
                         "run `mra-registry migrate` and load data first, or use --server") from None
    finally:
        engine.dispose()
    decisions = []
    for index, line in enumerate(lines):
        try:
            decisions.append(decision_to_json(decide(snapshot, consignment_of(line))))
        except InvalidInput as error:
            raise CheckError(f"line {index + 1}: {error.field}: {error.message}") from None
    return decisions
