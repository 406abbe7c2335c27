"""The snapshot's views: an entity plus what the engine would otherwise recompute per decision (normalised
method keys, interval indexes), and the small value types its look-ups answer with."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from . import model
from .codes import AttestationType, SignatoryStatus
from .hs import covers
from .intervals import IntervalIndex
from .methods import MethodKey, method_key

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
