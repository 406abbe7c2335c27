"""Succession in browsing (RULES.md step 7): when arrangement A is superseded by B on date X, for each body and
activity the status it held in A on the day before X continues in B from X until the body's first own event in
B for that activity. A continued status is a record of B for browsing, so B's signatory list shows it, marked
as carried over, with the arrangement and the record it comes from.

The reading is the engine's own (`Snapshot.status_readings` on the in-memory snapshot the service already
holds for decisions), not the rule written again in SQL: browsing and deciding cannot disagree."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

from ..domain import model
from ..domain.codes import Activity


@dataclass(frozen=True)
class CarriedStatusRecord(model.SignatoryStatusRecord):
    """A status of a superseded arrangement continued in its successor: ``arrangement`` is the successor,
    ``valid_from``/``valid_to`` the continuation window, ``source`` the predecessor's record it continues."""

    carried_from: str | None = None
    source: model.SignatoryStatusRecord | None = None


def _ancestors(snapshot, arrangement: str) -> set[str]:
    found: set[str] = set()
    pending = [arrangement]
    while pending:
        for succession in snapshot.succession_into(pending.pop()):
            if succession.predecessor not in found:
                found.add(succession.predecessor)
                pending.append(succession.predecessor)
    return found


def carried_statuses(snapshot, arrangement: str, activity: str | None, as_of: date | None) -> list[CarriedStatusRecord]:
    """The statuses continued into ``arrangement`` from the arrangements it superseded: those holding on
    ``as_of``, or (without it) each continuation window. Whole-activity records only, as the engine reads them
    when a policy names no standard; a standard's own record stays in its arrangement's list."""
    successions = snapshot.succession_into(arrangement)
    if not successions:
        return []
    ancestors = _ancestors(snapshot, arrangement)
    wanted = Activity(activity) if activity else None
    candidates = sorted({(body.code, status.activity) for body in snapshot.accreditation_bodies.values()
                         for status in body.statuses
                         if status.arrangement in ancestors and (wanted is None or status.activity is wanted)},
                        key=lambda key: (key[0], key[1].value if key[1] else ""))
    days = [as_of] if as_of is not None else sorted({s.on for s in successions})
    carried: dict[tuple, CarriedStatusRecord] = {}
    for body, status_activity in candidates:
        for day in days:
            for reading in snapshot.status_readings(body, arrangement, status_activity, day):
                if reading.continued_from is None:
                    continue  # the body's own record: listed from the database with the others
                record = reading.record
                fields = {f.name: getattr(record, f.name) for f in dataclasses.fields(model.SignatoryStatusRecord)}
                item = CarriedStatusRecord(**fields | {
                    "arrangement": arrangement, "valid_from": reading.valid_from, "valid_to": reading.valid_to,
                    "carried_from": reading.continued_from, "source": record})
                carried.setdefault((body, status_activity, item.valid_from, record.key), item)
    return list(carried.values())
