"""An immutable, indexed, in-memory view of a ``model.Registry`` at one version: what the engine decides from.

Every index is built once by ``Snapshot.build`` and only read afterwards (the dicts are never mutated after
the build, so one snapshot is shared by every request until the next version replaces it). The as-of
look-ups answer in a few dict look-ups and bisects whatever the registry's size:
- union memberships, signatory statuses (body × arrangement × activity × standard), sector operations
  (sector × party pair × type) and designations (CAB × arrangement × sector × party) are ``IntervalIndex``es;
- policies are indexed by importer and HS prefix, so finding the applicable one walks the code's prefixes
  (longest first) instead of scanning every policy;
- method identifiers of scope items, policies and status standards are normalised once (``methods``).
"""
from __future__ import annotations

import bisect
import gc
from dataclasses import dataclass
from datetime import date
from typing import Iterable, NamedTuple

from . import model
from .codes import Activity, ArrangementKind, AttestationType, CabKind, SignatoryStatus
from .completeness import Completeness, known_since
from .hs import covers, prefixes_longest_first
from .intervals import ONE_DAY, IntervalIndex, holds_on
from .methods import MethodKey, keys_match, method_key

_EMPTY: dict = {}  # shared by the many CABs without designations; never mutated


# -- views: an entity plus what the engine would otherwise recompute per decision ------------------------

@dataclass(frozen=True, slots=True, eq=False)
class AccreditationView:
    accreditation: model.Accreditation
    # method base -> the scope item, or a tuple of them when several share the base. A million scope items
    # would otherwise need a million small containers: one per item costs build time (GC) and memory.
    scope: dict[str, model.ScopeItem | tuple[model.ScopeItem, ...]]

    def covers_method(self, required: MethodKey, hs_code: str) -> bool:
        """True when a scope item matches ``required`` (edition only when both state one) and covers the code."""
        found = self.scope.get(required.base)
        if found is None:
            return False
        for item in found if type(found) is tuple else (found,):
            if required.edition is not None:
                edition = method_key(item.identifier).edition  # cached: the snapshot normalised it already
                if edition is not None and edition != required.edition:
                    continue
            if covers(item.hs_prefixes, item.excluded_hs_prefixes, hs_code, empty_covers_all=True):
                return True
        return False


@dataclass(frozen=True, slots=True, eq=False)
class CabView:
    cab: model.ConformityAssessmentBody
    is_regulator: bool
    accreditations: tuple[AccreditationView, ...]  # ordered by accreditation body, then number
    designations: dict[tuple[str, str, str], IntervalIndex[model.Designation]]  # (arrangement, sector, party)

    @property
    def code(self) -> str:
        return self.cab.code


@dataclass(frozen=True, slots=True, eq=False)
class RequirementView:
    requirement: model.Requirement
    required: tuple[MethodKey, ...]  # the required tests or schemes, normalised

    @classmethod
    def of(cls, requirement: model.Requirement) -> "RequirementView":
        return cls(requirement, tuple(method_key(t) for t in requirement.required_tests))


@dataclass(frozen=True, slots=True, eq=False)
class PolicyView:
    policy: model.ImportPolicy
    requirements: tuple[RequirementView, ...]

    @classmethod
    def of(cls, policy: model.ImportPolicy) -> "PolicyView":
        return cls(policy, tuple(RequirementView.of(r) for r in policy.requirements))

    @property
    def code(self) -> str:
        return self.policy.code

    @property
    def required(self) -> tuple[MethodKey, ...]:
        """The first requirement's tests or schemes, normalised."""
        return self.requirements[0].required

    def requires_type(self, attestation_type: AttestationType) -> bool:
        return any(r.requirement.required_type is attestation_type for r in self.requirements)


@dataclass(frozen=True, slots=True, eq=False)
class ListView:
    """An acceptance list, its entries by CAB."""

    acceptance_list: model.AcceptanceList
    entries: dict[str, tuple[tuple[model.ListEntry, AccreditationView], ...]]  # entry and its scope as a view


class PartyPair(NamedTuple):
    """Two parties in a fixed (sorted) order, so (EU, US) and (US, EU) are one key."""

    first: str
    second: str

    @classmethod
    def of(cls, a: str, b: str) -> "PartyPair":
        return cls(a, b) if a <= b else cls(b, a)


