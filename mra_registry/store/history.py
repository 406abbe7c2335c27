"""The registry as it stood at an earlier version, rebuilt from the database (issue 14: time travel).

Nothing in the registry is deleted, so an earlier version can be read back exactly:

- **dated facts** (statuses, accreditations and their scope, designations, competences, union memberships,
  sectors and their operations, activity starts, policies and their requirements, completeness declarations,
  acceptance-list entries, CABs' verification keys and status lists) are rows with ``recorded_version`` and ``retired_version``: at version N the live
  rows are those recorded at or before N and not retired at or before N (``mapping.read_registry(at_version=N)``);
- **coded entities kept in place** (unions, arrangements, accreditation bodies, CABs, look-alike bodies,
  acceptance lists) have no versions on their rows: their own fields are updated in place and every update
  is in the change log (``change_records``, facet ``""``) with the fields before and after, in the registry
  document's form. At version N such an entity exists when its CREATE record is at or before N, and its fields
  are the ``before`` of its first update after N (or the row as it is, when none followed).

Tokens, receipts and the change log itself are not registry data. ``tests/receipts/test_history.py`` checks
every table is classified here, and that every version of a registry written through many mutations reads
back exactly as it was exported at the time.
"""
from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Callable

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from ..domain import model
from ..domain.snapshot import Snapshot
from ..interchange.entities import EntityBuilder
from ..interchange.requirements import RequirementsBuilder
from . import models as m
from .mapping import read_registry, registry_version


class RegistryVersionOutOfRange(ValueError):
    """Asked for a version the registry never had (below 1, or above the current one)."""

    def __init__(self, requested: int, current: int):
        self.requested = requested
        self.current = current
        if current < 1:
            super().__init__(f"registry version {requested} does not exist: the registry holds no version yet")
        else:
            super().__init__(f"registry version {requested} does not exist: versions run from 1 to {current}")


@dataclass(frozen=True)
class InPlaceKind:
    """A coded entity whose own fields are updated in place: where it sits in the Registry, how its fields are read
    back from the change log's document form, which fields are its own (put back from the change log) and which
    are histories (dated rows, already read at the version). Every field of the entity is one or the other
    (a guard test checks it), so a field added later is classified, not silently read as it is now."""

    registry_field: str
    parse: Callable[[dict], Any]
    scalars: tuple[str, ...]
    histories: tuple[str, ...]


def _builder() -> EntityBuilder:
    return EntityBuilder("registry history")  # problems are not checked: the change log holds what was accepted


IN_PLACE: dict[str, InPlaceKind] = {
    "Union": InPlaceKind("unions", lambda item: _builder().union(item, "$"), ("name", "provenance"),
                         ("memberships",)),
    "Arrangement": InPlaceKind(
        "arrangements", lambda item: _builder().arrangement(item, "$"),
        ("name", "kind", "valid_from", "valid_to", "superseded_by", "superseded_on", "region", "activities", "parties",
         "hs_prefixes", "excluded_hs_prefixes", "signatory_list_url", "provenance"),
        ("sectors", "activity_starts")),
    "AccreditationBody": InPlaceKind(
        "accreditation_bodies", lambda item: _builder().accreditation_body(item, "$"),
        ("name", "economy", "region", "directory_url", "provenance"), ("statuses",)),
    "ConformityAssessmentBody": InPlaceKind(
        "cabs", lambda item: _builder().cab(item, "$"), ("name", "economy", "kinds", "provenance", "identifier"),
        ("accreditations", "designations", "competences", "verification_keys", "status_lists")),
    "LookalikeBody": InPlaceKind("lookalike_bodies", lambda item: _builder().lookalike(item, "$"),
                                 ("name", "economy", "provenance"), ()),
    "AcceptanceList": InPlaceKind("acceptance_lists",
                                  lambda item: RequirementsBuilder(_builder()).acceptance_list(item, "$"),
                                  ("name", "owner", "provenance"), ("entries",)),
}


def _own_fields(then: Any, spec: InPlaceKind) -> dict[str, Any]:
    present = {f.name for f in dataclasses.fields(then)}
    return {name: getattr(then, name) for name in spec.scalars if name in present}


# How every table of the schema is read back at an earlier version (the guard test keeps this complete).
TABLES: dict[str, str] = {
    # dated facts: recorded_version / retired_version
    **{table: "dated" for table in (
        "union_memberships", "arrangement_activity_starts", "sectors", "sector_operations", "signatory_statuses",
        "accreditations", "designations", "competences", "acceptance_list_entries", "import_policies",
        "completeness_declarations", "cab_verification_keys", "cab_status_lists")},
    "scope_items": "with its accreditation",
    # coded entities kept in place: their change records
    **{table: "in place" for table in (
        "unions", "arrangements", "accreditation_bodies", "lookalike_bodies", "cabs", "acceptance_lists")},
    "economies": "fixed (written by migrations only)",
    # not registry data
    **{table: "not registry data" for table in (
        "registry_state", "registry_versions", "change_records", "api_tokens", "decision_receipts")},
}


