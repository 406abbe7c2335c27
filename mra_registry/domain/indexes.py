"""The snapshot's index builders: each turns the registry's entities into the dicts and interval indexes the
look-ups read, once per registry version."""
from __future__ import annotations

from datetime import date
from typing import Iterable

from . import model
from .codes import Activity, AttestationType, CabKind
from .completeness import known_since
from .intervals import IntervalIndex
from .methods import method_key
from .views import (AccreditationView, CabView, ListView, PartyPair, PolicyView, SectorView, StandardTrack, Succession,
                    new_accreditation_view, new_cab_view)

# The index builders are the snapshot's own: only snapshot.py imports these (hence the private names).
_EMPTY: dict = {}  # shared by the many CABs without designations; never mutated

def _index_memberships(unions: Iterable[model.Union]):
    grouped: dict[str, dict[str, list[model.UnionMembership]]] = {}
    for union in unions:
        for membership in union.memberships:
            grouped.setdefault(membership.economy, {}).setdefault(union.code, []).append(membership)
    return {
        economy: tuple((union, IntervalIndex.build(items)) for union, items in sorted(by_union.items()))
        for economy, by_union in grouped.items()
    }


def _index_statuses(bodies: Iterable[model.AccreditationBody], arrangements: Iterable[model.Arrangement],
                    predecessors: dict[str, tuple["Succession", ...]]):
    """Status histories by body × arrangement × activity, and each key's first own event (which ends a status
    continued from a superseded arrangement).

    A record without a known start holds from its arrangement's activity start (the arrangement's start where
    the activity's is not recorded): nobody was a signatory for inspection before the arrangement covered it.
    In an arrangement that succeeded others, such a record takes over at its ``reportedSince`` (at the
    succession date when it has none) instead, since until then the continued status stands."""
    by_code = {a.code: a for a in arrangements}
    succeeded_on = {code: min(s.on for s in items) for code, items in predecessors.items() if items}

    def start_of(record: model.SignatoryStatusRecord) -> date:
        if record.valid_from is not None:
            return record.valid_from
        takeover = succeeded_on.get(record.arrangement)
        if takeover is not None:
            since = known_since(record.reported_since)
            return max(since, takeover) if since is not None else takeover
        arrangement = by_code.get(record.arrangement)
        bound = arrangement.activity_start(record.activity) if arrangement is not None else None
        return bound or date.min

    grouped: dict[tuple[str, str, Activity | None], dict[str | None, list[model.SignatoryStatusRecord]]] = {}
    first_own: dict[tuple[str, str, Activity | None], date] = {}
    for body in bodies:
        for record in body.statuses:
            key = (record.accreditation_body, record.arrangement, record.activity)
            grouped.setdefault(key, {}).setdefault(record.standard, []).append(record)
            start = start_of(record)
            if key not in first_own or start < first_own[key]:
                first_own[key] = start
    statuses = {
        key: tuple(
            StandardTrack(standard, method_key(standard) if standard else None, IntervalIndex.build(records, start_of))
            for standard, records in sorted(by_standard.items(), key=lambda item: item[0] or "")
        )
        for key, by_standard in grouped.items()
    }
    return statuses, first_own


def _index_successions(arrangements: Iterable[model.Arrangement]):
    successor: dict[str, Succession] = {}
    predecessors: dict[str, list[Succession]] = {}
    for arrangement in arrangements:
        if arrangement.superseded_by and arrangement.superseded_on:
            succession = Succession(arrangement.code, arrangement.superseded_by, arrangement.superseded_on)
            successor[arrangement.code] = succession
            predecessors.setdefault(arrangement.superseded_by, []).append(succession)
    return successor, {code: tuple(sorted(items)) for code, items in predecessors.items()}


def _index_cabs_by_economy(cabs: dict[str, CabView]) -> dict[str, tuple[CabView, ...]]:
    by_economy: dict[str, list[CabView]] = {}
    for view in sorted(cabs.values(), key=lambda v: v.code):
        by_economy.setdefault(view.cab.economy, []).append(view)
    return {economy: tuple(views) for economy, views in by_economy.items()}


def _index_cabs(cabs: Iterable[model.ConformityAssessmentBody]) -> dict[str, CabView]:
    # The largest index (100,000 CABs, 1,000,000 scope items): one pass, cached normalisation, no container
    # per scope item.
    views: dict[str, CabView] = {}
    normalise = method_key
    for cab in cabs:
        accreditations = cab.accreditations
        if len(accreditations) > 1:
            accreditations = sorted(accreditations, key=_accreditation_order)
        accreditation_views = []
        for accreditation in accreditations:
            scope: dict[str, model.ScopeItem | tuple[model.ScopeItem, ...]] = {}
            for item in accreditation.scope:
                base = normalise(item.identifier).base
                found = scope.get(base)
                if found is None:
                    scope[base] = item
                elif type(found) is tuple:
                    scope[base] = (*found, item)
                else:
                    scope[base] = (found, item)
            accreditation_views.append(new_accreditation_view(accreditation, scope))
        designations = _EMPTY
        if cab.designations:
            grouped: dict[tuple[str, str, str], list[model.Designation]] = {}
            for designation in cab.designations:
                grouped.setdefault((designation.arrangement, designation.sector, designation.for_party), []).append(designation)
            designations = {key: IntervalIndex.build(items) for key, items in grouped.items()}
        views[cab.code] = new_cab_view(cab, CabKind.REGULATORY_AUTHORITY in cab.kinds, tuple(accreditation_views),
                                       designations)
    return views


