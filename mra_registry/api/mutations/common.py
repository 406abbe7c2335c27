"""Shared pieces of mutations: provenance input, current-entity look-ups, expected-version checks, and where an
input stands in the document its write is checked as."""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date
from typing import Any, Callable, Sequence

import graphene
from sqlalchemy.orm import Session

from ...domain import model
from ...domain.codes import Confidence
from ...store import queries
from .. import enums
from ..errors import DATED, PROVENANCE, InputPaths, WriteRefused


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
    """The entity of this code, or a refusal at ``field`` (the input path that named it)."""
    found = fetch(session, [code]).get(code)
    if found is None:
        raise WriteRefused((field, f"no {what} with code {code!r}", "NOT_FOUND"))
    return found


def check_version(session: Session, kind: str, code: str, expected: int) -> None:
    current = queries.row_versions(session, kind, [code]).get(code)
    if current != expected:
        raise WriteRefused(("input.expectedVersion", f"{kind} {code} is at version {current}, not {expected}: "
                            "someone changed it since you read it; read it again and retry", "STALE_OBJECT"))


def day_before(day: date) -> date:
    from datetime import timedelta

    return day - timedelta(days=1)


def entity_paths(kind: str, renames: Mapping[str, str | None] = PROVENANCE,
                 outside: Mapping[str, str] | None = None) -> InputPaths:
    """The input is one entity, written whole: the document's only entity of its ``kind`` (importPolicies)."""
    return InputPaths(root=f"$.{kind}[0]", renames=renames, outside=outside or {})


def item_paths(kind: str, code_field: str, items: str, index: int, renames: Mapping[str, str | None] = DATED | PROVENANCE,
               outside: Mapping[str, str] | None = None) -> InputPaths:
    """The input is one item of an entity's list (``items``, at ``index`` in the entity's document), and names the
    entity by its code in ``code_field``."""
    entity = f"$.{kind}[0]"
    return InputPaths(root=f"{entity}.{items}[{index}]", renames=renames,
                      outside={f"{entity}.code": f"input.{code_field}", **(outside or {})})


def rendered_index(render: Callable[[Any], dict], entity: Any, attribute: str, key: str, item: Any) -> int:
    """Where ``item``, one of ``entity``'s ``attribute`` list, stands in the entity's document form (``render``, a
    writer function; ``key``, the list's document key): the writer orders lists, so it is not the model's index."""
    alone = render(dataclasses.replace(entity, **{attribute: (item,)}))[key][0]
    return render(entity)[key].index(alone)


class Versioned(graphene.InputObjectType):
    """Not used directly: the fields every update input carries."""

    expected_version = graphene.Int(required=True, description="The object's `version` you read; a stale one is refused.")
    message = graphene.String(description="Kept in the change log with this write.")
