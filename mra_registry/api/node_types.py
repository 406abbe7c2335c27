"""What the registry's GraphQL object types share: provenance and date fields, the Relay node interface and
node kinds keyed by a code or a composite key, and the helpers nested connections and versions are built with.

Every resolver is synchronous and reads the registry version the request took (`registry(info)`, the read model
of store/browse_model.py): browsing runs on the event loop through the transport's compiled plan."""
from __future__ import annotations

import json
from datetime import date

import graphene
from graphene import relay
from graphql import GraphQLError

from ..domain.intervals import holds_on
from . import enums
from .pagination import connection_args
from .scalars import Date


def _context(info):
    return info.context


class ProvenanceFields:
    confidence = graphene.Field(enums.Confidence, required=True, description="How sure the registry is of this fact.")
    sources = graphene.List(graphene.NonNull(graphene.String), required=True, description="Where the fact comes from.")
    note = graphene.String()

    @staticmethod
    def resolve_confidence(parent, info):
        return parent.provenance.confidence

    @staticmethod
    def resolve_sources(parent, info):
        return list(parent.provenance.sources)

    @staticmethod
    def resolve_note(parent, info):
        return parent.provenance.note


class DatedFields:
    valid_from = Date(description="First day it holds (inclusive); null when open or not known.")
    valid_to = Date(description="Last day it holds (inclusive); null when open.")


class RegistryNode(relay.Node):
    """The Relay node interface, with a clear error for an id this API never gave out (graphene's own raises
    a bare exception, which would surface as an internal error)."""

    class Meta:
        name = "Node"

    @classmethod
    def get_node_from_global_id(cls, info, global_id, only_type=None):
        try:
            type_name, code = relay.Node.resolve_global_id(info, global_id)
        except Exception:
            type_name, code = None, None
        graphene_type = info.schema.get_type(type_name) if type_name else None
        graphene_type = getattr(graphene_type, "graphene_type", None)
        if graphene_type is None or cls not in getattr(graphene_type._meta, "interfaces", ()) or not code:
            raise GraphQLError(f"{global_id!r} is not an id this API gave out", extensions={"code": "INVALID_ID"})
        if only_type and graphene_type is not only_type:  # graphene passes False for "any type"
            raise GraphQLError(f"{global_id!r} is not a {only_type._meta.name} id", extensions={"code": "INVALID_ID"})
        get_node = getattr(graphene_type, "get_node", None)
        return get_node(info, code) if get_node else None


class EntityNode:
    """What every node type shares: it answers for one kind of domain entity (`entity`)."""

    entity: type

    @classmethod
    def is_type_of(cls, root, info):
        return isinstance(root, cls.entity)


def registry(info):
    """Browsing's read model of the registry version this request reads (store/browse_model.py)."""
    return info.context.registry()


class CodedNode(EntityNode):
    """A node whose id wraps the entity's natural code; `node(id:)` finds it in the read model's listing of its
    kind (`listing`, a BrowseModel attribute)."""

    listing: str

    @staticmethod
    def resolve_id(parent, info):
        return parent.code

    @classmethod
    def get_node(cls, info, code):
        return getattr(registry(info), cls.listing).get(code)


class KeyedNode(EntityNode):
    """A node for an entity whose natural key has several parts (a sector within its arrangement, an
    accreditation by its body and number within its CAB): its id wraps the parts, and `node(id:)` finds the
    entity through its owner (`find`)."""

    key_parts: int

    @classmethod
    def resolve_id(cls, parent, info):
        return json.dumps(cls.key(parent), separators=(",", ":"))

    @classmethod
    def get_node(cls, info, text):
        try:
            parts = json.loads(text)
        except ValueError:
            parts = None
        if not isinstance(parts, list) or len(parts) != cls.key_parts or not all(isinstance(p, str) for p in parts):
            raise GraphQLError(f"{text!r} is not the key of a {cls._meta.name}", extensions={"code": "INVALID_ID"})
        return cls.find(info, *parts)


def _filter_dated(items, as_of: date | None):
    return items if as_of is None else [i for i in items if holds_on(i, as_of)]


def _connection_field(connection_type, description: str | None = None, **filters):
    """A nested list as a Relay connection: its filters, then `first`/`after` as on the root connections."""
    return graphene.Field(graphene.NonNull(connection_type), description=description,
                          **connection_args(**filters))


def _version_field():
    return graphene.Int(required=True, description="The object's version, moved by every change to it: pass it as "
                        "`expectedVersion` when you update it; a stale one is refused with STALE_OBJECT.")


def _row_version(info, kind: str, code: str) -> int | None:
    """An entity's optimistic-concurrency version, as of the registry version this request reads."""
    return registry(info).version_of(kind, code)
