"""The registry's GraphQL object types. They are backed by the domain's immutable entities, whether those come
from browsing's read model (store/browse_model.py) or from the snapshot a decision was made on; the objects they
lead to (an arrangement by its code, a body's economy, ...) are looked up in the read model of the registry
version the request reads, synchronously."""
from __future__ import annotations


import graphene

from ..domain import model
from ..store import browse_model
from . import enums
from .credential_fields import CabCredentialFields
from .pagination import NestedConnection, list_connection
from .scalars import Date, HsPrefix, PartyCode
# the shared building blocks live in node_types; other type modules import them from here too
from .node_types import (  # noqa: F401
    CodedNode,
    DatedFields,
    KeyedNode,
    ProvenanceFields,
    RegistryNode,
    _connection_field,
    _filter_dated,
    _row_version,
    _version_field,
    registry,
)


def _declaration_types():
    """The types of api/declaration_types.py, which build on these (imported late: it imports this module)."""
    from . import declaration_types

    return declaration_types


def _requirement_types():
    """The types of api/requirement_types.py, which build on these (imported late: it imports this module)."""
    from . import requirement_types

    return requirement_types


class Economy(CodedNode, graphene.ObjectType):
    """An economy (ISO 3166-1 alpha-2)."""

    class Meta:
        interfaces = (RegistryNode,)

    code = graphene.String(required=True)
    name = graphene.String(required=True)
    union_memberships = _connection_field(lambda: UnionMembershipConnection,
                                          as_of=Date(description="Only memberships holding on this date."))

    entity = browse_model.Economy
    listing = "economies"

    @staticmethod
    def resolve_union_memberships(parent, info, as_of=None, first=None, after=None):
        memberships = registry(info).memberships_of(parent.code)
        return list_connection(UnionMembershipConnection, _filter_dated(memberships, as_of), first, after)


class UnionMembership(ProvenanceFields, DatedFields, graphene.ObjectType):
    union = graphene.Field(lambda: Union, required=True)
    economy = graphene.Field(Economy, required=True)

    @staticmethod
    def resolve_union(parent, info):
        return registry(info).unions.get(parent.union)

    @staticmethod
    def resolve_economy(parent, info):
        return registry(info).economies.get(parent.economy)


class UnionMembershipConnection(NestedConnection):
    class Meta:
        node = UnionMembership


class Union(CodedNode, ProvenanceFields, graphene.ObjectType):
    """A single-market union (`EU`) and its members over time."""

    class Meta:
        interfaces = (RegistryNode,)

    code = graphene.String(required=True)
    name = graphene.String(required=True)
    memberships = _connection_field(UnionMembershipConnection,
                                    as_of=Date(description="Only memberships holding on this date."))

    entity = model.Union
    listing = "unions"

    @staticmethod
    def resolve_memberships(parent, info, as_of=None, first=None, after=None):
        return list_connection(UnionMembershipConnection, _filter_dated(parent.memberships, as_of), first, after)


class SectorOperation(ProvenanceFields, DatedFields, graphene.ObjectType):
    """A type of attestation operational under a sector between two parties."""

    parties = graphene.List(graphene.NonNull(PartyCode), required=True)
    attestation_type = graphene.Field(enums.AttestationType, required=True)

    @staticmethod
    def resolve_parties(parent, info):
        return sorted(parent.parties)


class SectorOperationConnection(NestedConnection):
    class Meta:
        node = SectorOperation


class SectorTermination(ProvenanceFields, graphene.ObjectType):
    effective = Date(required=True, description="First day the sector no longer applies.")
    voids_existing = graphene.Boolean(required=True, description="Attestations issued before are void too.")


