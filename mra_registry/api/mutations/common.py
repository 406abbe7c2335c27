"""Shared pieces of mutations: provenance input, current-entity look-ups, expected-version checks."""
from __future__ import annotations

from datetime import date
from typing import Any, Callable, Sequence

import graphene
from sqlalchemy.orm import Session

from ...domain import model
from ...domain.codes import Confidence
from ...store import queries
from .. import enums
from ..errors import WriteRefused


class ProvenanceInput(graphene.InputObjectType):
    confidence = enums.Confidence(description="Default: UNCONFIRMED (or, on an update, what the object had).")
    sources = graphene.List(graphene.NonNull(graphene.String))
    note = graphene.String()


def provenance(data: Any, default: model.Provenance | None = None) -> model.Provenance:
    raw = data.get("provenance") if data else None
    if raw is None:
        return default or model.Provenance()
    given = enums.value(raw.get("confidence"))
    level = Confidence(given) if given else (default.confidence if default else Confidence.UNCONFIRMED)
    return model.Provenance(level, tuple(raw.get("sources") or ()), raw.get("note"))


def one(session: Session, fetch: Callable[[Session, Sequence[str]], dict], code: str, what: str, field: str) -> Any:
    found = fetch(session, [code]).get(code)
    if found is None:
        raise WriteRefused((field, f"no {what} with code {code!r}", "NOT_FOUND"))
    return found


def check_version(session: Session, kind: str, code: str, expected: int) -> None:
    current = queries.row_versions(session, kind, [code]).get(code)
    if current != expected:
        raise WriteRefused(("expectedVersion", f"{kind} {code} is at version {current}, not {expected}: "
                            "someone changed it since you read it; read it again and retry", "STALE_OBJECT"))


def day_before(day: date) -> date:
    from datetime import timedelta

    return day - timedelta(days=1)


class Versioned(graphene.InputObjectType):
    """Not used directly: the fields every update input carries."""

    expected_version = graphene.Int(required=True, description="The object's `version` you read; a stale one is refused.")
    message = graphene.String(description="Kept in the change log with this write.")
