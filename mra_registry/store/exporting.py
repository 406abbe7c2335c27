"""Export the current registry as the canonical registry document."""
from __future__ import annotations

from sqlalchemy.orm import Session

from ..interchange import writer
from .mapping import read_registry


def export_document(session: Session) -> str:
    return writer.dumps(writer.document(read_registry(session)))
