"""Registry browsing: look-ups by natural code beside `node(id:)`, Relay connections with filters and
`asOf`, the registry version, and the change feed.

The look-ups and lists read the registry version the request took (store/browse_model.py, swapped in with the
engine's snapshot), synchronously: no SQL, so they run on the event loop through the transport's compiled plan
(their root fields are in api/services.py's SNAPSHOT_ROOT_FIELDS). `registryVersion` and `changes` read the
database, off the loop."""
from __future__ import annotations

import graphene
from sqlalchemy.orm import Session

from ..store.mapping import registry_version
from . import enums
from .changes import ChangeRecord, changes_field, resolve_changes
from .declaration_types import CompletenessDeclaration, LookalikeBody
from .node_types import registry
from .pagination import CountableConnection, connection_args, list_connection
from .requirement_types import AcceptanceList
from .registry_types import (
    AccreditationBody,
    Arrangement,
    ConformityAssessmentBody,
    Economy,
    ImportPolicy,
    RegistryNode,
    Union,
)
from .scalars import CountryCode, Date, HsCode, PartyCode


class EconomyConnection(CountableConnection):
    class Meta:
        node = Economy


class UnionConnection(CountableConnection):
    class Meta:
        node = Union


class ArrangementConnection(CountableConnection):
    class Meta:
        node = Arrangement


class AccreditationBodyConnection(CountableConnection):
    class Meta:
        node = AccreditationBody


class ConformityAssessmentBodyConnection(CountableConnection):
    class Meta:
        node = ConformityAssessmentBody


class ImportPolicyConnection(CountableConnection):
    class Meta:
        node = ImportPolicy


class CompletenessDeclarationConnection(CountableConnection):
    class Meta:
        node = CompletenessDeclaration


class LookalikeBodyConnection(CountableConnection):
    class Meta:
        node = LookalikeBody


class AcceptanceListConnection(CountableConnection):
    class Meta:
        node = AcceptanceList


