"""What the registry declares it holds whole (RULES.md, "What the registry knows").

The registry is open-world: the absence of a record is a fact only inside a completeness declaration of the
record's kind that holds on the day the fact is needed. ``Completeness`` answers "which declaration makes
this absence a fact?" (None: the absence means nothing) and ``known_since`` reads the partial start dates
that records without a known start carry.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Iterable

from . import model
from .codes import Activity, CompletenessKind
from .hs import covers
from .intervals import holds_on

_PARTIAL_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


@lru_cache(maxsize=4096)  # a registry holds a few hundred distinct values, read on every decision relying on one
def known_since(reported: str | None) -> date | None:
    """The earliest day a source shows a record holding, from ``reportedSince``. A partial date ("2003",
    "2018-04") only shows that the record held by the end of that year or month, so the day read is the
    last one of the period: a decision relying on the record before it is warned (never silently trusted)."""
    if not reported:
        return None
    match = _PARTIAL_DATE.fullmatch(reported.strip())
    if match is None:
        return None
    year, month, day = match.group(1), match.group(2), match.group(3)
    try:
        if day is not None:
            return date(int(year), int(month), int(day))
        if month is not None:
            return date(int(year), int(month), calendar.monthrange(int(year), int(month))[1])
        return date(int(year), 12, 31)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True, eq=False)
class Completeness:
    """The declarations of one snapshot, grouped by kind and by what they are about."""

    _by_kind: dict[CompletenessKind, tuple[model.CompletenessDeclaration, ...]]
    _by_subject: dict[tuple[CompletenessKind, str], tuple[model.CompletenessDeclaration, ...]]

    @classmethod
    def build(cls, declarations: Iterable[model.CompletenessDeclaration]) -> "Completeness":
        by_kind: dict[CompletenessKind, list[model.CompletenessDeclaration]] = {}
        by_subject: dict[tuple[CompletenessKind, str], list[model.CompletenessDeclaration]] = {}
        for declaration in sorted(declarations, key=lambda d: d.code):
            by_kind.setdefault(declaration.kind, []).append(declaration)
            subject = _subject(declaration)
            if subject is not None:
                by_subject.setdefault((declaration.kind, subject), []).append(declaration)
        return cls({k: tuple(v) for k, v in by_kind.items()}, {k: tuple(v) for k, v in by_subject.items()})

    def all(self) -> tuple[model.CompletenessDeclaration, ...]:
        return tuple(d for group in self._by_kind.values() for d in group)

    def _about(self, kind: CompletenessKind, subject: str) -> tuple[model.CompletenessDeclaration, ...]:
        return self._by_subject.get((kind, subject), ())

    def import_policies(self, importer: str, hs_code: str, day: date,
                        members_only: bool = False) -> model.CompletenessDeclaration | None:
        """A declaration that ``importer`` (an economy or a union) has recorded every import policy for
        ``hs_code`` on ``day``; with ``members_only``, one that also stands for the union's members."""
        for declaration in self._about(CompletenessKind.IMPORT_POLICIES, importer):
            if members_only and not declaration.includes_members:
                continue
            if holds_on(declaration, day) and covers(declaration.hs_prefixes, declaration.excluded_hs_prefixes,
                                                     hs_code, empty_covers_all=True):
                return declaration
        return None

    def signatories(self, arrangement: str, activity: Activity | None, day: date) -> model.CompletenessDeclaration | None:
        for declaration in self._about(CompletenessKind.SIGNATORIES, arrangement):
            if holds_on(declaration, day) and (not declaration.activities or activity in declaration.activities):
                return declaration
        return None

    def accreditations(self, accreditation_body: str, day: date) -> model.CompletenessDeclaration | None:
        return _first_on(self._about(CompletenessKind.ACCREDITATIONS, accreditation_body), day)

    def accreditation_bodies(self, day: date) -> model.CompletenessDeclaration | None:
        return _first_on(self._by_kind.get(CompletenessKind.ACCREDITATION_BODIES, ()), day)

    def cabs(self, day: date) -> model.CompletenessDeclaration | None:
        return _first_on(self._by_kind.get(CompletenessKind.CABS, ()), day)

    def designations(self, arrangement: str, sector: str, party: str, day: date) -> model.CompletenessDeclaration | None:
        for declaration in self._about(CompletenessKind.DESIGNATIONS, arrangement):
            if (holds_on(declaration, day) and declaration.sector in (None, sector)
                    and declaration.party in (None, party)):
                return declaration
        return None

    def list_entries(self, acceptance_list: str, day: date) -> model.CompletenessDeclaration | None:
        return _first_on(self._about(CompletenessKind.LIST_ENTRIES, acceptance_list), day)


def _first_on(declarations: Iterable[model.CompletenessDeclaration], day: date) -> model.CompletenessDeclaration | None:
    for declaration in declarations:
        if holds_on(declaration, day):
            return declaration
    return None


def _subject(declaration: model.CompletenessDeclaration) -> str | None:
    kind = declaration.kind
    if kind is CompletenessKind.IMPORT_POLICIES:
        return declaration.importer
    if kind in (CompletenessKind.SIGNATORIES, CompletenessKind.DESIGNATIONS):
        return declaration.arrangement
    if kind is CompletenessKind.ACCREDITATIONS:
        return declaration.accreditation_body
    if kind is CompletenessKind.LIST_ENTRIES:
        return declaration.acceptance_list
    return None
