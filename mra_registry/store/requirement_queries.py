"""Importers' acceptance lists read by code inside a write's transaction (api/mutations/requirements.py; a
regulatory authority's competences are read with its CAB, store/queries.py). Browsing reads no SQL
(store/browse_model.py)."""
from __future__ import annotations

from typing import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import model
from . import mapping
from . import models as m


def acceptance_lists_by_codes(session: Session, codes: Sequence[str]) -> dict[str, model.AcceptanceList]:
    rows = session.scalars(select(m.AcceptanceListRow).where(m.AcceptanceListRow.code.in_(codes))).all()
    entries = session.scalars(mapping.current(select(m.ListEntryRow), m.ListEntryRow)
                              .where(m.ListEntryRow.list_code.in_(codes)).order_by(m.ListEntryRow.id)) if rows else ()
    return {x.code: x for x in mapping.acceptance_lists_from_rows(rows, entries)}
