"""What registry browsing reads: the registry at one version, arranged for the API's look-ups and lists.

The engine's ``Snapshot`` holds what decisions need; browsing shows more (economies and their names, each
object's `version`, sectors in code order, signatories per arrangement, the statuses a succession carries
over) and in other orders. This read model is built beside the snapshot, from the same ``model.Registry``
plus the few rows the engine does not read (``BrowseRows``, read in the same transaction), and swapped in
with it (store/snapshots.py): a request that reads both reads one version.

Everything is arranged once per version, so that a request costs what it returns:
- every kind is a ``Listing``: its items in code order (the root lists' order and cursors), a dict by code,
  and indexes by the values the root lists filter on; a filter with no index (a date, an activity) is applied
  lazily over the narrowest index (``Selection``, store/listing.py), as far as the page asked for needs;
- nested lists are pre-sorted in the order browsing always gave them (an accreditation body's statuses by
  arrangement, activity, standard and start; an arrangement's sectors by code and their operations, a CAB's
  designations, as recorded; ...), and shared with the engine's snapshot where the order is already right
  (an entity is copied only when one of its lists has to be put in another order);
- an arrangement's signatories, the memberships of each economy and the statuses carried over by a
  succession (RULES.md step 7) are computed once, not per request.

Orders that SQL gave before and that depend on NULLs put a missing value first (as SQLite did).
"""
from __future__ import annotations

import bisect
import dataclasses
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from operator import attrgetter
from typing import Any, Callable, Iterable, Sequence, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import model
from ..domain.codes import Activity
from ..domain.intervals import holds_on
from ..domain.snapshot import Snapshot
from . import mapping
from . import models as m
from .listing import Listing, all_of

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Economy:
    """An economy as browsing shows it: ISO 3166-1 alpha-2 code and name."""

    code: str
    name: str


# The entity kinds whose objects carry a `version` (optimistic concurrency): table, and whether its rows are
# dated facts (only the current row counts).
VERSIONED = {
    "AccreditationBody": (m.AccreditationBodyRow, False),
    "ConformityAssessmentBody": (m.CabRow, False),
    "LookalikeBody": (m.LookalikeBodyRow, False),
    "AcceptanceList": (m.AcceptanceListRow, False),
    "ImportPolicy": (m.ImportPolicyRow, True),
    "CompletenessDeclaration": (m.CompletenessDeclarationRow, True),
}


@dataclass(frozen=True, slots=True)
class BrowseRows:
    """What browsing needs beyond ``model.Registry``, read in the snapshot's transaction: the economies, each
    versioned object's version, and two lists in the order they were recorded (``read_registry`` reads them in
    no particular order, which PostgreSQL may change once rows move)."""

    economies: tuple[Economy, ...]
    versions: dict[str, dict[str, int]]
    designations: dict[str, tuple[model.Designation, ...]]  # by CAB, as recorded
    operations: dict[tuple[str, str], tuple[model.SectorOperation, ...]]  # by (arrangement, sector), as recorded


def read_browse_rows(session: Session) -> BrowseRows:
    named = session.execute(select(m.Economy.code, m.Economy.name))
    economies = tuple(sorted((Economy(code, name) for code, name in named), key=lambda e: e.code))
    versions = {}
    for kind, (table, dated) in VERSIONED.items():
        query = select(table.code, table.row_version)
        if dated:
            query = mapping.current(query, table)
        versions[kind] = dict(session.execute(query).all())
    designations = defaultdict(list)
    query = mapping.current(select(m.DesignationRow), m.DesignationRow).order_by(m.DesignationRow.id)
    for row in session.scalars(query):
        designations[row.cab_code].append(mapping.designation_from_row(row))
    sectors = mapping.current(select(m.SectorRow.id, m.SectorRow.arrangement_code, m.SectorRow.code),
                              m.SectorRow).subquery()
    query = (mapping.current(select(m.SectorOperationRow, sectors.c.arrangement_code, sectors.c.code),
                             m.SectorOperationRow)
             .join(sectors, m.SectorOperationRow.sector_id == sectors.c.id)
             .order_by(m.SectorOperationRow.id))
    operations = defaultdict(list)
    for row, arrangement, code in session.execute(query):
        operations[(arrangement, code)].append(mapping.operation_from_row(row))
    return BrowseRows(economies, versions, {k: tuple(v) for k, v in designations.items()},
                      {k: tuple(v) for k, v in operations.items()})