class Sector(KeyedNode, ProvenanceFields, graphene.ObjectType):
    """A sectoral annex or chapter of a government arrangement."""

    class Meta:
        interfaces = (RegistryNode,)

    entity = model.Sector
    key_parts = 2

    @staticmethod
    def key(sector):
        return [sector.arrangement, sector.code]

    @staticmethod
    def find(info, arrangement_code, code):
        return registry(info).sector(arrangement_code, code)

    code = graphene.String(required=True)
    name = graphene.String(required=True)
    hs_prefixes = graphene.List(graphene.NonNull(HsPrefix), required=True)
    excluded_hs_prefixes = graphene.List(graphene.NonNull(HsPrefix), required=True)
    attestation_types = graphene.List(graphene.NonNull(enums.AttestationType), required=True)
    operations = _connection_field(SectorOperationConnection, as_of=Date())
    termination = graphene.Field(SectorTermination)
    arrangement = graphene.Field(lambda: Arrangement, required=True)

    @staticmethod
    def resolve_operations(parent, info, as_of=None, first=None, after=None):
        return list_connection(SectorOperationConnection, _filter_dated(parent.operations, as_of), first, after)

    @staticmethod
    def resolve_arrangement(parent, info):
        return registry(info).arrangements.get(parent.arrangement)


class SectorConnection(NestedConnection):
    class Meta:
        node = Sector


class SignatoryStatusRecord(ProvenanceFields, DatedFields, graphene.ObjectType):
    """One dated status of an accreditation body in an arrangement for an activity."""

    class Meta:
        name = "SignatoryStatusRecord"

    accreditation_body = graphene.Field(lambda: AccreditationBody, required=True)
    arrangement = graphene.Field(lambda: Arrangement, required=True)
    activity = graphene.Field(enums.Activity, description="Null when the source does not say for which activity.")
    standard = graphene.String(description="A standard within the activity (an IAF sub-scope such as ISO 9001).")
    status = graphene.Field(enums.SignatoryStatus, required=True)
    reported_since = graphene.String(description="A partial start date as the source gives it, when no full date is known.")
    carried_over = graphene.Boolean(
        required=True, description="True for a status continued from a superseded arrangement (RULES.md step 7 "
        "succession): the status the body held there the day before the succession, from the succession date until "
        "its first own event here; validFrom and validTo give that window.")
    carried_from = graphene.Field(lambda: Arrangement, description="The superseded arrangement a carried-over status "
                                                                   "comes from.")
    carried_record = graphene.Field(lambda: SignatoryStatusRecord, description="The record of the superseded "
                                                                              "arrangement a carried-over status continues.")

    @staticmethod
    def resolve_carried_over(parent, info):
        return getattr(parent, "carried_from", None) is not None

    @staticmethod
    def resolve_carried_from(parent, info):
        code = getattr(parent, "carried_from", None)
        return registry(info).arrangements.get(code) if code else None

    @staticmethod
    def resolve_carried_record(parent, info):
        return getattr(parent, "source", None)

    @staticmethod
    def resolve_accreditation_body(parent, info):
        return registry(info).accreditation_bodies.get(parent.accreditation_body)

    @staticmethod
    def resolve_arrangement(parent, info):
        return registry(info).arrangements.get(parent.arrangement)


class SignatoryStatusRecordConnection(NestedConnection):
    class Meta:
        node = SignatoryStatusRecord


class Arrangement(CodedNode, ProvenanceFields, DatedFields, graphene.ObjectType):
    """An accreditation arrangement (ILAC MRA, IAF MLA, Global ACI, regional), a government MRA, or an SPS
    equivalence agreement."""

    class Meta:
        interfaces = (RegistryNode,)

    code = graphene.String(required=True)
    name = graphene.String(required=True)
    kind = graphene.Field(enums.ArrangementKind, required=True)
    superseded_by = graphene.Field(lambda: Arrangement)
    superseded_on = Date()
    region = graphene.String()
    activities = graphene.List(graphene.NonNull(enums.Activity), required=True)
    parties = graphene.List(graphene.NonNull(PartyCode), required=True)
    sectors = _connection_field(SectorConnection)
    hs_prefixes = graphene.List(graphene.NonNull(HsPrefix), required=True,
                                description="SPS equivalence: the HS codes it replaces the importer's testing for.")
    excluded_hs_prefixes = graphene.List(graphene.NonNull(HsPrefix), required=True)
    activity_starts = _connection_field(
        lambda: _declaration_types().ActivityStartConnection,
        description="Accreditation arrangements: the day it began to cover each activity (where recorded); a status "
                    "whose start is not known holds from it, or from the arrangement's start.")
    signatory_list_url = graphene.String(description="Where the arrangement's secretariat publishes its signatories.")
    signatories = _connection_field(
        SignatoryStatusRecordConnection,
        activity=enums.Activity(), as_of=Date(description="Statuses holding on this date (default: all history)."),
        status=enums.SignatoryStatus(),
        description="Status records of the bodies in this arrangement, per activity, optionally on one date; with "
                    "the statuses continued from the arrangements it superseded (carriedOver), as decisions read them.",
    )

    entity = model.Arrangement
    listing = "arrangements"

    @staticmethod
    def resolve_superseded_by(parent, info):
        if not parent.superseded_by:
            return None
        return registry(info).arrangements.get(parent.superseded_by)

    @staticmethod
    def resolve_sectors(parent, info, first=None, after=None):
        return list_connection(SectorConnection, parent.sectors, first, after)

    @staticmethod
    def resolve_activity_starts(parent, info, first=None, after=None):
        return list_connection(_declaration_types().ActivityStartConnection, parent.activity_starts, first, after)

    @staticmethod
    def resolve_signatories(parent, info, activity=None, as_of=None, status=None, first=None, after=None):
        read = registry(info)
        activity_code = enums.value(activity)
        records = read.signatories(parent.code, activity_code, as_of)
        if parent.kind.is_accreditation:  # with the statuses continued from the arrangements it superseded
            records += read.carried_statuses(parent.code, activity_code, as_of)
        wanted = enums.value(status)
        return list_connection(SignatoryStatusRecordConnection,
                               [r for r in records if wanted is None or r.status.value == wanted], first, after)


