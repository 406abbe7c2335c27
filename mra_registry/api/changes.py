"""The change log as a read-only, resumable feed: per object or for the whole registry, oldest first. Nothing
here can edit it.

A cursor is a position in the registry's history (the registry version and the change within it), opaque but
stable: it names the same change for ever, so a client keeps the last `endCursor` it read and asks for
`after:` it later, whatever was written in between; `since:` a registry version starts after that version."""
from __future__ import annotations

import base64
import json

import graphene
from sqlalchemy.orm import Session

from ..store import changes as feed
from .pagination import DEFAULT_PAGE, MAX_PAGE, CountableConnection, check_direction, invalid_cursor, with_edges
from .scalars import JSON, DateTime

_PREFIX = "change:"


def encode_feed_cursor(version: int, record_id: int) -> str:
    return base64.urlsafe_b64encode(f"{_PREFIX}{version}:{record_id}".encode()).decode()


def decode_feed_cursor(cursor: str | None) -> feed.FeedKey | None:
    if cursor is None:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
        version, record = text[len(_PREFIX):].split(":")
        if text.startswith(_PREFIX) and version.isdigit() and record.isdigit():
            return int(version), int(record)
    except (ValueError, UnicodeDecodeError):
        pass
    raise invalid_cursor(cursor)


class ChangeRecord(graphene.ObjectType):
    """One change: which object and which part of it, before and after, in which registry version, by whom."""

    version = graphene.Int(required=True, description="The registry version the change created.")
    entity_type = graphene.String(required=True)
    entity_code = graphene.String(required=True)
    facet = graphene.String(required=True, description="Which part changed, e.g. 'statuses ILAC_MRA/TESTING/-'.")
    action = graphene.String(required=True, description="CREATE or UPDATE (nothing is ever deleted).")
    before = JSON(description="The part as it was (null for CREATE), as JSON.")
    after = JSON(description="The part as it is now, as JSON.")
    before_text = graphene.String(deprecation_reason="Use `before`, the same value as JSON rather than JSON text.",
                                  description="`before` encoded as JSON text.")
    after_text = graphene.String(deprecation_reason="Use `after`, the same value as JSON rather than JSON text.",
                                 description="`after` encoded as JSON text.")
    at = DateTime(required=True)
    actor = graphene.String(description="Who wrote it: a token's id, or 'cli'.")
    role = graphene.String()
    request_id = graphene.String()
    message = graphene.String()

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
    def resolve_before_text(parent, info):
        return _json_text(parent[0].before)

    @staticmethod
    def resolve_after_text(parent, info):
        return _json_text(parent[0].after)

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


def _json_text(value):
    return None if value is None else json.dumps(value)


class ChangeRecordConnection(CountableConnection):
    class Meta:
        node = ChangeRecord


def changes_field() -> graphene.Field:
    return graphene.Field(
        ChangeRecordConnection,
        first=graphene.Int(description=f"The next changes, oldest first; at most {MAX_PAGE} (default {DEFAULT_PAGE})."),
        after=graphene.String(description="A cursor from this feed: the changes written after it."),
        last=graphene.Int(description=f"The latest changes (before `before`, else the newest); at most {MAX_PAGE}. "
                                      "Not together with `first`."),
        before=graphene.String(description="A cursor from this feed: the changes written before it."),
        entity_type=graphene.String(),
        entity_code=graphene.String(),
        since=graphene.Int(description="Only changes made after this registry version (a decision's "
                                       "`registryVersion`, or `registryVersion` read earlier)."),
        since_version=graphene.Argument(graphene.Int, description="Only changes made after this registry version.",
                                        deprecation_reason="Use `since`."),
        description="The change log as a feed, oldest first: who changed what, when, before and after. Read-only. "
                    "Cursors are positions in the registry's history, stable across writes: keep the last "
                    "`endCursor` and ask `after:` it to read only what was written since; `last` reads the newest.",
    )


def resolve_changes(root, info, first=None, after=None, last=None, before=None, entity_type=None,
                    entity_code=None, since=None, since_version=None, **_):
    check_direction(first, last)
    since = since if since is not None else since_version
    after_key, before_key = decode_feed_cursor(after), decode_feed_cursor(before)
    backward = last is not None
    limit = last if backward else (DEFAULT_PAGE if first is None else first)
    filters = {"entity_type": entity_type, "entity_code": entity_code, "since": since}
    engine = info.context.engine
    with Session(engine) as session:
        rows, more = feed.feed_page(session, **filters, after=after_key, before=before_key, limit=limit,
                                    backward=backward)
    edges = [ChangeRecordConnection.Edge(node=row, cursor=encode_feed_cursor(row[0].version, row[0].id))
             for row in rows]
    if backward:
        # more before the page: read; after it: only when it ends at `before`, whose change is there
        has_previous, has_next = more, before_key is not None
    else:
        has_previous, has_next = after_key is not None, more

    def count() -> int:
        with Session(engine) as session:
            return feed.feed_count(session, **filters)

    return with_edges(ChangeRecordConnection, edges, has_previous, has_next, count)