_code = attrgetter("code")


@lru_cache(maxsize=256)
def _like(pattern: str) -> re.Pattern:
    """SQL LIKE (`%`: any run, `_`: any one character, no escape character) as a regular expression."""
    return re.compile("".join(".*" if c == "%" else "." if c == "_" else re.escape(c) for c in pattern), re.DOTALL)


def _after_none(value):
    """A sort key that puts a missing value first."""
    return (value is not None, value if value is not None else "")


def _activity_value(activity: Activity | None) -> str | None:
    return activity.value if activity is not None else None


def _sorted_or_same(items: tuple[T, ...], key: Callable[[T], Any]) -> tuple[T, ...]:
    """``items`` sorted: the same tuple when it already is (an entity is copied only when it must be)."""
    if len(items) < 2:
        return items
    ordered = tuple(sorted(items, key=key))
    return items if all(a is b for a, b in zip(ordered, items)) else ordered


# -- succession in browsing ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CarriedStatusRecord(model.SignatoryStatusRecord):
    """A status of a superseded arrangement continued in its successor (RULES.md step 7): when arrangement A is
    superseded by B on date X, the status a body held in A for an activity the day before X continues in B from
    X until the body's first own event in B for that activity. Browsing lists it among B's signatories, marked
    as carried over: ``arrangement`` is the successor, ``valid_from``/``valid_to`` the continuation window,
    ``carried_from`` the superseded arrangement, ``source`` the record it continues. The reading is the engine's
    own (``Snapshot.status_readings``), so browsing and deciding cannot disagree."""

    carried_from: str | None = None
    source: model.SignatoryStatusRecord | None = None


@dataclass(frozen=True, slots=True)
class _Carried:
    """The statuses continued into one arrangement (for one activity, or all): over every continuation window,
    and as read on each succession date (``days``, ascending; ``on_day`` aligned with them)."""

    windows: tuple[CarriedStatusRecord, ...]
    days: tuple[date, ...]
    on_day: tuple[tuple[CarriedStatusRecord, ...], ...]


def _ancestors(snapshot: Snapshot, arrangement: str) -> set[str]:
    found: set[str] = set()
    pending = [arrangement]
    while pending:
        for succession in snapshot.succession_into(pending.pop()):
            if succession.predecessor not in found:
                found.add(succession.predecessor)
                pending.append(succession.predecessor)
    return found


def _carried_into(snapshot: Snapshot, arrangement: str, bodies: Iterable[model.AccreditationBody]
                  ) -> dict[str | None, _Carried]:
    """The statuses continued into ``arrangement``, by activity (None: every activity), read from the engine:
    for each body and activity holding a status in an arrangement it superseded (in body, activity order), its
    readings on each succession date. A reading continued by a succession holds from the succession date to the
    day before the body's first own event there, whatever the day it is read on; so on any day the engine reads
    what it read on the latest succession date up to that day, those whose window holds the day
    (``BrowseModel.carried_statuses``)."""
    successions = snapshot.succession_into(arrangement)
    ancestors = _ancestors(snapshot, arrangement)
    candidates = sorted({(body.code, status.activity) for body in bodies for status in body.statuses
                         if status.arrangement in ancestors},
                        key=lambda key: (key[0], key[1].value if key[1] else ""))
    days = tuple(sorted({s.on for s in successions}))
    made: dict[tuple, CarriedStatusRecord] = {}
    # (activity or None for all) -> day -> the readings that day, deduplicated as one request would
    on_day: dict[str | None, dict[date, dict[tuple, CarriedStatusRecord]]] = defaultdict(lambda: defaultdict(dict))
    windows: dict[str | None, dict[tuple, CarriedStatusRecord]] = defaultdict(dict)
    for body, activity in candidates:
        for day in days:
            for reading in snapshot.status_readings(body, arrangement, activity, day):
                if reading.continued_from is None:
                    continue  # the body's own record: listed with the others
                record = reading.record
                key = (body, activity, reading.valid_from, record.key)
                item = made.get(key)
                if item is None:
                    fields = {f.name: getattr(record, f.name) for f in dataclasses.fields(model.SignatoryStatusRecord)}
                    item = made[key] = CarriedStatusRecord(**fields | {
                        "arrangement": arrangement, "valid_from": reading.valid_from, "valid_to": reading.valid_to,
                        "carried_from": reading.continued_from, "source": record})
                for wanted in {None, _activity_value(activity)}:
                    on_day[wanted][day].setdefault(key, item)
                    windows[wanted].setdefault(key, item)
    return {wanted: _Carried(tuple(windows[wanted].values()), days,
                             tuple(tuple(on_day[wanted][day].values()) for day in days))
            for wanted in windows}


