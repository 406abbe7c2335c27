"""The change log as a read-only feed: per object or for the whole registry. Nothing here can edit it."""
from __future__ import annotations

import graphene
from sqlalchemy.orm import Session

from ..store import queries as q
from .pagination import CountableConnection, connection, page_window
from .scalars import DateTime


class ChangeRecord(graphene.ObjectType):
    """One change: which object and which part of it, before and after, in which registry version, by whom."""

    version = graphene.Int(required=True, description="The registry version the change created.")
    entity_type = graphene.String(required=True)
    entity_code = graphene.String(required=True)
    facet = graphene.String(required=True, description="Which part changed, e.g. 'statuses ILAC_MRA/TESTING/-'.")
    action = graphene.String(required=True, description="CREATE or UPDATE (nothing is ever deleted).")
    before = graphene.JSONString()
    after = graphene.JSONString()
    at = DateTime(required=True)
    actor = graphene.String(description="Who wrote it: a token's id, or 'cli'.")
    role = graphene.String()
    request_id = graphene.String()
    message = graphene.String()

    @staticmethod
    def _record(parent):
        return parent[0]

    @staticmethod
    def resolve_version(parent, info):
        return parent[0].version

    @staticmethod
    def resolve_entity_type(parent, info):
        return parent[0].entity_type

    @staticmethod
    def resolve_entity_code(parent, info):
        return parent[0].entity_code

    @staticmethod
    def resolve_facet(parent, info):
        return parent[0].facet

    @staticmethod
    def resolve_action(parent, info):
        return parent[0].action

    @staticmethod
    def resolve_before(parent, info):
        return parent[0].before

    @staticmethod
    def resolve_after(parent, info):
        return parent[0].after

    @staticmethod
    def resolve_at(parent, info):
        return parent[1].created_at

    @staticmethod
    def resolve_actor(parent, info):
        return parent[1].actor

    @staticmethod
    def resolve_role(parent, info):
        return parent[1].role

    @staticmethod
    def resolve_request_id(parent, info):
        return parent[1].request_id

    @staticmethod
    def resolve_message(parent, info):
        return parent[1].message


class ChangeRecordConnection(CountableConnection):
    class Meta:
        node = ChangeRecord


def resolve_changes(root, info, first=None, after=None, entity_type=None, entity_code=None, since_version=None, **_):
    offset, limit = page_window(first, after)
    engine = info.context.engine
    with Session(engine) as session:
        rows, has_next = q.change_records(session, entity_type, entity_code, since_version, offset, limit)

    def count() -> int:
        with Session(engine) as session:
            return q.change_records_count(session, entity_type, entity_code, since_version)

    return connection(ChangeRecordConnection, rows, offset, has_next, count)