def _accreditation_order(accreditation: model.Accreditation) -> tuple[str, str]:
    return accreditation.accreditation_body, accreditation.number


def _list_view(acceptance_list: model.AcceptanceList) -> ListView:
    by_cab: dict[str, list[tuple[model.ListEntry, AccreditationView]]] = {}
    for entry in acceptance_list.entries:
        scope: dict[str, model.ScopeItem | tuple[model.ScopeItem, ...]] = {}
        for item in entry.scope:
            base = method_key(item.identifier).base
            found = scope.get(base)
            scope[base] = item if found is None else ((*found, item) if type(found) is tuple else (found, item))
        # An entry's scope is matched as an accreditation's (RULES.md, list route): reuse the view that does it.
        pseudo = model.Accreditation(entry.cab, acceptance_list.code, acceptance_list.owner,
                                     entry.activity or Activity.TESTING, entry.valid_from, entry.valid_to)
        by_cab.setdefault(entry.cab, []).append((entry, AccreditationView(pseudo, scope)))
    return ListView(acceptance_list, {cab: tuple(items) for cab, items in by_cab.items()})


def _index_policies(views: Iterable[PolicyView]):
    """importer -> HS prefix -> the policies listing that prefix, sorted by policy code."""
    by_importer: dict[str, dict[str, list[PolicyView]]] = {}
    for view in sorted(views, key=lambda v: v.code):
        buckets = by_importer.setdefault(view.policy.importer, {})
        for prefix in dict.fromkeys(view.policy.hs_prefixes):
            buckets.setdefault(prefix, []).append(view)
    return {importer: {p: tuple(v) for p, v in buckets.items()} for importer, buckets in by_importer.items()}


def _resolve(code: str, day: date, successor: dict[str, Succession],
             predecessors: dict[str, tuple[Succession, ...]], seen: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """Where a route naming ``code`` is evaluated on ``day`` (see ``Snapshot.evaluated_in``)."""
    if code in seen:  # a cycle in bad data: stop where we are rather than loop
        return (code,)
    seen = seen | {code}
    forward = successor.get(code)
    if forward is not None and day >= forward.on:
        return _resolve(forward.successor, day, successor, predecessors, seen)
    backward = [s for s in predecessors.get(code, ()) if day < s.on]
    if backward:
        resolved: list[str] = []
        for succession in backward:
            for found in _resolve(succession.predecessor, day, successor, predecessors, seen):
                if found not in resolved:
                    resolved.append(found)
        return tuple(resolved)
    return (code,)


def _resolve_all(successor: dict[str, Succession], predecessors: dict[str, tuple[Succession, ...]]):
    """For every arrangement a succession touches, its resolution as a step function of the day: it only
    changes on succession dates, so ``evaluated_in`` is one bisect over them."""
    codes = set(successor) | set(predecessors)
    if not codes:
        return {}
    starts = (date.min, *sorted({s.on for s in successor.values()}))
    return {code: (starts, tuple(_resolve(code, start, successor, predecessors) for start in starts))
            for code in sorted(codes)}


def _index_by_party_objects(arrangements: Iterable[model.Arrangement]) -> dict[str, tuple[model.Arrangement, ...]]:
    by_party: dict[str, list[model.Arrangement]] = {}
    for arrangement in arrangements:
        for party in dict.fromkeys(arrangement.parties):
            by_party.setdefault(party, []).append(arrangement)
    return {party: tuple(items) for party, items in by_party.items()}


def _index_by_party(arrangements: Iterable[model.Arrangement]) -> dict[str, tuple[str, ...]]:
    by_party: dict[str, set[str]] = {}
    for arrangement in arrangements:
        for party in arrangement.parties:
            by_party.setdefault(party, set()).add(arrangement.code)
    return {party: tuple(sorted(codes)) for party, codes in by_party.items()}


def _sector_view(sector: model.Sector) -> SectorView:
    grouped: dict[tuple[PartyPair, AttestationType], list[model.SectorOperation]] = {}
    for operation in sector.operations:
        parties = sorted(operation.parties)
        if len(parties) != 2:
            continue  # an operation is between two parties; anything else cannot be looked up
        grouped.setdefault((PartyPair(*parties), operation.attestation_type), []).append(operation)
    types_by_pair: dict[PartyPair, list[AttestationType]] = {}
    for pair, attestation_type in grouped:
        types_by_pair.setdefault(pair, []).append(attestation_type)
    return SectorView(
        sector,
        {key: IntervalIndex.build(items) for key, items in grouped.items()},
        {pair: tuple(types) for pair, types in types_by_pair.items()},
    )
