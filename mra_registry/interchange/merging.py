"""Fold several documents into one, as if applied in order: a later document's scalar fields win, and each
history it lists replaces the earlier one for that key only. Loading the result once is what loading the
documents in turn would give, so loading the same set twice changes nothing the second time."""
from __future__ import annotations

import dataclasses
from typing import Any, Callable, Iterable, TypeVar

from ..domain import model
from .parsed import ParsedDocument
from .requirements import entry_key

T = TypeVar("T")


def _replace_keys(earlier: Iterable[T], later: Iterable[T], key: Callable[[T], Any]) -> tuple[T, ...]:
    later = tuple(later)
    replaced = {key(item) for item in later}
    return tuple(item for item in earlier if key(item) not in replaced) + later


def _merge_union(a: model.Union, b: model.Union) -> model.Union:
    return dataclasses.replace(b, memberships=_replace_keys(a.memberships, b.memberships, lambda m: m.economy))


def _merge_arrangement(a: model.Arrangement, b: model.Arrangement) -> model.Arrangement:
    return dataclasses.replace(b, sectors=_replace_keys(a.sectors, b.sectors, lambda s: s.code),
                               activity_starts=_replace_keys(a.activity_starts, b.activity_starts, lambda s: s.activity))


def _merge_body(a: model.AccreditationBody, b: model.AccreditationBody) -> model.AccreditationBody:
    return dataclasses.replace(b, statuses=_replace_keys(a.statuses, b.statuses, lambda s: s.key))


def _merge_cab(a: model.ConformityAssessmentBody, b: model.ConformityAssessmentBody) -> model.ConformityAssessmentBody:
    return dataclasses.replace(
        b,
        accreditations=_replace_keys(a.accreditations, b.accreditations, lambda x: (x.accreditation_body, x.number)),
        designations=_replace_keys(a.designations, b.designations, lambda d: (d.arrangement, d.sector, d.for_party)),
        competences=_replace_keys(a.competences, b.competences, lambda x: x.kind),
        identifier=b.identifier if b.identifier is not None else a.identifier,
        verification_keys=_replace_keys(a.verification_keys, b.verification_keys, lambda k: k.key_id),
        status_lists=_replace_keys(a.status_lists, b.status_lists, lambda s: (s.url, s.purpose)),
    )


def _merge_list(a: model.AcceptanceList, b: model.AcceptanceList) -> model.AcceptanceList:
    return dataclasses.replace(b, entries=_replace_keys(a.entries, b.entries, entry_key))


def _fold(items: Iterable[T], merge: Callable[[T, T], T]) -> tuple[T, ...]:
    merged: dict[str, T] = {}
    for item in items:
        code = item.code  # type: ignore[attr-defined]
        merged[code] = merge(merged[code], item) if code in merged else item
    return tuple(merged.values())


def merge_documents(documents: list[ParsedDocument]) -> ParsedDocument:
    if len(documents) == 1:
        return documents[0]
    return ParsedDocument(
        name=" + ".join(d.name for d in documents),
        unions=_fold((u for d in documents for u in d.unions), _merge_union),
        arrangements=_fold((a for d in documents for a in d.arrangements), _merge_arrangement),
        accreditation_bodies=_fold((b for d in documents for b in d.accreditation_bodies), _merge_body),
        cabs=_fold((c for d in documents for c in d.cabs), _merge_cab),
        policies=_fold((p for d in documents for p in d.policies), lambda _a, b: b),
        lookalike_bodies=_fold((b for d in documents for b in d.lookalike_bodies), lambda _a, b: b),
        declarations=_fold((x for d in documents for x in d.declarations), lambda _a, b: b),
        acceptance_lists=_fold((x for d in documents for x in d.acceptance_lists), _merge_list),
    )