# -- the model ---------------------------------------------------------------------------------------------------
def _status_order(s: model.SignatoryStatusRecord):
    return (s.arrangement, s.activity or "", s.standard or "", s.valid_from or date.min)


def _signatory_order(s: model.SignatoryStatusRecord):
    return (s.accreditation_body, _after_none(_activity_value(s.activity)), _after_none(s.standard),
            _after_none(s.valid_from))


@dataclass(frozen=True, slots=True, eq=False)
class BrowseModel:
    version: int
    economies: Listing[Economy]
    unions: Listing[model.Union]
    arrangements: Listing[model.Arrangement]
    accreditation_bodies: Listing[model.AccreditationBody]
    cabs: Listing[model.ConformityAssessmentBody]
    policies: Listing[model.ImportPolicy]
    declarations: Listing[model.CompletenessDeclaration]
    lookalike_bodies: Listing[model.LookalikeBody]
    acceptance_lists: Listing[model.AcceptanceList]
    _versions: dict[str, dict[str, int]]
    _memberships_of: dict[str, tuple[model.UnionMembership, ...]]
    _sectors: dict[tuple[str, str], model.Sector]
    _signatories: dict[tuple[str, str | None], tuple[model.SignatoryStatusRecord, ...]]  # (arrangement, activity|None)
    _carried: dict[tuple[str, str | None], _Carried]  # (arrangement, activity|None)

    read_rows = staticmethod(read_browse_rows)

    @classmethod
    def build(cls, registry: model.Registry, rows: BrowseRows, snapshot: Snapshot) -> "BrowseModel":
        unions = [dataclasses.replace(u, memberships=ordered) if (ordered := _sorted_or_same(
            u.memberships, lambda x: (x.economy, x.valid_from or date.min))) is not u.memberships else u
            for u in registry.unions]
        memberships_of: dict[str, list[model.UnionMembership]] = defaultdict(list)
        for union in registry.unions:
            for membership in union.memberships:
                memberships_of[membership.economy].append(membership)

        arrangements = [_arranged(a, rows.operations) for a in registry.arrangements]
        bodies = [dataclasses.replace(b, statuses=ordered) if (ordered := _sorted_or_same(
            b.statuses, _status_order)) is not b.statuses else b for b in registry.accreditation_bodies]
        signatories: dict[tuple[str, str | None], list[model.SignatoryStatusRecord]] = defaultdict(list)
        for record in sorted((s for b in registry.accreditation_bodies for s in b.statuses), key=_signatory_order):
            signatories[(record.arrangement, None)].append(record)
            if record.activity is not None:
                signatories[(record.arrangement, record.activity.value)].append(record)
        carried: dict[tuple[str, str | None], _Carried] = {}
        for arrangement in registry.arrangements:
            if arrangement.kind.is_accreditation and snapshot.succession_into(arrangement.code):
                into = _carried_into(snapshot, arrangement.code, registry.accreditation_bodies)
                carried.update(((arrangement.code, activity), items) for activity, items in into.items())

        return cls(
            version=registry.version,
            economies=Listing(rows.economies),
            unions=Listing(unions),
            arrangements=Listing(arrangements, {"kind": lambda a: a.kind.value}, {"party": attrgetter("parties")}),
            accreditation_bodies=Listing(bodies, {"economy": attrgetter("economy")}, {
                "arrangement": lambda b: [s.arrangement for s in b.statuses]}),
            cabs=Listing((_cab(c, rows.designations) for c in registry.cabs), {"economy": attrgetter("economy")}, {
                "kind": lambda c: [k.value for k in c.kinds],
                "accreditation_body": lambda c: [a.accreditation_body for a in c.accreditations],
                "activity": lambda c: [a.activity.value for a in c.accreditations]}),
            policies=Listing(registry.policies, {"importer": attrgetter("importer")}),
            declarations=Listing(registry.declarations, {"kind": lambda d: d.kind.value}),
            lookalike_bodies=Listing(registry.lookalike_bodies, {"economy": attrgetter("economy")}),
            acceptance_lists=Listing(registry.acceptance_lists, {"owner": attrgetter("owner")},
                                     {"cab": lambda x: [e.cab for e in x.entries]}),
            _versions=rows.versions,
            _memberships_of={economy: tuple(sorted(items, key=lambda x: (x.union, x.valid_from or date.min)))
                             for economy, items in memberships_of.items()},
            _sectors={(a.code, s.code): s for a in arrangements for s in a.sectors},
            _signatories={key: tuple(items) for key, items in signatories.items()},
            _carried=carried,
        )

    # -- look-ups ---------------------------------------------------------------------------------------------
    def version_of(self, kind: str, code: str) -> int | None:
        """An object's optimistic-concurrency version (what `expectedVersion` must name)."""
        return self._versions.get(kind, {}).get(code)

    def sector(self, arrangement: str, code: str) -> model.Sector | None:
        return self._sectors.get((arrangement, code))

    def memberships_of(self, economy: str) -> tuple[model.UnionMembership, ...]:
        """The union memberships of an economy, by union and start."""
        return self._memberships_of.get(economy, ())

    # -- the root lists, in code order ----------------------------------------------------------------------
    def economy_list(self, search: str | None = None) -> Sequence[Economy]:
        """Economies whose name contains ``search`` (case-insensitive, `%` and `_` as in SQL LIKE) or whose code
        it is."""
        if not search:
            return self.economies.items
        wanted = search.lower()
        pattern = _like(f"%{wanted}%")
        return self.economies.select(
            lambda e: pattern.fullmatch(e.name.lower()) is not None or e.code.lower() == wanted)

    def arrangement_list(self, kind: str | None = None, party: str | None = None) -> Sequence[model.Arrangement]:
        return self.arrangements.select(kind=kind or None, party=party or None)

    def accreditation_body_list(self, economy: str | None = None, arrangement: str | None = None,
                                activity: str | None = None, status: str | None = None,
                                as_of: date | None = None) -> Sequence[model.AccreditationBody]:
        """Bodies of ``economy`` holding a status record that matches the arrangement, activity, status and date
        given (when any is)."""
        keep = None
        if arrangement or activity or status or as_of:
            def matches(s: model.SignatoryStatusRecord) -> bool:
                return ((not arrangement or s.arrangement == arrangement)
                        and (not activity or (s.activity is not None and s.activity.value == activity))
                        and (not status or s.status.value == status)
                        and (as_of is None or holds_on(s, as_of)))
            keep = lambda body: any(matches(s) for s in body.statuses)  # noqa: E731
        return self.accreditation_bodies.select(keep, economy=economy or None, arrangement=arrangement or None)

    def cab_list(self, economy: str | None = None, kind: str | None = None, accreditation_body: str | None = None,
                 activity: str | None = None, as_of: date | None = None) -> Sequence[model.ConformityAssessmentBody]:
        """CABs of ``economy`` and ``kind`` holding an accreditation by the body, for the activity and active on
        the date given (when any is)."""
        keep = None
        if as_of is not None:
            def matches(a: model.Accreditation) -> bool:
                return ((not accreditation_body or a.accreditation_body == accreditation_body)
                        and (not activity or a.activity.value == activity) and a.active_on(as_of))
            keep = lambda cab: any(matches(a) for a in cab.accreditations)  # noqa: E731
        elif accreditation_body and activity:
            def keep(cab: model.ConformityAssessmentBody) -> bool:
                return any(a.accreditation_body == accreditation_body and a.activity.value == activity
                           for a in cab.accreditations)
        return self.cabs.select(keep, economy=economy or None, kind=kind or None,
                                accreditation_body=accreditation_body or None, activity=activity or None)

    def policy_list(self, importer: str | None = None, hs_code: str | None = None,
                    as_of: date | None = None) -> Sequence[model.ImportPolicy]:
        """Policies of ``importer`` in force on ``as_of`` covering ``hs_code`` (one of its prefixes listed, none
        excluded)."""
        checks = []
        if as_of:
            checks.append(lambda p: holds_on(p, as_of))
        if hs_code:
            prefixes = frozenset(hs_code[:n] for n in range(2, len(hs_code) + 1))
            checks.append(lambda p: not prefixes.isdisjoint(p.hs_prefixes)
                          and prefixes.isdisjoint(p.excluded_hs_prefixes))
        return self.policies.select(all_of(*checks), importer=importer or None)

    def declaration_list(self, kind: str | None = None, importer: str | None = None, arrangement: str | None = None,
                         accreditation_body: str | None = None,
                         as_of: date | None = None) -> Sequence[model.CompletenessDeclaration]:
        checks = []
        if importer:
            checks.append(lambda d: d.importer == importer)
        if arrangement:
            checks.append(lambda d: d.arrangement == arrangement)
        if accreditation_body:
            checks.append(lambda d: d.accreditation_body == accreditation_body)
        if as_of:
            checks.append(lambda d: holds_on(d, as_of))
        return self.declarations.select(all_of(*checks), kind=kind or None)

    def lookalike_list(self, economy: str | None = None) -> Sequence[model.LookalikeBody]:
        return self.lookalike_bodies.select(economy=economy or None)

    def acceptance_list_list(self, owner: str | None = None, cab: str | None = None) -> Sequence[model.AcceptanceList]:
        return self.acceptance_lists.select(owner=owner or None, cab=cab or None)

    # -- nested lists ---------------------------------------------------------------------------------------
    def signatories(self, arrangement: str, activity: str | None = None,
                    as_of: date | None = None) -> list[model.SignatoryStatusRecord]:
        """The arrangement's own status records (for the activity, holding on the date), by body, activity,
        standard and start."""
        records = self._signatories.get((arrangement, activity or None), ())
        return [r for r in records if holds_on(r, as_of)] if as_of is not None else list(records)

    def carried_statuses(self, arrangement: str, activity: str | None = None,
                         as_of: date | None = None) -> list[CarriedStatusRecord]:
        """The statuses continued into ``arrangement`` from the arrangements it superseded (whole-activity
        records only, as the engine reads them when a policy names no standard): those holding on ``as_of``, in
        the order the engine reads them that day, or (without it) each continuation window."""
        carried = self._carried.get((arrangement, activity or None))
        if carried is None:
            return []
        if as_of is None:
            return list(carried.windows)
        latest = bisect.bisect_right(carried.days, as_of) - 1
        if latest < 0:
            return []
        return [record for record in carried.on_day[latest] if holds_on(record, as_of)]


