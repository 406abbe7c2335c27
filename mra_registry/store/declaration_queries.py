"""Completeness declarations read by code inside a write's transaction (api/mutations/declarations.py): a fixed
number of SQL queries per batch, whatever its size. Browsing reads no SQL (store/browse_model.py)."""
from __future__ import annotations

from typing import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import model
from . import mapping
from . import models as m


def declarations_by_codes(session: Session, codes: Sequence[str]) -> dict[str, model.CompletenessDeclaration]:
    row = m.CompletenessDeclarationRow
    query = mapping.current(select(row), row).where(row.code.in_(codes))
    return {r.code: mapping.declaration_from_row(r) for r in session.scalars(query)}
