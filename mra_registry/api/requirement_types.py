"""Policy model v2 in the API (RULES.md, "Policies with several requirements…" and step 7): a policy's
requirements, border checks and legal source; a regulatory authority's competences; importers' acceptance lists
and their entries."""
from __future__ import annotations

import graphene

from ..domain import model
from ..domain.intervals import holds_on
from . import enums
from .pagination import NestedConnection
from .registry_types import (
    CodedNode,
    ConformityAssessmentBody,
    DatedFields,
    PolicyRoute,
    ProvenanceFields,
    RegistryNode,
    ScopeItemConnection,
    _connection_field,
    _row_version,
    _version_field,
    registry,
)
from .pagination import list_connection
from .scalars import Date, HsPrefix, PartyCode


class PolicyRequirement(graphene.ObjectType):
    """One document a policy asks for; a policy's requirements all apply together."""

    type = graphene.Field(enums.AttestationType, required=True, description="The attestation type it asks for.")
    required_tests = graphene.List(graphene.NonNull(graphene.String), required=True,
                                   description="Methods or schemes the document must cover.")
    routes = graphene.List(graphene.NonNull(PolicyRoute), required=True,
                           description="In order; empty: only domestic bodies are accepted.")
    max_age_days = graphene.Int(description="Maximum age in days; null: no limit in days.")
    max_age_months = graphene.Int(description="Maximum age in calendar months (the day clamped to the month's end); "
                                  "null: no limit in months.")
    lot_match = graphene.Boolean(required=True, description="The document must name the consignment's lot.")

    @staticmethod
    def resolve_type(parent: model.Requirement, info):
        return parent.required_type


class BorderChecks(graphene.ObjectType):
    """The share of consignments the importer checks at the border whatever the documents say."""

    percent = graphene.Float(required=True, description="0 to 100.")
    note = graphene.String()


class LegalSource(graphene.ObjectType):
    """Where the rule is written."""

    instrument = graphene.String(required=True, description="The law or regulation.")
    reference = graphene.String(description="The article or annex entry.")
    url = graphene.String()


class Competence(ProvenanceFields, DatedFields, graphene.ObjectType):
    """A regulatory authority's competence, over an interval, to issue a kind of official attestation for the goods
    its HS prefixes cover (RULES.md, official-certificate route)."""

    kind = graphene.Field(enums.CompetenceKind, required=True)
    hs_prefixes = graphene.List(graphene.NonNull(HsPrefix), required=True)
    excluded_hs_prefixes = graphene.List(graphene.NonNull(HsPrefix), required=True)
    authority = graphene.Field(ConformityAssessmentBody, required=True)

    @staticmethod
    def resolve_authority(parent: model.Competence, info):
        return registry(info).cabs.get(parent.cab)


class CompetenceConnection(NestedConnection):
    class Meta:
        node = Competence


def competences_field():
    return _connection_field(CompetenceConnection, "Regulatory authorities only: what it is competent to attest, "
                             "by HS code, over dated intervals.", as_of=Date(description="Holding on this date."))


def resolve_competences(parent: model.ConformityAssessmentBody, info, as_of=None, first=None, after=None):
    return list_connection(CompetenceConnection, [c for c in parent.competences if as_of is None or holds_on(c, as_of)],
                           first, after)


class ListEntry(ProvenanceFields, DatedFields, graphene.ObjectType):
    """A CAB on an importer's acceptance list for an activity and a scope, over an interval."""

    list = graphene.Field(lambda: AcceptanceList, required=True)
    cab = graphene.Field(ConformityAssessmentBody, required=True)
    activity = graphene.Field(enums.Activity, description="Null where the list does not say.")
    scope = _connection_field(ScopeItemConnection)

    @staticmethod
    def resolve_list(parent: model.ListEntry, info):
        return registry(info).acceptance_lists.get(parent.acceptance_list)

    @staticmethod
    def resolve_cab(parent: model.ListEntry, info):
        return registry(info).cabs.get(parent.cab)

    @staticmethod
    def resolve_scope(parent: model.ListEntry, info, first=None, after=None):
        return list_connection(ScopeItemConnection, parent.scope, first, after)


class ListEntryConnection(NestedConnection):
    class Meta:
        node = ListEntry


class AcceptanceList(CodedNode, ProvenanceFields, graphene.ObjectType):
    """An importing regulator's own list of accepted bodies (a product-safety regulator's accepted laboratories),
    kept on top of accreditation: a LIST route recognises a document of a CAB on it on the issue date."""

    class Meta:
        interfaces = (RegistryNode,)

    code = graphene.String(required=True)
    version = _version_field()
    name = graphene.String(required=True)
    owner = graphene.Field(PartyCode, required=True, description="The importing economy or union whose regulator "
                           "keeps the list (and may write it).")
    entries = _connection_field(ListEntryConnection, as_of=Date(description="Entries holding on this date."),
                                cab=graphene.String(description="Only this CAB's entries."))

    entity = model.AcceptanceList
    listing = "acceptance_lists"

    @staticmethod
    def resolve_version(parent, info):
        return _row_version(info, "AcceptanceList", parent.code)

    @staticmethod
    def resolve_entries(parent: model.AcceptanceList, info, as_of=None, cab=None, first=None, after=None):
        return list_connection(ListEntryConnection, [
            e for e in parent.entries if (as_of is None or holds_on(e, as_of)) and (cab is None or e.cab == cab)
        ], first, after)
