"""The registry's entities as immutable values. The store builds them from the database; the interchange
layer builds them from a registry document; the engine reads them through a ``Snapshot``.

Codes are natural keys: ISO 3166-1 alpha-2 for economies, ``EU`` for the union, arrangement codes such as
``ILAC_MRA``, accreditation-body acronyms, CAB codes, policy codes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .codes import (
    Activity,
    ArrangementKind,
    AttestationType,
    CabKind,
    CompetenceKind,
    CompletenessKind,
    Confidence,
    RouteKind,
    SignatoryStatus,
)


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a fact comes from and how sure we are of it (never dropped on the way through)."""

    confidence: Confidence = Confidence.UNCONFIRMED
    sources: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True, slots=True)
class UnionMembership:
    union: str
    economy: str
    valid_from: date | None
    valid_to: date | None
    provenance: Provenance = field(default_factory=Provenance)


@dataclass(frozen=True, slots=True)
class Union:
    code: str
    name: str
    memberships: tuple[UnionMembership, ...] = ()
    provenance: Provenance = field(default_factory=Provenance)


@dataclass(frozen=True, slots=True)
class SectorOperation:
    """A type of attestation is operational under a sector between two parties over an interval."""

    parties: frozenset[str]
    attestation_type: AttestationType
    valid_from: date | None
    valid_to: date | None
    provenance: Provenance = field(default_factory=Provenance)


@dataclass(frozen=True, slots=True)
class SectorTermination:
    """A sector ceased on ``effective`` (first day no longer applied); ``voids_existing`` also voids
    attestations issued while it was operational."""

    effective: date
    voids_existing: bool
    provenance: Provenance = field(default_factory=Provenance)


@dataclass(frozen=True, slots=True)
class Sector:
    arrangement: str
    code: str
    name: str
    hs_prefixes: tuple[str, ...]
    excluded_hs_prefixes: tuple[str, ...] = ()
    attestation_types: tuple[AttestationType, ...] = ()
    operations: tuple[SectorOperation, ...] = ()
    termination: SectorTermination | None = None
    provenance: Provenance = field(default_factory=Provenance)


@dataclass(frozen=True, slots=True)
class ActivityStart:
    """The day an accreditation arrangement began to cover an activity (ILAC inspection from 2012-10-24): no
    body can hold a status for that activity there before it, so a status without a known start holds from it."""

    activity: Activity
    valid_from: date
    provenance: Provenance = field(default_factory=Provenance)


@dataclass(frozen=True, slots=True)
class Arrangement:
    code: str
    name: str
    kind: ArrangementKind
    valid_from: date | None = None
    valid_to: date | None = None
    superseded_by: str | None = None
    superseded_on: date | None = None
    region: str | None = None
    activities: tuple[Activity, ...] = ()
    parties: tuple[str, ...] = ()  # government and SPS arrangements
    sectors: tuple[Sector, ...] = ()  # government arrangements
    hs_prefixes: tuple[str, ...] = ()  # SPS equivalence: the codes it replaces the importer's testing for
    excluded_hs_prefixes: tuple[str, ...] = ()
    activity_starts: tuple[ActivityStart, ...] = ()  # accreditation arrangements
    signatory_list_url: str | None = None  # where its secretariat publishes the signatories
    provenance: Provenance = field(default_factory=Provenance)

    def activity_start(self, activity: Activity | None) -> date | None:
        """The first day the arrangement covers ``activity``: its own start when recorded, else the
        arrangement's."""
        for start in self.activity_starts:
            if start.activity is activity:
                return start.valid_from
        return self.valid_from


@dataclass(frozen=True, slots=True)
class SignatoryStatusRecord:
    """One dated status of an accreditation body in an arrangement for an activity (and optionally for one
    standard within it, such as the IAF sub-scope ``ISO 9001``). ``activity`` is None where the source lists
    the body as a signatory without saying for which activities: such a record never recognises anything."""

    accreditation_body: str
    arrangement: str
    activity: Activity | None
    standard: str | None
    status: SignatoryStatus
    valid_from: date | None
    valid_to: date | None
    reported_since: str | None = None  # a partial date as the source gives it ("2003", "2018-04")
    provenance: Provenance = field(default_factory=Provenance)

    @property
    def key(self) -> tuple[str, str, Activity | None, str | None]:
        return (self.accreditation_body, self.arrangement, self.activity, self.standard)


@dataclass(frozen=True, slots=True)
class AccreditationBody:
    code: str
    name: str
    economy: str | None
    region: str | None = None
    statuses: tuple[SignatoryStatusRecord, ...] = ()
    directory_url: str | None = None  # its public directory of accredited bodies
    provenance: Provenance = field(default_factory=Provenance)