@dataclass(frozen=True, slots=True, eq=False)
class SectorView:
    sector: model.Sector
    operations: dict[tuple[PartyPair, AttestationType], IntervalIndex[model.SectorOperation]]
    types_by_pair: dict[PartyPair, tuple[AttestationType, ...]]

    def operation_on(self, pair: PartyPair, attestation_type: AttestationType, day: date) -> model.SectorOperation | None:
        """The operation that makes the type operational between the pair on ``day`` (a terminated sector is
        operational on no day from its termination on)."""
        termination = self.sector.termination
        if termination is not None and day >= termination.effective:
            return None
        index = self.operations.get((pair, attestation_type))
        return index.at(day) if index is not None else None


class StandardTrack(NamedTuple):
    """The status history of one body × arrangement × activity × standard (standard None: the whole activity)."""

    standard: str | None
    standard_key: MethodKey | None
    history: IntervalIndex[model.SignatoryStatusRecord]


class StatusReading(NamedTuple):
    """A status a body holds on a day, and in which arrangement it was read."""

    record: model.SignatoryStatusRecord
    arrangement: str  # the arrangement read in
    continued_from: str | None  # the superseded arrangement the status was continued from, if it was
    valid_from: date | None  # when the reading holds: the record's dates, or the continuation window
    valid_to: date | None

    @property
    def status(self) -> SignatoryStatus:
        return self.record.status


class Succession(NamedTuple):
    predecessor: str
    successor: str
    on: date  # the first day the successor applies


def _in_force(views: Iterable[PolicyView], hs_code: str, day: date) -> list[PolicyView]:
    return [
        view for view in views
        if holds_on(view.policy, day)
        and not (view.policy.excluded_hs_prefixes and hs_code.startswith(view.policy.excluded_hs_prefixes))
    ]


def _counts_for(track: StandardTrack, schemes: tuple[MethodKey, ...]) -> bool:
    """A status for a standard within the activity counts only when one of ``schemes`` is that standard."""
    if track.standard_key is None:
        return True
    key = track.standard_key
    return any(keys_match(key, scheme) for scheme in schemes)


