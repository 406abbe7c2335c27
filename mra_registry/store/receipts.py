"""Recorded decision receipts (table ``decision_receipts``, migration 0006): written once, never changed, and not
registry data (recording one leaves the registry version where it is)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import models as m


@dataclass(frozen=True)
class StoredReceipt:
    id: str
    registry_version: int
    issued_at: datetime
    input_sha256: str
    input: dict[str, Any]
    decision: dict[str, Any]
    key_id: str
    jws: str
    token_id: str | None


def record_receipt(session: Session, receipt: StoredReceipt, input_canonical: str, decision_canonical: str) -> None:
    session.add(m.DecisionReceiptRow(
        id=receipt.id, registry_version=receipt.registry_version, issued_at=receipt.issued_at,
        input_sha256=receipt.input_sha256, input_json=input_canonical, decision_json=decision_canonical,
        key_id=receipt.key_id, jws=receipt.jws, token_id=receipt.token_id,
    ))


def _stored(row: m.DecisionReceiptRow) -> StoredReceipt:
    return StoredReceipt(row.id, row.registry_version, row.issued_at, row.input_sha256, json.loads(row.input_json),
                         json.loads(row.decision_json), row.key_id, row.jws, row.token_id)


def receipt_by_id(session: Session, receipt_id: str) -> StoredReceipt | None:
    row = session.get(m.DecisionReceiptRow, receipt_id)
    return _stored(row) if row is not None else None


def all_receipts(session: Session) -> Iterator[StoredReceipt]:
    """Every recorded receipt, oldest first (by registry version, then time)."""
    query = select(m.DecisionReceiptRow).order_by(m.DecisionReceiptRow.registry_version,
                                                  m.DecisionReceiptRow.issued_at, m.DecisionReceiptRow.id)
    for row in session.scalars(query):
        yield _stored(row)
