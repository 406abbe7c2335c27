"""api/input_containers.py builds graphene's input objects as graphene would."""
from __future__ import annotations

import graphene
import pytest
from graphene.types.inputobjecttype import InputObjectTypeContainer

from mra_registry.api import input_containers
from mra_registry.api.schema import schema


def _graphene_built(type_name: str, values: dict):
    graphql_type = schema.graphql_schema.type_map[type_name]
    # graphene's own container class, built graphene's way, is the reference
    return graphql_type.out_type(values), graphql_type.graphene_type._meta.container(values)


@pytest.mark.parametrize("type_name, values", [
    ("ClearanceInput", {"exporter": "KR", "importer": "US", "hs_code": "851712"}),
    ("ClearanceInput", {"exporter": "KR", "importer": "US", "hs_code": "851712", "lot": "L-1",
                        "attestation": {"type": "TESTING"}}),
    ("ClearanceInput", {}),
])
def test_the_fast_builder_makes_what_graphene_makes(type_name, values):
    fast, reference = _graphene_built(type_name, values)
    assert type(fast) is type(reference)
    assert dict(fast) == dict(reference)
    assert vars(fast) == vars(reference)
    assert fast.exporter == reference.exporter and fast.attestation == reference.attestation


def test_every_graphene_input_type_of_the_schema_got_the_fast_builder():
    inputs = [t for t in schema.graphql_schema.type_map.values()
              if type(t).__name__ == "GrapheneInputObjectType"]
    assert inputs and all(getattr(t.out_type, "__name__", "").startswith("build_") for t in inputs)


def test_a_container_graphene_would_not_build_plainly_is_left_alone():
    class Own(graphene.InputObjectType):
        a = graphene.String()

    class Custom(InputObjectTypeContainer, Own):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)

    class Guarded(InputObjectTypeContainer, Own):
        a = property(lambda self: "fixed", lambda self, value: None)

    assert input_containers._builder(Custom) is None
    assert input_containers._builder(Guarded) is None
    assert input_containers._builder(dict) is None
    built = input_containers._builder(Own._meta.container)({"a": "x"})
    assert built.a == "x" and built == {"a": "x"}