def read_registry_at(session: Session, version: int) -> model.Registry:
    """The registry exactly as it stood at ``version``, inside the caller's (consistent) transaction."""
    current = registry_version(session)
    if not 1 <= version <= current:
        raise RegistryVersionOutOfRange(version, current)
    registry = read_registry(session, at_version=version)
    if version == current:
        return registry
    created_later, earlier_fields = _changed_after(session, version)
    if not created_later and not earlier_fields:
        return registry
    changes: dict[str, Any] = {}
    for kind, spec in IN_PLACE.items():
        entities = []
        touched = False
        for entity in getattr(registry, spec.registry_field):
            key = (kind, entity.code)
            if key in created_later:
                touched = True
                continue
            before = earlier_fields.get(key)
            if before is not None:
                touched = True
                entity = dataclasses.replace(entity, **_own_fields(spec.parse(before), spec))
            entities.append(entity)
        if touched:
            changes[spec.registry_field] = tuple(entities)
    return dataclasses.replace(registry, **changes)


_ID_CHUNK = 500  # ids per IN list (well under SQLite's bound-parameter limit)


def _changed_after(session: Session, version: int) -> tuple[set[tuple[str, str]], dict[tuple[str, str], dict]]:
    """The coded entities kept in place that were created after ``version``, and the fields before the first
    update after it of the others. The change log is read from ``version`` on, a range on its indexes
    (migration 0008): what it reads grows with the changes made since, not with the log. Only the records
    that are used have their ``before`` read (one per entity at most), not every later update's."""
    record = m.ChangeRecord
    later = (select(record.entity_type, record.entity_code, record.action, record.id)
             .where(record.version > version, record.facet == "", record.entity_type.in_(IN_PLACE))
             .order_by(record.version, record.id))
    created_later: set[tuple[str, str]] = set()
    first_update: dict[tuple[str, str], int] = {}
    for kind, code, action, record_id in session.execute(later):
        key = (kind, code)
        if action == "CREATE":
            created_later.add(key)
        elif key not in first_update and key not in created_later:
            first_update[key] = record_id
    befores: dict[int, Any] = {}
    ids = list(first_update.values())
    for start in range(0, len(ids), _ID_CHUNK):
        chunk = ids[start:start + _ID_CHUNK]
        rows = session.execute(select(record.id, record.before).where(record.id.in_(chunk)))
        befores.update((record_id, before) for record_id, before in rows)
    earlier_fields = {key: befores[record_id] for key, record_id in first_update.items()}
    return created_later, earlier_fields


def read_consistently_at(engine: Engine, version: int) -> model.Registry:
    with Session(engine) as session, session.begin():
        if engine.dialect.name == "postgresql":
            session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
        return read_registry_at(session, version)


class HistoricalSnapshots:
    """Snapshots of earlier versions, built on demand and kept in a bounded LRU cache (a version never changes
    once written, so a cached snapshot never goes stale). ``current`` gives the live snapshot, used as is when
    the version asked for is the current one."""

    def __init__(self, engine: Engine, current: Callable[[], Snapshot] | None = None, size: int = 8,
                 build: Callable[[model.Registry], Snapshot] = Snapshot.build):
        self.engine = engine
        self.current = current
        self.size = size
        self.build = build
        self._cache: OrderedDict[int, Snapshot] = OrderedDict()
        self._lock = threading.Lock()
        self.builds = 0  # how many versions were rebuilt (tests and the benchmark read it)

    def ready(self, version: int) -> Snapshot | None:
        """The snapshot of ``version`` when it is at hand (the live one, or cached), without reading anything."""
        if self.current is not None:
            live = self.current()
            if live.version == version:
                return live
        with self._lock:
            cached = self._cache.get(version)
            if cached is not None:
                self._cache.move_to_end(version)
            return cached

    def at(self, version: int) -> Snapshot:
        at_hand = self.ready(version)
        if at_hand is not None:
            return at_hand
        snapshot = self.build(read_consistently_at(self.engine, version))
        with self._lock:
            self.builds += 1
            self._cache[version] = snapshot
            self._cache.move_to_end(version)
            while len(self._cache) > self.size:
                self._cache.popitem(last=False)
        return snapshot