@dataclass(frozen=True, slots=True, eq=False)
class Snapshot:
    version: int
    unions: dict[str, model.Union]
    arrangements: dict[str, model.Arrangement]
    accreditation_bodies: dict[str, model.AccreditationBody]
    cabs: dict[str, CabView]
    policies: dict[str, PolicyView]
    _memberships: dict[str, tuple[tuple[str, IntervalIndex[model.UnionMembership]], ...]]
    _statuses: dict[tuple[str, str, Activity | None], tuple[StandardTrack, ...]]
    _first_own_event: dict[tuple[str, str, Activity | None], date]
    _successor: dict[str, Succession]
    _predecessors: dict[str, tuple[Succession, ...]]
    _policies_by_importer: dict[str, dict[str, tuple[PolicyView, ...]]]
    _government_by_party: dict[str, tuple[str, ...]]
    _sectors: dict[str, tuple[SectorView, ...]]
    _sps_agreements: tuple[model.Arrangement, ...]
    _sps_by_party: dict[str, tuple[model.Arrangement, ...]]
    _resolution: dict[str, tuple[tuple[date, ...], tuple[tuple[str, ...], ...]]]
    _cabs_by_economy: dict[str, tuple[CabView, ...]]
    completeness: Completeness
    lookalike_bodies: dict[str, model.LookalikeBody]
    acceptance_lists: dict[str, ListView]

    # -- building --------------------------------------------------------------------------------------
    @classmethod
    def build(cls, registry: model.Registry) -> "Snapshot":
        """Index ``registry``. The cyclic garbage collector is paused meanwhile: the build allocates millions of
        objects and no reference cycle, and every collection it would trigger walks the whole growing heap
        (measured: 4.8 s instead of 1.2 s for 100,000 CABs and a million scope items)."""
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return cls._build(registry)
        finally:
            if was_enabled:
                gc.enable()

    @classmethod
    def _build(cls, registry: model.Registry) -> "Snapshot":
        successor, predecessors = _index_successions(registry.arrangements)
        statuses, first_own = _index_statuses(registry.accreditation_bodies, registry.arrangements, predecessors)
        government = [a for a in registry.arrangements if a.kind is ArrangementKind.GOVERNMENT]
        sps = tuple(sorted((a for a in registry.arrangements if a.kind is ArrangementKind.SPS_EQUIVALENCE),
                           key=lambda a: a.code))
        policies = [PolicyView.of(p) for p in sorted(registry.policies, key=lambda p: p.code)]
        cabs = _index_cabs(registry.cabs)
        return cls(
            version=registry.version,
            unions={u.code: u for u in registry.unions},
            arrangements={a.code: a for a in registry.arrangements},
            accreditation_bodies={b.code: b for b in registry.accreditation_bodies},
            cabs=cabs,
            policies={view.code: view for view in policies},
            _memberships=_index_memberships(registry.unions),
            _statuses=statuses,
            _first_own_event=first_own,
            _successor=successor,
            _predecessors=predecessors,
            _policies_by_importer=_index_policies(policies),
            _government_by_party=_index_by_party(government),
            _sectors={a.code: tuple(_sector_view(s) for s in sorted(a.sectors, key=lambda s: s.code)) for a in government},
            _sps_agreements=sps,
            _sps_by_party=_index_by_party_objects(sps),
            _resolution=_resolve_all(successor, predecessors),
            _cabs_by_economy=_index_cabs_by_economy(cabs),
            completeness=Completeness.build(registry.declarations),
            lookalike_bodies={b.code: b for b in registry.lookalike_bodies},
            acceptance_lists={a.code: _list_view(a) for a in registry.acceptance_lists},
        )

    # -- unions ----------------------------------------------------------------------------------------
    def cabs_of(self, economy: str) -> tuple[CabView, ...]:
        """The CABs established in ``economy``, in code order."""
        return self._cabs_by_economy.get(economy, ())

    def is_union(self, code: str) -> bool:
        return code in self.unions

    def membership(self, economy: str, union: str, day: date) -> model.UnionMembership | None:
        for code, history in self._memberships.get(economy, ()):
            if code == union:
                return history.at(day)
        return None

    def unions_of(self, economy: str, day: date) -> tuple[str, ...]:
        """The unions ``economy`` is a member of on ``day`` (sorted by code); a union is its own."""
        found = tuple(code for code, history in self._memberships.get(economy, ()) if history.at(day) is not None)
        return (economy, *found) if economy in self.unions else found

    def parties_of(self, economy: str, day: date) -> tuple[str, ...]:
        """Who may act for ``economy`` in an agreement on ``day``: itself, then the unions it belongs to."""
        found = tuple(code for code, history in self._memberships.get(economy, ()) if history.at(day) is not None)
        return (economy, *found)

    # -- arrangements and succession -------------------------------------------------------------------
    def succession_into(self, arrangement: str) -> tuple[Succession, ...]:
        return self._predecessors.get(arrangement, ())

    def succession_from(self, arrangement: str) -> Succession | None:
        return self._successor.get(arrangement)

    def evaluated_in(self, named: str, day: date) -> tuple[str, ...]:
        """The arrangements a route naming ``named`` is evaluated in for an attestation issued on ``day``:
        its successor from the succession date on, the arrangements it superseded before it, else itself."""
        resolution = self._resolution.get(named)
        if resolution is None:  # no succession touches it
            return (named,)
        starts, results = resolution
        return results[bisect.bisect_right(starts, day) - 1]

    def continued_on(self, arrangement: str, day: date) -> str:
        """The arrangement that continues ``arrangement`` on ``day`` (itself until it is superseded)."""
        seen = {arrangement}
        forward = self._successor.get(arrangement)
        while forward is not None and day >= forward.on and forward.successor not in seen:
            arrangement = forward.successor
            seen.add(arrangement)
            forward = self._successor.get(arrangement)
        return arrangement

    def covers_activity(self, arrangement: str, activity: Activity, day: date) -> bool:
        """Whether ``arrangement`` covers ``activity`` on ``day`` (its activities, when listed, and the
        activity's start, or the arrangement's, when recorded)."""
        found = self.arrangements.get(arrangement)
        if found is None or not found.kind.is_accreditation:
            return False
        if found.activities and activity not in found.activities:
            return False
        start = found.activity_start(activity)
        return (start is None or start <= day) and (found.valid_to is None or day <= found.valid_to)

    # -- signatory statuses ----------------------------------------------------------------------------
    def status_readings(
        self, body: str, arrangement: str, activity: Activity, day: date, schemes: tuple[MethodKey, ...] = ()
    ) -> tuple[StatusReading, ...]:
        """Every status ``body`` holds on ``day`` in ``arrangement`` for ``activity``: its own records (a record
        for a standard counts only when ``schemes`` holds that standard) and, from a succession date until the
        body's first own event in the arrangement for the activity, the status it held the day before in the
        superseded arrangement (existing recognitions continue)."""
        key = (body, arrangement, activity)
        readings: list[StatusReading] = []
        for track in self._statuses.get(key, ()):
            if track.standard_key is not None and not _counts_for(track, schemes):
                continue
            record = track.history.at(day)
            if record is not None:
                readings.append(StatusReading(record, arrangement, None, track.history.start_on(day), track.history.end_on(day)))
        for succession in self._predecessors.get(arrangement, ()):
            if day < succession.on:
                continue
            first_own = self._first_own_event.get(key)
            if first_own is not None and day >= first_own:
                continue
            window_end = first_own - ONE_DAY if first_own is not None else None
            for held in self.status_readings(body, succession.predecessor, activity, succession.on - ONE_DAY, schemes):
                readings.append(StatusReading(held.record, arrangement, held.continued_from or succession.predecessor, succession.on, window_end))
        return tuple(readings)

    def signatory_status(
        self, body: str, arrangement: str, activity: Activity, day: date, standard: str | None = None
    ) -> tuple[StatusReading, ...]:
        """The status of ``body`` in ``arrangement`` for ``activity`` on ``day``, read through succession (in the
        successor from the succession date, in the superseded arrangements before it). ``standard`` lets
        records for that standard count beside the whole-activity ones."""
        schemes = (method_key(standard),) if standard else ()
        readings: list[StatusReading] = []
        for evaluated in self.evaluated_in(arrangement, day):
            readings.extend(self.status_readings(body, evaluated, activity, day, schemes))
        return tuple(readings)

    # -- policies --------------------------------------------------------------------------------------
    def applicable_policy(
        self, importer: str, importer_unions: Iterable[str], hs_code: str, day: date,
        presented_types: Iterable[AttestationType] | AttestationType | None = None,
        exporter_side: Iterable[str] | None = None,
    ) -> PolicyView | None:
        """RULES.md, "Which policy applies": among the policies of the importer and of its unions (on ``day``),
        in force on ``day``, covering the code and whose origins (when it lists any) include one of
        ``exporter_side`` (the exporter and its unions), the longest matching prefix wins; on a tie a policy
        listing origins beats one that lists none; then the economy's own beats its union's; then the one whose
        (first) required type is a presented one; then the first by policy code."""
        if isinstance(presented_types, AttestationType):
            presented_types = (presented_types,)
        presented = frozenset(presented_types or ())
        exporters = frozenset(exporter_side or ())
        own = self._policies_by_importer.get(importer)
        indexes = [(0, own)] if own is not None else []
        indexes.extend((1, index) for u in importer_unions if u != importer
                       and (index := self._policies_by_importer.get(u)))
        if not indexes:
            return None
        for prefix in prefixes_longest_first(hs_code):
            found: list[tuple[tuple[int, int, int, str], PolicyView]] = []
            for union_rank, index in indexes:
                bucket = index.get(prefix)
                if not bucket:
                    continue
                for view in _in_force(bucket, hs_code, day):
                    origins = view.policy.origins
                    if origins and exporters.isdisjoint(origins):
                        continue
                    found.append(((0 if origins else 1, union_rank,
                                   0 if view.policy.required_type in presented else 1, view.code), view))
            if found:
                return min(found, key=lambda item: item[0])[1]
        return None

    # -- government arrangements -----------------------------------------------------------------------
    def government_arrangements_between(self, exporter_side: Iterable[str], importer_side: Iterable[str]) -> tuple[str, ...]:
        """Government arrangements with a party on each side, sorted by code."""
        exporter_side, importer_side = tuple(exporter_side), tuple(importer_side)
        from_exporter = {code for party in exporter_side for code in self._government_by_party.get(party, ())}
        if not from_exporter:
            return ()
        both = {code for party in importer_side for code in self._government_by_party.get(party, ()) if code in from_exporter}
        return tuple(sorted(both))

    def sectors_of(self, arrangement: str) -> tuple[SectorView, ...]:
        return self._sectors.get(arrangement, ())

    def sps_agreements(self) -> tuple[model.Arrangement, ...]:
        return self._sps_agreements

    def sps_agreements_of(self, parties: Iterable[str]) -> tuple[model.Arrangement, ...]:
        """SPS agreements one of ``parties`` is party to, sorted by code."""
        found: dict[str, model.Arrangement] = {}
        for party in parties:
            for agreement in self._sps_by_party.get(party, ()):
                found[agreement.code] = agreement
        return tuple(found[code] for code in sorted(found))


# -- index builders ----------------------------------------------------------------------------------------

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
            accreditation_views.append(AccreditationView(accreditation, scope))
        designations = _EMPTY
        if cab.designations:
            grouped: dict[tuple[str, str, str], list[model.Designation]] = {}
            for designation in cab.designations:
                grouped.setdefault((designation.arrangement, designation.sector, designation.for_party), []).append(designation)
            designations = {key: IntervalIndex.build(items) for key, items in grouped.items()}
        views[cab.code] = CabView(cab, CabKind.REGULATORY_AUTHORITY in cab.kinds, tuple(accreditation_views), designations)
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
