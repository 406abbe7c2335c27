"""What the registry knows it holds whole, and what it knows is not an accreditation body: completeness
declarations, look-alike bodies, and the days accreditation arrangements began to cover each activity (from
which a status with no known start holds)."""
from __future__ import annotations

import graphene

from ..domain import model
from . import enums
from .pagination import NestedConnection
from .registry_types import (
    AccreditationBody,
    Arrangement,
    CodedNode,
    DatedFields,
    Economy,
    ProvenanceFields,
    RegistryNode,
    Sector,
    _row_version,
    _version_field,
    registry,
)
from .scalars import Date, HsPrefix, PartyCode


class ActivityStart(ProvenanceFields, graphene.ObjectType):
    """The first day an accreditation arrangement covers an activity: no body holds a status for it there before."""

    activity = graphene.Field(enums.Activity, required=True)
    valid_from = Date(required=True, description="First day the arrangement covers the activity.")


class ActivityStartConnection(NestedConnection):
    class Meta:
        node = ActivityStart


class LookalikeBody(CodedNode, ProvenanceFields, graphene.ObjectType):
    """A body that presents itself as an accreditation body and is recorded as not being one (an "accreditation
    forum"): an attestation claiming it is refuted."""

    class Meta:
        interfaces = (RegistryNode,)

    code = graphene.String(required=True)
    version = _version_field()
    name = graphene.String(required=True)
    economy = graphene.Field(Economy, description="Null where not known.")

    entity = model.LookalikeBody
    listing = "lookalike_bodies"

    @staticmethod
    def resolve_version(parent, info):
        return _row_version(info, "LookalikeBody", parent.code)

    @staticmethod
    def resolve_economy(parent, info):
        return registry(info).economies.get(parent.economy) if parent.economy else None


class CompletenessDeclaration(CodedNode, ProvenanceFields, DatedFields, graphene.ObjectType):
    """The registry holds every record of `kind` within this range, so inside it the absence of a record is a
    fact. Only the range fields of its kind are set: IMPORT_POLICIES `importer`, `hsPrefixes` (empty: every
    code), `excludedHsPrefixes`, `includesMembers`; SIGNATORIES `arrangement`, `activities` (empty: every
    activity); ACCREDITATIONS `accreditationBody`; DESIGNATIONS `arrangement`, `sector` and `party` (null: all);
    LIST_ENTRIES `list`; ACCREDITATION_BODIES and CABS none."""

    class Meta:
        interfaces = (RegistryNode,)

    code = graphene.String(required=True)
    version = _version_field()
    kind = graphene.Field(enums.CompletenessKind, required=True)
    importer = graphene.Field(PartyCode, description="IMPORT_POLICIES: the importing economy or union.")
    hs_prefixes = graphene.List(graphene.NonNull(HsPrefix), required=True,
                                description="IMPORT_POLICIES: the codes covered; empty: every code.")
    excluded_hs_prefixes = graphene.List(graphene.NonNull(HsPrefix), required=True)
    includes_members = graphene.Boolean(required=True, description="IMPORT_POLICIES of a union: it also stands "
                                        "for its members' own national rules.")
    arrangement = graphene.Field(Arrangement, description="SIGNATORIES or DESIGNATIONS: the arrangement.")
    activities = graphene.List(graphene.NonNull(enums.Activity), required=True,
                               description="SIGNATORIES: the activities covered; empty: every activity.")
    accreditation_body = graphene.Field(AccreditationBody, description="ACCREDITATIONS: whose accreditations.")
    sector = graphene.Field(Sector, description="DESIGNATIONS: the sector; null: every sector of the arrangement.")
    party = graphene.Field(PartyCode, description="DESIGNATIONS: the party designated for; null: both parties.")
    list = graphene.String(description="LIST_ENTRIES: the code of the importer's acceptance list.")

    entity = model.CompletenessDeclaration
    listing = "declarations"

    @staticmethod
    def resolve_version(parent, info):
        return _row_version(info, "CompletenessDeclaration", parent.code)

    @staticmethod
    def resolve_arrangement(parent, info):
        return registry(info).arrangements.get(parent.arrangement) if parent.arrangement else None

    @staticmethod
    def resolve_accreditation_body(parent, info):
        if not parent.accreditation_body:
            return None
        return registry(info).accreditation_bodies.get(parent.accreditation_body)

    @staticmethod
    def resolve_sector(parent, info):
        if not (parent.arrangement and parent.sector):
            return None
        return registry(info).sector(parent.arrangement, parent.sector)

    @staticmethod
    def resolve_list(parent, info):
        return parent.acceptance_list