class AccreditationBody(CodedNode, ProvenanceFields, graphene.ObjectType):
    """An accreditation body and its dated signatory statuses."""

    class Meta:
        interfaces = (RegistryNode,)

    code = graphene.String(required=True)
    version = _version_field()
    name = graphene.String(required=True)
    economy = graphene.Field(Economy, description="Null where the sources do not say.")
    region = graphene.String()
    directory_url = graphene.String(description="Its public directory of the bodies it accredits: where to verify "
                                                "an accreditation.")
    statuses = _connection_field(
        SignatoryStatusRecordConnection,
        arrangement=graphene.String(), activity=enums.Activity(), as_of=Date(),
        description="Status history per arrangement and activity (filter to one date with asOf).",
    )

    entity = model.AccreditationBody
    listing = "accreditation_bodies"

    @staticmethod
    def resolve_version(parent, info):
        return _row_version(info, "AccreditationBody", parent.code)

    @staticmethod
    def resolve_economy(parent, info):
        return registry(info).economies.get(parent.economy) if parent.economy else None

    @staticmethod
    def resolve_statuses(parent, info, arrangement=None, activity=None, as_of=None, first=None, after=None):
        if arrangement is None and activity is None and as_of is None:  # the common case: no filter, no copy
            return list_connection(SignatoryStatusRecordConnection, parent.statuses, first, after)
        activity_code = enums.value(activity)
        statuses = _filter_dated(parent.statuses, as_of)
        if arrangement is not None or activity_code is not None:
            statuses = [s for s in statuses if (arrangement is None or s.arrangement == arrangement)
                        and (activity_code is None or (s.activity and s.activity.value == activity_code))]
        return list_connection(SignatoryStatusRecordConnection, statuses, first, after)


class ScopeItem(graphene.ObjectType):
    identifier = graphene.String(required=True, description="A method or scheme, e.g. ISO 11290-1 or ISO 9001.")
    hs_prefixes = graphene.List(graphene.NonNull(HsPrefix), required=True,
                                description="Products covered; empty means every product.")
    excluded_hs_prefixes = graphene.List(graphene.NonNull(HsPrefix), required=True)


class ScopeItemConnection(NestedConnection):
    class Meta:
        node = ScopeItem


class Suspension(DatedFields, graphene.ObjectType):
    note = graphene.String()


class SuspensionConnection(NestedConnection):
    class Meta:
        node = Suspension


