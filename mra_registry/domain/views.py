"""The snapshot's views: an entity plus what the engine would otherwise recompute per decision (normalised
method keys, interval indexes), and the small value types its look-ups answer with."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from . import model
from .codes import AttestationType, PathLinkKind, RouteKind, SignatoryStatus
from .decision import PathLink, new_link
from .frozen import fast_constructor
from .intervals import IntervalIndex
from .methods import MethodKey, method_key
from .wording import TEXT, a_words, listing

# RULES.md: a requirement of type OFFICIAL_CERTIFICATE takes the official-certificate route only.
_OFFICIAL_ONLY = (model.Route(RouteKind.OFFICIAL_CERTIFICATE),)


@lru_cache(maxsize=4096)
def _label(route: model.Route) -> str:
    """``route.label()``, once per distinct route: thousands of policies name the same few routes."""
    return route.label()


# -- views: an entity plus what the engine would otherwise recompute per decision ------------------------

@dataclass(frozen=True, slots=True, eq=False)
class AccreditationView:
    accreditation: model.Accreditation
    # method base -> the scope item, or a tuple of them when several share the base. A million scope items
    # would otherwise need a million small containers: one per item costs build time (GC) and memory.
    scope: dict[str, model.ScopeItem | tuple[model.ScopeItem, ...]]

    def covers_method(self, required: MethodKey, hs_code: str) -> bool:
        """True when a scope item matches ``required`` (edition only when both state one) and covers the code
        (``hs.covers`` with ``empty_covers_all``, written out: it runs for every required test of every decision)."""
        found = self.scope.get(required.base)
        if found is None:
            return False
        wanted = required.edition
        for item in found if type(found) is tuple else (found,):
            if wanted is not None:
                edition = method_key(item.identifier).edition  # cached: the snapshot normalised it already
                if edition is not None and edition != wanted:
                    continue
            prefixes = item.hs_prefixes
            if prefixes and not hs_code.startswith(prefixes):  # (an item with no prefix covers every code)
                continue
            excluded = item.excluded_hs_prefixes
            if excluded and hs_code.startswith(excluded):
                continue
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
    routes: tuple[model.Route, ...]  # the routes tried, in order
    labels: tuple[str, ...]  # each route's label, as the decision's reasons name it
    any_only: bool  # every route is ANY: the rule names no condition on the issuer

    @classmethod
    def of(cls, requirement: model.Requirement) -> "RequirementView":
        routes = (_OFFICIAL_ONLY if requirement.required_type is AttestationType.OFFICIAL_CERTIFICATE
                  else requirement.routes)
        any_only = bool(routes)
        for route in routes:
            if route.kind is not RouteKind.ANY:
                any_only = False
                break
        return _new_requirement_view(requirement, tuple([method_key(t) for t in requirement.required_tests]), routes,
                                     tuple([_label(route) for route in routes]), any_only)


@dataclass(frozen=True, slots=True, eq=False)
class PolicyView:
    policy: model.ImportPolicy
    requirements: tuple[RequirementView, ...]
    required_types: tuple[AttestationType, ...]  # each requirement's, in policy order
    # the policy's path link, which only the HS code (when it lists more than three prefixes) and the two days
    # vary: the record before the prefixes and after them, the prefixes (None: more than three), its sources
    link_head: str
    link_prefixes: str | None
    link_tail: str
    link_sources: tuple[str, ...]
    # that link whole, for the policy's own links on two days it is in force (nearly every decision: step 2
    # applies only a policy in force on the clearance date), when its record does not vary with the code
    in_force_link: PathLink | None

    @classmethod
    def of(cls, policy: model.ImportPolicy) -> "PolicyView":
        requirements = policy.requirements
        documents = listing([
            f"{a_words(r.required_type)} attestation"
            + (f" covering {', '.join(r.required_tests)}" if r.required_tests else "")
            for r in requirements])
        origins = f" from {', '.join(policy.origins)}" if policy.origins else ""
        source = policy.legal_source
        legal = ""
        if source is not None:
            legal = f" ({source.instrument}{f', {source.reference}' if source.reference else ''})"
        sources = policy.provenance.sources
        if source is not None and source.url and source.url not in sources:
            sources = (source.url, *sources)
        prefixes = ", ".join(policy.hs_prefixes) if len(policy.hs_prefixes) <= 3 else None
        head, tail = f"{policy.code}: {policy.importer} requires {documents} for HS ", f"{origins}{legal}"
        in_force_link = None
        if prefixes is not None:  # (as PathLinks.policy_link builds it, with both states IN_FORCE)
            in_force_link = new_link(PathLinkKind.POLICY, policy.code, f"{head}{prefixes}{tail}", policy.valid_from,
                                     policy.valid_to, "IN_FORCE", "IN_FORCE", True, TEXT[policy.provenance.confidence],
                                     sources, None)
        return _new_policy_view(policy, tuple([RequirementView.of(r) for r in requirements]),
                                tuple(r.required_type for r in requirements), head, prefixes, tail, sources,
                                in_force_link)

    @property
    def code(self) -> str:
        return self.policy.code

    @property
    def required(self) -> tuple[MethodKey, ...]:
        """The first requirement's tests or schemes, normalised."""
        return self.requirements[0].required

    def requires_type(self, attestation_type: AttestationType) -> bool:
        return attestation_type in self.required_types

    def link_record(self, hs_code: str | None) -> str:
        """The policy link's record: a long prefix list names the entry that covers the goods instead."""
        prefixes = self.link_prefixes
        if prefixes is None:
            if hs_code is None:
                prefixes = ", ".join(self.policy.hs_prefixes)
            else:
                all_prefixes = self.policy.hs_prefixes
                matching = [p for p in all_prefixes if hs_code.startswith(p)]
                others = len(all_prefixes) - len(matching)
                prefixes = f"{', '.join(matching)} (and {others} other code{'s' if others != 1 else ''})"
        return f"{self.link_head}{prefixes}{self.link_tail}"


@dataclass(frozen=True, slots=True, eq=False)
class ListView:
    """An acceptance list, its entries by CAB."""

    acceptance_list: model.AcceptanceList
    entries: dict[str, tuple[tuple[model.ListEntry, AccreditationView], ...]]  # entry and its scope as a view


# the snapshot's build makes views by the thousand (5,000 policies, 100,000 CABs): see frozen.fast_constructor
_new_requirement_view = fast_constructor(RequirementView)
_new_policy_view = fast_constructor(PolicyView)
new_accreditation_view = fast_constructor(AccreditationView)
new_cab_view = fast_constructor(CabView)


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
