"""Batch reads for completeness declarations, look-alike bodies and arrangement activity starts (the API's
dataloaders and root connections): a fixed number of SQL queries per batch, whatever its size."""
from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Sequence

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session

from ..domain import model
from . import mapping
from . import models as m


def declarations_by_codes(session: Session, codes: Sequence[str]) -> dict[str, model.CompletenessDeclaration]:
    row = m.CompletenessDeclarationRow
    query = mapping.current(select(row), row).where(row.code.in_(codes))
    return {r.code: mapping.declaration_from_row(r) for r in session.scalars(query)}


def lookalikes_by_codes(session: Session, codes: Sequence[str]) -> dict[str, model.LookalikeBody]:
    query = select(m.LookalikeBodyRow).where(m.LookalikeBodyRow.code.in_(codes))
    return {r.code: mapping.lookalike_from_row(r) for r in session.scalars(query)}


def activity_starts_of_arrangements(session: Session, codes: Sequence[str]) -> dict[str, list[model.ActivityStart]]:
    row = m.ActivityStartRow
    query = mapping.current(select(row), row).where(row.arrangement_code.in_(codes)).order_by(row.activity)
    result = defaultdict(list)
    for r in session.scalars(query):
        result[r.arrangement_code].append(mapping.activity_start_from_row(r))
    return result


def declarations_query(kind: str | None = None, importer: str | None = None, arrangement: str | None = None,
                       accreditation_body: str | None = None, as_of: date | None = None) -> tuple[Select, object]:
    row = m.CompletenessDeclarationRow
    query = mapping.current(select(row), row)
    for column, value in ((row.kind, kind), (row.importer, importer), (row.arrangement_code, arrangement),
                          (row.accreditation_body_code, accreditation_body)):
        if value:
            query = query.where(column == value)
    if as_of:
        query = query.where(and_(or_(row.valid_from.is_(None), row.valid_from <= as_of),
                                 or_(row.valid_to.is_(None), row.valid_to >= as_of)))
    return query, row.code


def lookalikes_query(economy: str | None = None) -> tuple[Select, object]:
    query = select(m.LookalikeBodyRow)
    if economy:
        query = query.where(m.LookalikeBodyRow.economy_code == economy)
    return query, m.LookalikeBodyRow.code
