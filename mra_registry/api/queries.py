"""Registry browsing: look-ups by natural code beside `node(id:)`, Relay connections with filters and
`asOf`, the registry version, and the change feed."""
from __future__ import annotations

import graphene
from sqlalchemy.orm import Session

from ..store import declaration_queries as dq
from ..store import requirement_queries as rq
from ..store import queries as q
from ..store.mapping import registry_version
from . import enums
from .changes import ChangeRecord, changes_field, resolve_changes
from .declaration_types import CompletenessDeclaration, LookalikeBody
from .pagination import CountableConnection, connection, connection_args, offset_window
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


async def _list(info, connection_type, loader, query_and_column, first, after, last=None, before=None):
    """One query for the page of codes, one batch for the entities, one more for totalCount if asked (or for the
    list's end when paging backwards from it)."""
    query, column = query_and_column
    engine = info.context.engine

    def count() -> int:
        with Session(engine) as session:
            return q.count(session, query, column)

    window = offset_window(first, after, last, before, count)
    with Session(engine) as session:
        page = q.page(session, query, column, window.offset, window.limit)
    nodes = [node for node in await loader.load_many(page.codes) if node is not None]
    return connection(connection_type, nodes, window.offset, window.more_after(page.has_next), count,
                      window.has_previous)


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
    async def resolve_economy(root, info, code):
        return await info.context.loaders.economy.load(code)

    @staticmethod
    async def resolve_economies(root, info, first=None, after=None, last=None, before=None, search=None, **_):
        return await _list(info, EconomyConnection, info.context.loaders.economy, q.economies_query(search),
                           first, after, last, before)

    @staticmethod
    async def resolve_union(root, info, code):
        return await info.context.loaders.union.load(code)

    @staticmethod
    async def resolve_unions(root, info, first=None, after=None, last=None, before=None, **_):
        return await _list(info, UnionConnection, info.context.loaders.union, q.unions_query(), first, after, last, before)

    @staticmethod
    async def resolve_arrangement(root, info, code):
        return await info.context.loaders.arrangement.load(code)

    @staticmethod
    async def resolve_arrangements(root, info, first=None, after=None, last=None, before=None, kind=None, party=None, **_):
        return await _list(info, ArrangementConnection, info.context.loaders.arrangement,
                           q.arrangements_query(enums.value(kind), party), first, after, last, before)

    @staticmethod
    async def resolve_accreditation_body(root, info, code):
        return await info.context.loaders.accreditation_body.load(code)

    @staticmethod
    async def resolve_accreditation_bodies(root, info, first=None, after=None, last=None, before=None, economy=None, arrangement=None,
                                           activity=None, status=None, as_of=None, **_):
        query = q.bodies_query(economy, arrangement, enums.value(activity), enums.value(status), as_of)
        return await _list(info, AccreditationBodyConnection, info.context.loaders.accreditation_body, query,
                           first, after, last, before)

    @staticmethod
    async def resolve_conformity_assessment_body(root, info, code):
        return await info.context.loaders.cab.load(code)

    @staticmethod
    async def resolve_conformity_assessment_bodies(root, info, first=None, after=None, last=None, before=None, economy=None, kind=None,
                                                   accreditation_body=None, activity=None, as_of=None, **_):
        query = q.cabs_query(economy, enums.value(kind), accreditation_body, enums.value(activity), as_of)
        return await _list(info, ConformityAssessmentBodyConnection, info.context.loaders.cab, query, first, after, last, before)

    @staticmethod
    async def resolve_import_policy(root, info, code):
        return await info.context.loaders.policy.load(code)

    @staticmethod
    async def resolve_import_policies(root, info, first=None, after=None, last=None, before=None, importer=None, hs_code=None, as_of=None, **_):
        query = q.policies_query([importer] if importer else None, as_of, hs_code)
        return await _list(info, ImportPolicyConnection, info.context.loaders.policy, query, first, after, last, before)

    @staticmethod
    async def resolve_completeness_declaration(root, info, code):
        return await info.context.loaders.declaration.load(code)

    @staticmethod
    async def resolve_completeness_declarations(root, info, first=None, after=None, last=None, before=None, kind=None, importer=None,
                                                arrangement=None, accreditation_body=None, as_of=None, **_):
        query = dq.declarations_query(enums.value(kind), importer, arrangement, accreditation_body, as_of)
        return await _list(info, CompletenessDeclarationConnection, info.context.loaders.declaration, query,
                           first, after, last, before)

    @staticmethod
    async def resolve_lookalike_body(root, info, code):
        return await info.context.loaders.lookalike_body.load(code)

    @staticmethod
    async def resolve_lookalike_bodies(root, info, first=None, after=None, last=None, before=None, economy=None, **_):
        return await _list(info, LookalikeBodyConnection, info.context.loaders.lookalike_body,
                           dq.lookalikes_query(economy), first, after, last, before)

    @staticmethod
    async def resolve_acceptance_list(root, info, code):
        return await info.context.loaders.acceptance_list.load(code)

    @staticmethod
    async def resolve_acceptance_lists(root, info, first=None, after=None, last=None, before=None, owner=None, cab=None, **_):
        return await _list(info, AcceptanceListConnection, info.context.loaders.acceptance_list,
                           rq.acceptance_lists_query(owner, cab), first, after, last, before)

    resolve_changes = staticmethod(resolve_changes)


__all__ = ["RegistryQueries", "ChangeRecord"]