class Accreditation(KeyedNode, ProvenanceFields, DatedFields, graphene.ObjectType):
    """A CAB's accreditation, known by its accreditation body and number."""

    class Meta:
        interfaces = (RegistryNode,)

    entity = model.Accreditation
    key_parts = 3

    @staticmethod
    def key(accreditation):
        return [accreditation.cab, accreditation.accreditation_body, accreditation.number]

    @staticmethod
    def find(info, cab_code, body, number):
        cab = registry(info).cabs.get(cab_code)
        return next((a for a in (cab.accreditations if cab else ()) if (a.accreditation_body, a.number) == (body, number)),
                    None)

    number = graphene.String(required=True)
    accreditation_body = graphene.Field(AccreditationBody, required=True)
    activity = graphene.Field(enums.Activity, required=True)
    withdrawn_on = Date()
    suspensions = _connection_field(SuspensionConnection)
    scope = _connection_field(ScopeItemConnection)
    active_on = graphene.Boolean(required=True, date=Date(required=True),
                                 description="Granted, not suspended, withdrawn or expired on that date.")

    @staticmethod
    def resolve_accreditation_body(parent, info):
        return registry(info).accreditation_bodies.get(parent.accreditation_body)

    @staticmethod
    def resolve_suspensions(parent, info, first=None, after=None):
        return list_connection(SuspensionConnection, parent.suspensions, first, after)

    @staticmethod
    def resolve_scope(parent, info, first=None, after=None):
        return list_connection(ScopeItemConnection, parent.scope, first, after)

    @staticmethod
    def resolve_active_on(parent: model.Accreditation, info, date):
        return parent.active_on(date)


class AccreditationConnection(NestedConnection):
    class Meta:
        node = Accreditation


class Designation(ProvenanceFields, DatedFields, graphene.ObjectType):
    """A CAB designated under a government arrangement's sector, to assess against one party's rules."""

    arrangement = graphene.Field(Arrangement, required=True)
    sector = graphene.Field(Sector, required=True)
    for_party = graphene.Field(PartyCode, required=True)
    attestation_types = graphene.List(graphene.NonNull(enums.AttestationType), required=True,
                                      description="Empty: every type the sector covers.")

    @staticmethod
    def resolve_arrangement(parent, info):
        return registry(info).arrangements.get(parent.arrangement)

    @staticmethod
    def resolve_sector(parent, info):
        return registry(info).sector(parent.arrangement, parent.sector)


class DesignationConnection(NestedConnection):
    class Meta:
        node = Designation


class ConformityAssessmentBody(CodedNode, ProvenanceFields, CabCredentialFields, graphene.ObjectType):
    """A laboratory, inspection body, certification body or regulatory authority."""

    class Meta:
        interfaces = (RegistryNode,)

    code = graphene.String(required=True)
    version = _version_field()
    name = graphene.String(required=True)
    economy = graphene.Field(Economy, required=True)
    kinds = graphene.List(graphene.NonNull(enums.CabKind), required=True)
    accreditations = _connection_field(AccreditationConnection, as_of=Date(), activity=enums.Activity(),
                                       accreditation_body=graphene.String())
    designations = _connection_field(DesignationConnection, as_of=Date(), arrangement=graphene.String())
    competences = _connection_field(
        lambda: _requirement_types().CompetenceConnection, as_of=Date(description="Holding on this date."),
        description="A regulatory authority's competences: what it may attest by official certificate, by HS code.")

    entity = model.ConformityAssessmentBody
    listing = "cabs"

    @staticmethod
    def resolve_version(parent, info):
        return _row_version(info, "ConformityAssessmentBody", parent.code)

    @staticmethod
    def resolve_economy(parent, info):
        return registry(info).economies.get(parent.economy)

    @staticmethod
    def resolve_accreditations(parent, info, as_of=None, activity=None, accreditation_body=None, first=None,
                               after=None):
        activity_code = enums.value(activity)
        return list_connection(AccreditationConnection, [
            a for a in parent.accreditations
            if (as_of is None or a.active_on(as_of))
            and (activity_code is None or a.activity.value == activity_code)
            and (accreditation_body is None or a.accreditation_body == accreditation_body)
        ], first, after)

    @staticmethod
    def resolve_competences(parent, info, as_of=None, first=None, after=None):
        return _requirement_types().resolve_competences(parent, info, as_of, first, after)

    @staticmethod
    def resolve_designations(parent, info, as_of=None, arrangement=None, first=None, after=None):
        return list_connection(DesignationConnection, [d for d in _filter_dated(parent.designations, as_of)
                                                       if arrangement is None or d.arrangement == arrangement],
                               first, after)


# Import policies live in policy_types; their names stay importable from here.
from .policy_types import ImportPolicy, PolicyRoute  # noqa: E402,F401