def _arranged(arrangement: model.Arrangement, operations: dict[tuple[str, str], tuple[model.SectorOperation, ...]]
              ) -> model.Arrangement:
    """An arrangement with its sectors in code order, each with its operations as recorded."""
    sectors = []
    for sector in sorted(arrangement.sectors, key=lambda s: s.code):
        recorded = operations.get((arrangement.code, sector.code), ())
        sectors.append(sector if recorded == sector.operations else dataclasses.replace(sector, operations=recorded))
    sectors = tuple(sectors)
    if all(a is b for a, b in zip(sectors, arrangement.sectors)):
        return arrangement
    return dataclasses.replace(arrangement, sectors=sectors)


def _accreditation_order(a: model.Accreditation):
    return (a.accreditation_body, a.number)


def _cab(cab: model.ConformityAssessmentBody, designations: dict[str, tuple[model.Designation, ...]]
         ) -> model.ConformityAssessmentBody:
    """A CAB with its accreditations by body and number, and its designations as recorded."""
    accreditations = _sorted_or_same(cab.accreditations, _accreditation_order)
    recorded = designations.get(cab.code, ())
    if accreditations is cab.accreditations and recorded == cab.designations:
        return cab
    return dataclasses.replace(cab, accreditations=accreditations,
                               designations=cab.designations if recorded == cab.designations else recorded)