class RegistryQueries(graphene.ObjectType):
    node = RegistryNode.Field()
    registry_version = graphene.Int(required=True, description=(
        "The registry's latest committed version. Each decision reports the version it was made on: the same "
        "after a write through this server, and within about a second after a write through another one."))

    economy = graphene.Field(Economy, code=CountryCode(required=True))
    economies = graphene.Field(EconomyConnection, **connection_args(True, search=graphene.String()))
    union = graphene.Field(Union, code=PartyCode(required=True))
    unions = graphene.Field(UnionConnection, **connection_args(True))
    arrangement = graphene.Field(Arrangement, code=graphene.String(required=True))
    arrangements = graphene.Field(
        ArrangementConnection, **connection_args(True, kind=enums.ArrangementKind(), party=PartyCode()))
    accreditation_body = graphene.Field(AccreditationBody, code=graphene.String(required=True))
    accreditation_bodies = graphene.Field(
        AccreditationBodyConnection,
        **connection_args(True, economy=CountryCode(), arrangement=graphene.String(), activity=enums.Activity(),
                          status=enums.SignatoryStatus(),
                          as_of=Date(description="With arrangement/activity/status: holding that status on this date."))
    )
    conformity_assessment_body = graphene.Field(ConformityAssessmentBody, code=graphene.String(required=True))
    conformity_assessment_bodies = graphene.Field(
        ConformityAssessmentBodyConnection,
        **connection_args(True, economy=CountryCode(), kind=enums.CabKind(), accreditation_body=graphene.String(),
                          activity=enums.Activity(), as_of=Date(description="Holding a matching accreditation active on this date (in its validity, not withdrawn, not suspended), as the body's own `accreditations(asOf:)` lists them."))
    )
    import_policy = graphene.Field(ImportPolicy, code=graphene.String(required=True))
    import_policies = graphene.Field(
        ImportPolicyConnection,
        **connection_args(True, importer=PartyCode(), hs_code=HsCode(description="Only policies covering this code."),
                          as_of=Date(description="Only policies in force on this date."))
    )
    completeness_declaration = graphene.Field(CompletenessDeclaration, code=graphene.String(required=True))
    completeness_declarations = graphene.Field(
        CompletenessDeclarationConnection,
        **connection_args(True, kind=enums.CompletenessKind(), importer=PartyCode(), arrangement=graphene.String(),
                          accreditation_body=graphene.String(),
                          as_of=Date(description="Only declarations holding on this date.")),
        description="What the registry declares it holds whole (RULES.md, \"What the registry knows\"): inside a "
                    "declaration's range the absence of a record is a fact; outside every declaration it is unknown.",
    )
    lookalike_body = graphene.Field(LookalikeBody, code=graphene.String(required=True))
    lookalike_bodies = graphene.Field(
        LookalikeBodyConnection, **connection_args(True, economy=CountryCode()),
        description="Bodies recorded as not being accreditation bodies (\"accreditation forums\").",
    )
    acceptance_list = graphene.Field(AcceptanceList, code=graphene.String(required=True))
    acceptance_lists = graphene.Field(
        AcceptanceListConnection,
        **connection_args(True, owner=PartyCode(), cab=graphene.String(description="Only lists this CAB is on (any date).")),
        description="Importers' own lists of accepted bodies (the LIST route).",
    )
    changes = changes_field()

    @staticmethod
    def resolve_registry_version(root, info):
        with Session(info.context.engine) as session:
            return registry_version(session)

    @staticmethod
    def resolve_economy(root, info, code):
        return registry(info).economies.get(code)

    @staticmethod
    def resolve_economies(root, info, first=None, after=None, last=None, before=None, search=None, **_):
        return list_connection(EconomyConnection, registry(info).economy_list(search), first, after, last, before)

    @staticmethod
    def resolve_union(root, info, code):
        return registry(info).unions.get(code)

    @staticmethod
    def resolve_unions(root, info, first=None, after=None, last=None, before=None, **_):
        return list_connection(UnionConnection, registry(info).unions.items, first, after, last, before)

    @staticmethod
    def resolve_arrangement(root, info, code):
        return registry(info).arrangements.get(code)

    @staticmethod
    def resolve_arrangements(root, info, first=None, after=None, last=None, before=None, kind=None, party=None, **_):
        return list_connection(ArrangementConnection, registry(info).arrangement_list(enums.value(kind), party),
                               first, after, last, before)

    @staticmethod
    def resolve_accreditation_body(root, info, code):
        return registry(info).accreditation_bodies.get(code)

    @staticmethod
    def resolve_accreditation_bodies(root, info, first=None, after=None, last=None, before=None, economy=None,
                                     arrangement=None, activity=None, status=None, as_of=None, **_):
        bodies = registry(info).accreditation_body_list(economy, arrangement, enums.value(activity),
                                                        enums.value(status), as_of)
        return list_connection(AccreditationBodyConnection, bodies, first, after, last, before)

    @staticmethod
    def resolve_conformity_assessment_body(root, info, code):
        return registry(info).cabs.get(code)

    @staticmethod
    def resolve_conformity_assessment_bodies(root, info, first=None, after=None, last=None, before=None, economy=None,
                                             kind=None, accreditation_body=None, activity=None, as_of=None, **_):
        cabs = registry(info).cab_list(economy, enums.value(kind), accreditation_body, enums.value(activity), as_of)
        return list_connection(ConformityAssessmentBodyConnection, cabs, first, after, last, before)

    @staticmethod
    def resolve_import_policy(root, info, code):
        return registry(info).policies.get(code)

    @staticmethod
    def resolve_import_policies(root, info, first=None, after=None, last=None, before=None, importer=None,
                                hs_code=None, as_of=None, **_):
        return list_connection(ImportPolicyConnection, registry(info).policy_list(importer, hs_code, as_of),
                               first, after, last, before)

    @staticmethod
    def resolve_completeness_declaration(root, info, code):
        return registry(info).declarations.get(code)

    @staticmethod
    def resolve_completeness_declarations(root, info, first=None, after=None, last=None, before=None, kind=None,
                                          importer=None, arrangement=None, accreditation_body=None, as_of=None, **_):
        declarations = registry(info).declaration_list(enums.value(kind), importer, arrangement, accreditation_body,
                                                       as_of)
        return list_connection(CompletenessDeclarationConnection, declarations, first, after, last, before)

    @staticmethod
    def resolve_lookalike_body(root, info, code):
        return registry(info).lookalike_bodies.get(code)

    @staticmethod
    def resolve_lookalike_bodies(root, info, first=None, after=None, last=None, before=None, economy=None, **_):
        return list_connection(LookalikeBodyConnection, registry(info).lookalike_list(economy),
                               first, after, last, before)

    @staticmethod
    def resolve_acceptance_list(root, info, code):
        return registry(info).acceptance_lists.get(code)

    @staticmethod
    def resolve_acceptance_lists(root, info, first=None, after=None, last=None, before=None, owner=None, cab=None, **_):
        return list_connection(AcceptanceListConnection, registry(info).acceptance_list_list(owner, cab),
                               first, after, last, before)

    resolve_changes = staticmethod(resolve_changes)


__all__ = ["RegistryQueries", "ChangeRecord"]
