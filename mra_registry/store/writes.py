"""Single-entity writes (the API's mutations) go through the same validation and history mechanics as
registry documents: the new state of an entity is written as a one-entity document and applied."""
from __future__ import annotations

from sqlalchemy.orm import Session

from ..domain import model
from ..interchange import writer
from .changes import Actor
from .loading import LoadResult, load_documents


def apply_entities(session: Session, actor: Actor, *, before: model.Registry, after: model.Registry) -> LoadResult:
    """Write ``after``'s entities, comparing them with ``before`` (the same entities as they are now)."""
    document = writer.document(after)
    return load_documents(session, [("input", document)], actor, current=before)