@dataclass(frozen=True, slots=True)
class LookalikeBody:
    """A body that presents itself as an accreditation body (an "accreditation forum") and is recorded as not
    being one: an attestation claiming it is refuted (RULES.md step 1)."""

    code: str
    name: str
    economy: str | None = None
    provenance: Provenance = field(default_factory=Provenance)


@dataclass(frozen=True, slots=True)
class CompletenessDeclaration:
    """The registry holds *every* record of ``kind`` within this range, so inside it the absence of a record is
    a fact (RULES.md, "What the registry knows"). Which fields make the range depends on the kind:

    - IMPORT_POLICIES: ``importer`` (an economy or a union), ``hs_prefixes`` (none: every code) minus
      ``excluded_hs_prefixes``; ``includes_members`` lets a union's declaration stand for its members;
    - SIGNATORIES: ``arrangement`` and ``activities`` (none: every activity);
    - ACCREDITATION_BODIES, CABS: no field;
    - ACCREDITATIONS: ``accreditation_body``;
    - DESIGNATIONS: ``arrangement``, ``sector`` (none: every sector), ``party`` (none: both parties);
    - LIST_ENTRIES: ``acceptance_list``.
    """

    code: str
    kind: CompletenessKind
    valid_from: date | None
    valid_to: date | None
    importer: str | None = None
    hs_prefixes: tuple[str, ...] = ()
    excluded_hs_prefixes: tuple[str, ...] = ()
    includes_members: bool = False
    arrangement: str | None = None
    activities: tuple[Activity, ...] = ()
    accreditation_body: str | None = None
    sector: str | None = None
    party: str | None = None
    acceptance_list: str | None = None
    provenance: Provenance = field(default_factory=Provenance)


@dataclass(frozen=True, slots=True)
class ScopeItem:
    """A method or scheme the CAB is accredited for, and the products it covers (no prefix: every product)."""

    identifier: str
    hs_prefixes: tuple[str, ...] = ()
    excluded_hs_prefixes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Suspension:
    valid_from: date | None
    valid_to: date | None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Accreditation:
    cab: str
    number: str
    accreditation_body: str
    activity: Activity
    valid_from: date | None
    valid_to: date | None
    suspensions: tuple[Suspension, ...] = ()
    withdrawn_on: date | None = None  # first day no longer valid, when withdrawn before its end
    scope: tuple[ScopeItem, ...] = ()
    provenance: Provenance = field(default_factory=Provenance)

    def active_on(self, day: date) -> bool:
        if self.valid_from is not None and day < self.valid_from:
            return False
        if self.valid_to is not None and day > self.valid_to:
            return False
        if self.withdrawn_on is not None and day >= self.withdrawn_on:
            return False
        for s in self.suspensions:  # (most accreditations have none: no generator to start then)
            if (s.valid_from is None or s.valid_from <= day) and (s.valid_to is None or day <= s.valid_to):
                return False
        return True


@dataclass(frozen=True, slots=True)
class Designation:
    """A CAB designated under a government arrangement's sector to assess against one party's rules."""

    cab: str
    arrangement: str
    sector: str
    for_party: str
    valid_from: date | None
    valid_to: date | None
    attestation_types: tuple[AttestationType, ...] = ()  # empty: every type the sector covers
    provenance: Provenance = field(default_factory=Provenance)


@dataclass(frozen=True, slots=True)
class Competence:
    """A regulatory authority's competence, over an interval, to issue a kind of official attestation for the
    goods its HS prefixes cover (an exporting economy's food safety authority for official certificates)."""

    cab: str
    kind: CompetenceKind
    hs_prefixes: tuple[str, ...]
    valid_from: date | None
    valid_to: date | None
    excluded_hs_prefixes: tuple[str, ...] = ()
    provenance: Provenance = field(default_factory=Provenance)


@dataclass(frozen=True, slots=True)
class VerificationKey:
    """A public key a CAB signs its credentials with (``public_jwk``: the JWK as canonical JSON, public members
    only), usable for credentials issued from ``valid_from`` to ``valid_to``; a key revoked on ``revoked_on``
    verifies nothing issued on or after that day."""

    cab: str
    key_id: str
    public_jwk: str
    valid_from: date | None
    valid_to: date | None
    revoked_on: date | None = None
    provenance: Provenance = field(default_factory=Provenance)


@dataclass(frozen=True, slots=True)
class StatusList:
    """A W3C Bitstring Status List a CAB publishes at ``url`` for ``purpose`` (revocation, suspension), as the
    registry holds it: the encoded list (multibase base64url of the GZIP-compressed bitstring) read on ``as_of``."""

    cab: str
    url: str
    purpose: str
    encoded_list: str
    as_of: date
    provenance: Provenance = field(default_factory=Provenance)


