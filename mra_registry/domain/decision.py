"""The engine's input (a consignment and an optional attestation) and output (an explained decision).

The output types are frozen dataclasses; the engine builds them with the ``new_*`` constructors at the end of
this module (``frozen.fast_constructor``: the very same frozen instances, several times faster).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from .codes import Assurance, AttestationType, Outcome, PathLinkKind, ReasonCode, RouteKind, WarningCode
from .frozen import fast_constructor


@dataclass(frozen=True, slots=True)
class Attestation:
    type: AttestationType
    issuer: str  # the issuing CAB's registry code
    issue_date: date
    accreditation_body: str | None = None  # as claimed on the document
    accreditation_number: str | None = None
    lot: str | None = None
    tests: tuple[str, ...] | None = None  # None or empty: the document lists none
    under_accreditation: bool = True
    credential: str | None = None


@dataclass(frozen=True, slots=True)
class Consignment:
    exporter: str
    importer: str
    hs_code: str
    clearance_date: date
    lot: str | None = None
    attestation: Attestation | None = None  # one presented document: shorthand for ``attestations`` of one
    attestations: tuple[Attestation, ...] = ()  # every presented document, in the order presented

    @property
    def presented(self) -> tuple[Attestation, ...]:
        """Every presented document: ``attestation`` first when given, then ``attestations``."""
        if self.attestation is None:
            return self.attestations
        return (self.attestation, *self.attestations)


@dataclass(frozen=True, slots=True)
class DecisionReason:
    code: ReasonCode
    message: str
    route: str | None = None  # the route's label, e.g. "ARRANGEMENT[ILAC_MRA]"
    requirement: int = 0  # the index of the policy requirement it belongs to


@dataclass(frozen=True, slots=True)
class DecisionWarning:
    code: WarningCode
    message: str


@dataclass(frozen=True, slots=True)
class DecisionCheck:
    """A fact a person must verify before acting on the decision, and where to verify it."""

    code: ReasonCode | WarningCode
    message: str
    sources: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PathLink:
    """One link of the recognition chain: the record it rests on, its dates, and whether it held."""

    kind: PathLinkKind
    subject: str  # who or what the link is about, e.g. "COFRAC"
    record: str  # the record, e.g. "COFRAC in ILAC_MRA for TESTING: SIGNATORY"
    valid_from: date | None
    valid_to: date | None
    status_on_issue: str | None = None
    status_on_clearance: str | None = None
    holds: bool = True
    confidence: str | None = None
    sources: tuple[str, ...] = ()
    requirement: int | None = None  # the index of the requirement it belongs to (None: the policy's own links)

    def for_requirement(self, index: int) -> "PathLink":
        return replace(self, requirement=index)


@dataclass(frozen=True, slots=True)
class PassedRoute:
    kind: RouteKind
    arrangement: str | None  # arrangement and government routes
    sector: str | None = None  # government routes
    acceptance_list: str | None = None  # list routes


@dataclass(frozen=True, slots=True)
class Decision:
    outcome: Outcome
    reason: ReasonCode
    reasons: tuple[DecisionReason, ...]
    route: PassedRoute | None
    path: tuple[PathLink, ...]
    warnings: tuple[DecisionWarning, ...]
    policy: str | None  # the applied policy's code
    issue_date: date | None
    clearance_date: date
    registry_version: int
    assurance: Assurance = Assurance.CONFIRMED
    checks: tuple[DecisionCheck, ...] = ()
    routes: tuple[PassedRoute, ...] = ()  # each requirement's passing route, in policy order (empty unless recognised)
    messages: tuple[str, ...] = field(default=())


# the engine's constructors of its output (see frozen.fast_constructor)
new_reason = fast_constructor(DecisionReason)
new_warning = fast_constructor(DecisionWarning)
new_check = fast_constructor(DecisionCheck)
new_link = fast_constructor(PathLink)
new_route = fast_constructor(PassedRoute)
new_decision = fast_constructor(Decision)
# and of its input, for callers that build one per request (the API)
new_attestation = fast_constructor(Attestation)
new_consignment = fast_constructor(Consignment)
