"""The GraphQL types of import policies: a policy and the routes its (first) requirement accepts. Its other
requirements, border checks, legal source and acceptance lists are in requirement_types."""
from __future__ import annotations

import graphene

from ..domain import model
from . import enums
from .node_types import CodedNode, DatedFields, ProvenanceFields, RegistryNode, _row_version, _version_field, registry
from .scalars import HsPrefix, PartyCode


def _requirement_types():
    """api/requirement_types.py builds on registry types (imported late to keep the import order acyclic)."""
    from . import requirement_types

    return requirement_types


class PolicyRoute(graphene.ObjectType):
    """A recognition route a policy accepts; a government route naming no arrangement accepts any between the parties;
    a LIST route names the importer's acceptance list; OFFICIAL_CERTIFICATE and ANY routes name nothing."""

    kind = graphene.Field(enums.RouteKind, required=True)
    arrangements = graphene.List(graphene.NonNull(graphene.String), required=True,
                                 description="Arrangement codes (ARRANGEMENT and GOVERNMENT routes).")
    list = graphene.Field(lambda: _requirement_types().AcceptanceList,
                          description="The importer's acceptance list of a LIST route.")
    label = graphene.String(required=True)

    @staticmethod
    def resolve_list(parent: model.Route, info):
        if not parent.acceptance_list:
            return None
        return registry(info).acceptance_lists.get(parent.acceptance_list)

    @staticmethod
    def resolve_label(parent: model.Route, info):
        return parent.label()


class ImportPolicy(CodedNode, ProvenanceFields, DatedFields, graphene.ObjectType):
    """What an importing economy (or union) requires for some HS codes (from some origins), and which routes it
    accepts, in order. `requirements` lists every document it asks for; `requiredType`, `requiredTests`, `routes`,
    `maxAgeDays`, `maxAgeMonths` and `lotMatch` are its first requirement's."""

    class Meta:
        interfaces = (RegistryNode,)

    code = graphene.String(required=True)
    version = _version_field()
    name = graphene.String()
    importer = graphene.Field(PartyCode, required=True)
    hs_prefixes = graphene.List(graphene.NonNull(HsPrefix), required=True)
    excluded_hs_prefixes = graphene.List(graphene.NonNull(HsPrefix), required=True)
    required_type = graphene.Field(enums.AttestationType, required=True,
                                   description="The first requirement's attestation type.")
    required_tests = graphene.List(graphene.NonNull(graphene.String), required=True,
                                   description="The first requirement's tests or scheme.")
    routes = graphene.List(graphene.NonNull(PolicyRoute), required=True,
                           description="The first requirement's routes, in order; empty: only domestic bodies are "
                                       "accepted.")
    max_age_days = graphene.Int(description="The first requirement's age limit in days; null: none in days.")
    max_age_months = graphene.Int(description="The first requirement's age limit in calendar months; null: none "
                                  "in months.")
    lot_match = graphene.Boolean(required=True, description="The first requirement asks for the consignment's lot.")
    requirements = graphene.List(graphene.NonNull(lambda: _requirement_types().PolicyRequirement), required=True,
                                 description="Every document the policy asks for, in order; all apply together.")
    origins = graphene.List(graphene.NonNull(PartyCode), required=True,
                            description="The exporters (economies or unions) it applies to; empty: every exporter.")
    border_checks = graphene.Field(lambda: _requirement_types().BorderChecks,
                                   description="The share of consignments checked at the border anyway.")
    legal_source = graphene.Field(lambda: _requirement_types().LegalSource, description="Where the rule is written.")

    entity = model.ImportPolicy
    listing = "policies"

    @staticmethod
    def resolve_version(parent, info):
        return _row_version(info, "ImportPolicy", parent.code)