@dataclass(frozen=True, slots=True)
class ConformityAssessmentBody:
    code: str
    name: str
    economy: str
    kinds: tuple[CabKind, ...]
    accreditations: tuple[Accreditation, ...] = ()
    designations: tuple[Designation, ...] = ()
    provenance: Provenance = field(default_factory=Provenance)
    competences: tuple[Competence, ...] = ()
    identifier: str | None = None  # the DID (did:web:...) or https URL its signed credentials name as issuer
    verification_keys: tuple[VerificationKey, ...] = ()
    status_lists: tuple[StatusList, ...] = ()

    @property
    def is_regulatory_authority(self) -> bool:
        return CabKind.REGULATORY_AUTHORITY in self.kinds


@dataclass(frozen=True, slots=True)
class Route:
    """An accepted recognition route. A government route naming no arrangement accepts any between the parties;
    a list route names the importer's acceptance list; official-certificate and any-issuer routes name nothing."""

    kind: RouteKind
    arrangements: tuple[str, ...] = ()
    acceptance_list: str | None = None

    def label(self) -> str:
        if self.kind is RouteKind.LIST:
            return f"LIST[{self.acceptance_list}]"
        if self.kind in (RouteKind.OFFICIAL_CERTIFICATE, RouteKind.ANY):
            return self.kind.value
        names = ", ".join(self.arrangements) if self.arrangements else "any"
        return f"{self.kind.value}[{names}]"


@dataclass(frozen=True, slots=True)
class Requirement:
    """One document a policy asks for: its type, the tests or scheme it must cover, the routes that recognise
    it (in order), how old it may be (days, or calendar months) and whether it must name the consignment's lot."""

    required_type: AttestationType
    required_tests: tuple[str, ...] = ()
    routes: tuple[Route, ...] = ()
    max_age_days: int | None = None
    max_age_months: int | None = None
    lot_match: bool = False


@dataclass(frozen=True, slots=True)
class BorderChecks:
    """The share of consignments the importer checks at the border whatever the documents say."""

    percent: float
    note: str | None = None


@dataclass(frozen=True, slots=True)
class LegalSource:
    """Where the rule is written: the instrument, the article or annex entry, and a URL."""

    instrument: str
    reference: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class ImportPolicy:
    code: str
    importer: str  # an economy or a union
    hs_prefixes: tuple[str, ...]
    required_type: AttestationType
    excluded_hs_prefixes: tuple[str, ...] = ()
    required_tests: tuple[str, ...] = ()
    routes: tuple[Route, ...] = ()
    max_age_days: int | None = None
    lot_match: bool = False
    valid_from: date | None = None
    valid_to: date | None = None
    name: str | None = None
    provenance: Provenance = field(default_factory=Provenance)
    max_age_months: int | None = None  # of the first requirement
    additional_requirements: tuple[Requirement, ...] = ()  # requirements after the first, in policy order
    origins: tuple[str, ...] = ()  # exporters (economies or unions) it applies to; empty: every exporter
    border_checks: BorderChecks | None = None
    legal_source: LegalSource | None = None

    @property
    def requirements(self) -> tuple[Requirement, ...]:
        """Every requirement, in policy order. The flat fields are the first one, so a policy with one
        requirement reads (and is stored and exported) exactly as before policies had several."""
        first = Requirement(self.required_type, self.required_tests, self.routes, self.max_age_days,
                            self.max_age_months, self.lot_match)
        return (first, *self.additional_requirements)


@dataclass(frozen=True, slots=True)
class ListEntry:
    """A CAB on an importer's acceptance list over an interval, for an activity and a scope (matched as an
    accreditation's scope is)."""

    acceptance_list: str
    cab: str
    activity: Activity | None
    valid_from: date | None
    valid_to: date | None
    scope: tuple[ScopeItem, ...] = ()
    provenance: Provenance = field(default_factory=Provenance)


@dataclass(frozen=True, slots=True)
class AcceptanceList:
    """An importing regulator's own list of accepted bodies (a product-safety regulator's accepted laboratories),
    kept on top of accreditation; its owner (an economy or union) may write it."""

    code: str
    name: str
    owner: str
    entries: tuple[ListEntry, ...] = ()
    provenance: Provenance = field(default_factory=Provenance)


@dataclass(frozen=True, slots=True)
class Registry:
    """Everything the engine may read, at one registry version."""

    version: int
    unions: tuple[Union, ...] = ()
    arrangements: tuple[Arrangement, ...] = ()
    accreditation_bodies: tuple[AccreditationBody, ...] = ()
    cabs: tuple[ConformityAssessmentBody, ...] = ()
    policies: tuple[ImportPolicy, ...] = ()
    lookalike_bodies: tuple[LookalikeBody, ...] = ()
    declarations: tuple[CompletenessDeclaration, ...] = ()
    acceptance_lists: tuple[AcceptanceList, ...] = ()
