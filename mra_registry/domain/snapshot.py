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
from typing import Iterable

from . import model
from .codes import Activity, ArrangementKind, AttestationType, RouteKind
from .completeness import Completeness
from .decision import PassedRoute, new_route
from .indexes import (
    _index_by_party,
    _index_by_party_objects,
    _index_cabs,
    _index_cabs_by_economy,
    _index_memberships,
    _index_policies,
    _index_statuses,
    _index_successions,
    _list_view,
    _resolve_all,
    _sector_view,
)
from .intervals import ONE_DAY, IntervalIndex
from .methods import MethodKey, keys_match, method_key
# The views are part of the snapshot's interface: importers read them from here.
from .views import (  # noqa: F401
    AccreditationView,
    CabView,
    ListView,
    PartyPair,
    PolicyView,
    RequirementView,
    SectorView,
    StandardTrack,
    StatusReading,
    Succession,
)


# a reading built as the tuple it is: a NamedTuple's own constructor is a Python function (one call more per reading)
_new_reading = tuple.__new__


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
    _policy_prefix_lengths: dict[str, tuple[int, ...]]  # per importer, the lengths of its prefixes, longest first
    _government_by_party: dict[str, tuple[str, ...]]
    _sectors: dict[str, tuple[SectorView, ...]]
    _sps_agreements: tuple[model.Arrangement, ...]
    _sps_by_party: dict[str, tuple[model.Arrangement, ...]]
    _resolution: dict[str, tuple[tuple[date, ...], tuple[tuple[str, ...], ...]]]
    _cabs_by_economy: dict[str, tuple[CabView, ...]]
    completeness: Completeness
    lookalike_bodies: dict[str, model.LookalikeBody]
    acceptance_lists: dict[str, ListView]
    # each arrangement's passed route (RouteKind.ARRANGEMENT, the code): the same immutable value for every decision
    # that passes through it, built once here
    arrangement_routes: dict[str, PassedRoute]

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
        policies_by_importer = _index_policies(policies)
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
            _policies_by_importer=policies_by_importer,
            _policy_prefix_lengths={importer: tuple(sorted({len(prefix) for prefix in buckets}, reverse=True))
                                    for importer, buckets in policies_by_importer.items()},
            _government_by_party=_index_by_party(government),
            _sectors={a.code: tuple(_sector_view(s) for s in sorted(a.sectors, key=lambda s: s.code)) for a in government},
            _sps_agreements=sps,
            _sps_by_party=_index_by_party_objects(sps),
            _resolution=_resolve_all(successor, predecessors),
            _cabs_by_economy=_index_cabs_by_economy(cabs),
            completeness=Completeness.build(registry.declarations),
            lookalike_bodies={b.code: b for b in registry.lookalike_bodies},
            acceptance_lists={a.code: _list_view(a) for a in registry.acceptance_lists},
            arrangement_routes={a.code: new_route(RouteKind.ARRANGEMENT, a.code) for a in registry.arrangements},
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

    def member_of(self, economy: str, day: date) -> tuple[str, ...]:
        """The unions ``economy`` is a member of on ``day``, sorted by code (``unions_of`` and ``parties_of``
        both start from it: a caller needing both reads the memberships once)."""
        histories = self._memberships.get(economy)
        if histories is None:  # most economies belong to no union
            return ()
        found = []
        for code, history in histories:
            if history.at(day) is not None:
                found.append(code)
        return tuple(found)

    def unions_of(self, economy: str, day: date, member_of: tuple[str, ...] | None = None) -> tuple[str, ...]:
        """The unions ``economy`` is a member of on ``day`` (sorted by code); a union is its own."""
        found = self.member_of(economy, day) if member_of is None else member_of
        return (economy, *found) if economy in self.unions else found

    def parties_of(self, economy: str, day: date, member_of: tuple[str, ...] | None = None) -> tuple[str, ...]:
        """Who may act for ``economy`` in an agreement on ``day``: itself, then the unions it belongs to."""
        found = self.member_of(economy, day) if member_of is None else member_of
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
        forward = self._successor.get(arrangement)
        if forward is None:  # most arrangements: never superseded
            return arrangement
        seen = {arrangement}
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
        tracks = self._statuses.get(key)
        predecessors = self._predecessors.get(arrangement)
        if tracks is None and not predecessors:  # most look-ups of a body the arrangement does not hold
            return ()
        readings: list[StatusReading] = []
        if tracks is not None:
            for track in tracks:
                if track.standard_key is not None and not _counts_for(track, schemes):
                    continue
                held = track.history.held_on(day)
                if held is not None:
                    readings.append(_new_reading(StatusReading, (held[0], arrangement, None, held[1], held[2])))
        if not predecessors:
            return tuple(readings)
        for succession in predecessors:
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
        presented = presented_types if type(presented_types) is tuple else tuple(presented_types or ())
        exporters: frozenset[str] | None = None  # read only when a policy lists origins
        by_importer = self._policies_by_importer
        own = by_importer.get(importer)
        indexes = [(0, own)] if own is not None else []
        holders = [importer] if own is not None else []
        for union in importer_unions:
            if union != importer and (index := by_importer.get(union)):
                indexes.append((1, index))
                holders.append(union)
        if not indexes:
            return None
        # the prefix lengths these importers' policies list, longest first (most codes have ten digits, and the
        # policies list two, four or six: three look-ups instead of nine)
        lengths = self._policy_prefix_lengths
        if len(holders) == 1:
            walk = lengths[holders[0]]
        else:
            walk = sorted({length for holder in holders for length in lengths[holder]}, reverse=True)
        size = len(hs_code)
        for length in walk:
            if length > size:
                continue
            if length < 2:  # as the code's own prefixes go: two digits (a chapter) at the shortest
                break
            prefix = hs_code[:length]
            best: PolicyView | None = None
            best_rank: tuple[int, int, int, str] | None = None
            for union_rank, index in indexes:
                bucket = index.get(prefix)
                if not bucket:
                    continue
                for view in bucket:
                    policy = view.policy
                    if (policy.valid_from is not None and day < policy.valid_from) or (
                            policy.valid_to is not None and day > policy.valid_to):
                        continue  # not in force on the day
                    excluded = policy.excluded_hs_prefixes
                    if excluded and hs_code.startswith(excluded):
                        continue
                    origins = policy.origins
                    if origins:
                        if exporters is None:
                            exporters = frozenset(exporter_side or ())
                        if exporters.isdisjoint(origins):
                            continue
                    rank = (0 if origins else 1, union_rank, 0 if policy.required_type in presented else 1, view.code)
                    if best_rank is None or rank < best_rank:
                        best, best_rank = view, rank
            if best is not None:
                return best
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
        found: dict[str, model.Arrangement] | None = None
        for party in parties:
            agreements = self._sps_by_party.get(party)
            if agreements:
                if found is None:
                    found = {}
                for agreement in agreements:
                    found[agreement.code] = agreement
        if not found:  # most consignments: no SPS agreement binds either side
            return ()
        return tuple(found[code] for code in sorted(found))
