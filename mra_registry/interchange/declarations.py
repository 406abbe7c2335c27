"""Completeness declarations in a registry document: each kind has its own range fields and no others
(RULES.md, "What the registry knows"). A declaration is a statement, not a step of a history, so two of them
may overlap; only the code is unique."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Sequence

from ..domain import model
from ..domain.codes import Activity, ArrangementKind, CompletenessKind as K
from ..domain.economies import is_country
from .problems import Problem, ProblemCode as C

if TYPE_CHECKING:
    from .entities import EntityBuilder
    from .parsed import KnownCodes

RANGE_FIELDS = ("importer", "hsPrefixes", "excludedHsPrefixes", "includesMembers", "arrangement", "activities",
                "accreditationBody", "sector", "party", "list")
ALLOWED: dict[K, frozenset[str]] = {
    K.IMPORT_POLICIES: frozenset({"importer", "hsPrefixes", "excludedHsPrefixes", "includesMembers"}),
    K.SIGNATORIES: frozenset({"arrangement", "activities"}),
    K.ACCREDITATION_BODIES: frozenset(),
    K.ACCREDITATIONS: frozenset({"accreditationBody"}),
    K.CABS: frozenset(),
    K.DESIGNATIONS: frozenset({"arrangement", "sector", "party"}),
    K.LIST_ENTRIES: frozenset({"list"}),
}
REQUIRED: dict[K, str] = {
    K.IMPORT_POLICIES: "importer",
    K.SIGNATORIES: "arrangement",
    K.ACCREDITATIONS: "accreditationBody",
    K.DESIGNATIONS: "arrangement",
    K.LIST_ENTRIES: "list",
}


def _given(value: Any) -> bool:
    """An empty list, false or null says nothing, so it is no range field given."""
    return value is not None and value != [] and value is not False


class DeclarationBuilder:
    """Builds one declaration, reporting through the document builder it belongs to."""

    def __init__(self, builder: "EntityBuilder"):
        self.builder = builder

    def declaration(self, item: dict, path: str) -> model.CompletenessDeclaration:
        kind = K(item["kind"])
        for name in RANGE_FIELDS:
            if _given(item.get(name)) and name not in ALLOWED[kind]:
                self.builder.problem(f"{path}.{name}", f"a {kind.value} declaration has no {name}", C.INCONSISTENT)
        required = REQUIRED.get(kind)
        if required and not _given(item.get(required)):
            self.builder.problem(f"{path}.{required}", f"a {kind.value} declaration must name its {required}",
                                 C.INCONSISTENT)
        acceptance_list = item.get("list")
        if acceptance_list is not None and acceptance_list != acceptance_list.strip():
            self.builder.problem(f"{path}.list", "a list code has no surrounding spaces", C.INVALID)
        start, end = self.builder.interval(item, path)
        return model.CompletenessDeclaration(
            code=item["code"],
            kind=kind,
            valid_from=start,
            valid_to=end,
            importer=item.get("importer"),
            hs_prefixes=tuple(item.get("hsPrefixes", ())),
            excluded_hs_prefixes=tuple(item.get("excludedHsPrefixes", ())),
            includes_members=bool(item.get("includesMembers", False)),
            arrangement=item.get("arrangement"),
            activities=tuple(Activity(a) for a in item.get("activities", ())),
            accreditation_body=item.get("accreditationBody"),
            sector=item.get("sector"),
            party=item.get("party"),
            acceptance_list=acceptance_list,
            provenance=self.builder.provenance(item),
        )


def declaration_references(name: str, declarations: Sequence[model.CompletenessDeclaration], known: "KnownCodes",
                           party: Callable[[str, str], None],
                           arrangement_of: Callable[[str, str, tuple[ArrangementKind, ...]], bool]) -> list[Problem]:
    """What each declaration's range names must exist and fit its kind: its importer, arrangement (with its
    activities, sector and party), accreditation body or acceptance list (``party`` and ``arrangement_of`` report
    an unknown economy or arrangement as the other references do)."""
    problems: list[Problem] = []

    def problem(path: str, message: str, code: str = C.UNKNOWN_REFERENCE) -> None:
        problems.append(Problem(path, message, name, code))

    accreditation_kinds = (ArrangementKind.ACCREDITATION_GLOBAL, ArrangementKind.ACCREDITATION_REGIONAL)
    for i, d in enumerate(declarations):
        path = f"$.completenessDeclarations[{i}]"
        if d.kind is K.IMPORT_POLICIES and d.importer:
            party(d.importer, f"{path}.importer")
            if d.includes_members and is_country(d.importer):
                problem(f"{path}.includesMembers", f"{d.importer} is an economy, not a union: it has no members",
                        C.INCONSISTENT)
        if d.kind is K.SIGNATORIES and d.arrangement:
            if arrangement_of(d.arrangement, f"{path}.arrangement", accreditation_kinds):
                covered = known.arrangement_activities.get(d.arrangement) or set()
                for j, activity in enumerate(d.activities):
                    if covered and activity not in covered:
                        problem(f"{path}.activities[{j}]", f"{d.arrangement} does not cover {activity.value}",
                                C.INCONSISTENT)
        if d.kind is K.ACCREDITATIONS and d.accreditation_body:
            if d.accreditation_body not in known.accreditation_bodies:
                problem(f"{path}.accreditationBody", f"unknown accreditation body {d.accreditation_body!r}")
        if d.kind is K.DESIGNATIONS and d.arrangement:
            if arrangement_of(d.arrangement, f"{path}.arrangement", (ArrangementKind.GOVERNMENT,)):
                if d.sector and d.sector not in known.sectors.get(d.arrangement, set()):
                    problem(f"{path}.sector", f"{d.arrangement} has no sector {d.sector!r}")
                if d.party and d.party not in known.arrangement_parties.get(d.arrangement, set()):
                    problem(f"{path}.party", f"{d.party!r} is not a party of {d.arrangement}")
        if d.kind is K.LIST_ENTRIES and d.acceptance_list:
            if d.acceptance_list not in known.acceptance_lists:
                problem(f"{path}.list", f"unknown acceptance list {d.acceptance_list!r}")
    return problems
