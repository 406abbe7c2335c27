"""The cache of parsed and validated documents: it saves the work, stays bounded, and keeps verdicts apart."""
from __future__ import annotations

import json

from graphql import GraphQLError, ValidationRule

from mra_registry.web.documents import PARSE_FAILED, VALIDATION_FAILED, DocumentCache
from tests.web.sample_app import schema

SCHEMA = schema.graphql_schema


def test_a_repeated_query_text_is_parsed_and_validated_once():
    cache = DocumentCache(SCHEMA, size=10)
    first = cache.get("{ hello }")
    assert cache.get("{ hello }") is first
    assert (cache.hits, cache.misses) == (1, 1)


def test_the_cache_never_holds_more_than_its_size_and_evicts_the_least_recently_used():
    cache = DocumentCache(SCHEMA, size=3)
    for count in range(50):
        cache.get(f"{{ numbers(count: {count}) }}")
        assert len(cache) <= 3
    cache.get("{ numbers(count: 47) }")  # touch: now the most recently used
    cache.get("{ hello }")  # evicts count 48, the least recently used
    misses = cache.misses
    cache.get("{ numbers(count: 47) }")
    assert cache.misses == misses
    cache.get("{ numbers(count: 48) }")
    assert cache.misses == misses + 1


def test_size_zero_disables_caching():
    cache = DocumentCache(SCHEMA, size=0)
    cache.get("{ hello }")
    cache.get("{ hello }")
    assert (len(cache), cache.misses) == (0, 2)


def test_long_texts_are_answered_but_not_kept():
    cache = DocumentCache(SCHEMA, size=10, max_cacheable_length=20)
    long_query = "{ hello " + " " * 50 + "}"
    assert cache.get(long_query).valid
    assert len(cache) == 0


def test_verdicts_carry_their_kind_and_errors_are_cached_too():
    cache = DocumentCache(SCHEMA, size=10)
    broken = cache.get("{ hello")
    assert (broken.document, broken.error_code) == (None, PARSE_FAILED)
    invalid = cache.get("{ noSuchField }")
    assert invalid.document is not None and invalid.error_code == VALIDATION_FAILED
    assert cache.get("{ noSuchField }") is invalid
    valid = cache.get("{ hello }")
    assert valid.valid and valid.error_code is None


def test_extra_rules_join_the_specified_ones():
    class NoHuge(ValidationRule):
        def enter_field(self, node, *_):
            if node.name.value == "huge":
                self.report_error(GraphQLError("no", node))

    cache = DocumentCache(SCHEMA, [NoHuge], size=10)
    assert not cache.get("{ huge }").valid
    assert not cache.get("{ nope }").valid  # the standard rules still run
    assert cache.get("{ hello }").valid


def test_the_endpoint_serves_repeats_from_its_cache(make_client):
    client = make_client(document_cache_size=2)
    documents = client.app.state.graphql.documents
    for name in ["a", "b", "c", "a"]:
        query = f'query {name.upper()}($n: String!) {{ hello(name: $n) }}'
        for _ in range(3):
            body = json.dumps({"query": query, "variables": {"n": name}})
            response = client.post("/graphql", content=body, headers={"content-type": "application/json"})
            assert response.json() == {"data": {"hello": f"Hello, {name}!"}}
    assert len(documents) == 2
    assert (documents.misses, documents.hits) == (4, 8)
