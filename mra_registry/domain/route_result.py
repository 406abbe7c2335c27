"""What one step or route of a decision found: passed, failed or unknown (RULES.md step 7: a route fails
only when it is not unknown), with the records and declarations the result rests on."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum

from . import model
from .codes import Outcome, ReasonCode
from .completeness import known_since
from .decision import DecisionCheck, PassedRoute, PathLink
from .snapshot import AccreditationView, StatusReading


class RouteState(Enum):
    PASS = "pass"
    FAIL = "fail"
    UNKNOWN = "unknown"


@dataclass(slots=True)  # not frozen: one or more per decision, read once by the attempt (see decision.py)
class RouteResult:
    state: RouteState
    reason: ReasonCode
    message: str
    route: PassedRoute | None = None
    links: tuple[PathLink, ...] = ()
    relied_on: AccreditationView | None = None
    basis: tuple[model.Provenance, ...] = ()  # records and declarations behind the result, beside its links
    checks: tuple[DecisionCheck, ...] = ()  # what a person must verify when the result is unknown
    readings: tuple[StatusReading, ...] = ()  # the statuses the result rests on (for STATUS_START_UNKNOWN)

    @property
    def passed(self) -> bool:
        return self.state is RouteState.PASS


class Failure(Exception):
    """A terminal result of steps 1 to 6 (raised inside an evaluation only, caught by its driver)."""

    def __init__(self, outcome: Outcome, reason: ReasonCode, message: str,
                 basis: tuple[model.Provenance, ...] = ()):
        super().__init__(message)
        self.outcome = outcome
        self.reason = reason
        self.message = message
        self.basis = basis


def start_unknown_on(record: model.SignatoryStatusRecord, day: date) -> bool:
    """RULES.md: a record with no known start relied on for a day before its ``reportedSince`` (or with no
    ``reportedSince`` at all) still holds, but the decision must say so."""
    if record.valid_from is not None:
        return False
    since = known_since(record.reported_since)
    return since is None or day < since
