"""A small graphene schema that exercises the transport without the registry: async resolvers, a mutation,
fields that fail in each way a resolver can, a slow field for the time budget, and a scalar too big for
orjson. `create_app` is a uvicorn factory (`mra-registry serve --app-factory tests.web.sample_app:create_app`)."""
from __future__ import annotations

import asyncio

import graphene
from graphql import GraphQLError

from mra_registry.settings import Settings
from mra_registry.web.app import create_app as create_web_app


class BigInt(graphene.Scalar):
    """An integer of any size (orjson refuses those beyond 64 bits)."""

    @staticmethod
    def serialize(value):
        return int(value)


class Query(graphene.ObjectType):
    hello = graphene.String(name=graphene.String(default_value="world"))
    request_id = graphene.String()
    slow = graphene.String(seconds=graphene.Float(required=True))
    broken = graphene.String()
    unreachable = graphene.String()
    refused = graphene.String()
    huge = BigInt()
    numbers = graphene.List(graphene.Int, count=graphene.Int(required=True))

    async def resolve_hello(root, info, name):
        await asyncio.sleep(0)  # a real await: the endpoint must run async resolvers
        return f"Hello, {name}!"

    def resolve_request_id(root, info):
        return info.context["request"].state.request_id

    async def resolve_slow(root, info, seconds):
        await asyncio.sleep(seconds)
        return "done"

    def resolve_unreachable(root, info):
        raise ConnectionRefusedError("db-7.internal:5432")  # an outage the app translates for its clients

    def resolve_broken(root, info):
        raise RuntimeError("connection to db-7.internal:5432 refused")  # an internal detail to be masked

    def resolve_refused(root, info):
        raise GraphQLError("You may not see this.", extensions={"code": "FORBIDDEN"})

    def resolve_huge(root, info):
        return 2**70

    def resolve_numbers(root, info, count):
        return list(range(count))


class Increment(graphene.Mutation):
    class Arguments:
        by = graphene.Int(default_value=1)

    value = graphene.Int()

    def mutate(root, info, by):
        COUNTER["value"] += by
        return Increment(value=COUNTER["value"])


class SlowIncrement(graphene.Mutation):
    """A write that takes its time (its effect happens after the wait, as a commit would)."""

    class Arguments:
        seconds = graphene.Float(required=True)

    value = graphene.Int()

    async def mutate(root, info, seconds):
        await asyncio.sleep(seconds)
        COUNTER["value"] += 1
        return SlowIncrement(value=COUNTER["value"])


class Mutation(graphene.ObjectType):
    increment = Increment.Field()
    slow_increment = SlowIncrement.Field()


COUNTER = {"value": 0}
schema = graphene.Schema(query=Query, mutation=Mutation)


def create_app(settings: Settings | None = None, **options):
    options.setdefault("schema", schema)
    return create_web_app(settings or Settings.from_env(), **options)
