"""The change feed as a stable, resumable feed (issue 13): oldest first, cursors that are positions in the
registry's history (stable across writes), `since:` a version, `first`/`after` and `last`/`before`, and
before/after as JSON values rather than JSON text."""
from __future__ import annotations

import json

from mra_registry.store.tokens import Role

from .support import mutate

FEED = """query($first: Int, $after: String, $last: Int, $before: String, $since: Int, $code: String) {
  changes(first: $first, after: $after, last: $last, before: $before, since: $since, entityCode: $code) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { version entityCode facet before after beforeText afterText } }
  }
}"""


def feed(api, **variables) -> dict:
    result = api(FEED, variables)
    assert not result.errors, result.errors
    return result.data["changes"]


def rename(api, token, name: str, expected: int) -> int:
    payload = mutate(api, "accreditationBodyUpdate", {"code": "COFRAC", "name": name, "expectedVersion": expected},
                     token)
    assert not payload["errors"], payload
    return payload["registryVersion"]


def names(connection) -> list[str]:
    return [edge["node"]["after"]["name"] for edge in connection["edges"]]


def test_a_page_read_after_a_write_neither_repeats_nor_skips(api):
    token = api.token(Role.ADMINISTRATOR)
    start = rename(api, token, "a", 1) - 1
    rename(api, token, "b", 2)
    rename(api, token, "c", 3)
    first = feed(api, first=2, since=start)
    assert names(first) == ["a", "b"] and first["pageInfo"]["hasNextPage"]
    rename(api, token, "d", 4)  # a write between two pages (newest-first position cursors repeated "b" here)
    second = feed(api, first=2, after=first["pageInfo"]["endCursor"], since=start)
    assert names(second) == ["c", "d"]
    assert not second["pageInfo"]["hasNextPage"] and second["pageInfo"]["hasPreviousPage"]
    # nothing new: an empty page without a cursor; the client keeps the one it has
    third = feed(api, first=2, after=second["pageInfo"]["endCursor"], since=start)
    assert third["edges"] == [] and third["pageInfo"]["endCursor"] is None
    rename(api, token, "e", 5)
    assert names(feed(api, first=2, after=second["pageInfo"]["endCursor"], since=start)) == ["e"]


def test_the_feed_is_oldest_first_and_a_cursor_names_the_same_change_for_ever(api):
    whole = feed(api, first=100)
    versions = [edge["node"]["version"] for edge in whole["edges"]]
    assert versions == sorted(versions)
    cursor = whole["edges"][5]["cursor"]
    token = api.token(Role.ADMINISTRATOR)
    rename(api, token, "later", 1)
    assert feed(api, first=1, after=cursor)["edges"][0]["cursor"] == whole["edges"][6]["cursor"]
    assert feed(api, last=1, before=whole["edges"][6]["cursor"])["edges"][0]["cursor"] == cursor


def test_since_a_version_starts_after_it(api):
    token = api.token(Role.ADMINISTRATOR)
    version = rename(api, token, "a", 1)
    rename(api, token, "b", 2)
    assert names(feed(api, since=version)) == ["b"]
    assert names(feed(api, since=version - 1)) == ["a", "b"]
    assert feed(api, since=version + 1)["totalCount"] == 0


def test_last_reads_the_newest_and_before_pages_back(api):
    token = api.token(Role.ADMINISTRATOR)
    for expected, name in enumerate("abcde", start=1):
        rename(api, token, name, expected)
    newest = feed(api, last=2, code="COFRAC")
    assert names(newest) == ["d", "e"]
    assert newest["pageInfo"]["hasPreviousPage"] and not newest["pageInfo"]["hasNextPage"]
    back = feed(api, last=2, before=newest["pageInfo"]["startCursor"], code="COFRAC")
    assert names(back) == ["b", "c"] and back["pageInfo"]["hasNextPage"]
    # forwards again from where paging back stopped: the same items
    assert names(feed(api, first=2, after=back["pageInfo"]["endCursor"], code="COFRAC")) == ["d", "e"]


def test_before_and_after_are_json_values_and_the_text_fields_are_deprecated_aliases(api):
    token = api.token(Role.ADMINISTRATOR)
    version = rename(api, token, "renamed", 1)
    [edge] = feed(api, since=version - 1)["edges"]
    node = edge["node"]
    assert isinstance(node["after"], dict) and node["after"]["name"] == "renamed"
    assert isinstance(node["before"], dict) and node["before"]["name"] != "renamed"
    assert json.loads(node["afterText"]) == node["after"] and json.loads(node["beforeText"]) == node["before"]
    from mra_registry.api.schema import schema

    record = schema.graphql_schema.get_type("ChangeRecord")
    assert record.fields["afterText"].deprecation_reason and record.fields["beforeText"].deprecation_reason
    assert str(record.fields["after"].type) == "JSON"
    args = schema.graphql_schema.query_type.fields["changes"].args
    assert args["sinceVersion"].deprecation_reason and "since" in args


def test_page_sizes_are_capped_and_cursors_checked(api):
    codes = lambda result: [e["extensions"]["code"] for e in result.errors]  # noqa: E731
    assert codes(api("{ changes(last: 101) { totalCount } }")) == ["INVALID_PAGE_SIZE"]
    assert codes(api("{ changes(first: 1, last: 1) { totalCount } }")) == ["INVALID_PAGE_SIZE"]
    assert codes(api('{ changes(after: "bm90LWEtY3Vyc29y") { totalCount } }')) == ["INVALID_CURSOR"]
    offset_cursor = feed(api, first=1)["edges"][0]["cursor"]
    assert codes(api('query($c: String) { economies(after: $c) { totalCount } }', {"c": offset_cursor})) \
        == ["INVALID_CURSOR"]  # a feed cursor is not a list cursor


def test_root_connections_page_backwards(api):
    def economies(**variables):
        result = api("query($first: Int, $after: String, $last: Int, $before: String) { economies(first: $first, "
                     "after: $after, last: $last, before: $before) { totalCount pageInfo { hasNextPage "
                     "hasPreviousPage startCursor endCursor } edges { cursor node { code } } } }", variables)
        assert not result.errors, result.errors
        return result.data["economies"]

    edges, after = [], None
    while True:
        page = economies(first=100, after=after)
        edges += page["edges"]
        after = page["pageInfo"]["endCursor"]
        if not page["pageInfo"]["hasNextPage"]:
            break
    whole = {"edges": edges}
    codes = [edge["node"]["code"] for edge in edges]
    assert page["totalCount"] == len(codes) > 6
    tail = economies(last=3)
    assert [e["node"]["code"] for e in tail["edges"]] == codes[-3:]
    assert tail["pageInfo"]["hasPreviousPage"] and not tail["pageInfo"]["hasNextPage"]
    back = economies(last=3, before=tail["pageInfo"]["startCursor"])
    assert [e["node"]["code"] for e in back["edges"]] == codes[-6:-3] and back["pageInfo"]["hasNextPage"]
    # the cursors are the forward ones: paging back and forth meets the same items
    assert [e["cursor"] for e in back["edges"]] == [e["cursor"] for e in whole["edges"]][-6:-3]
    window = economies(first=10, after=whole["edges"][0]["cursor"], before=whole["edges"][3]["cursor"])
    assert [e["node"]["code"] for e in window["edges"]] == codes[1:3] and not window["pageInfo"]["hasNextPage"]
    head = economies(last=5, before=whole["edges"][2]["cursor"])
    assert [e["node"]["code"] for e in head["edges"]] == codes[:2] and not head["pageInfo"]["hasPreviousPage"]


def test_last_counts_at_its_size_in_the_query_cost(api):
    from mra_registry.api.limits import Limits, document_cost
    from graphql import parse

    limits = Limits(max_depth=20, max_aliases=50, max_cost=10**9, max_batch=1000)
    cost = lambda q: document_cost(parse(q), limits)  # noqa: E731
    assert cost("{ economies(last: 100) { edges { node { code } } } }") == \
        cost("{ economies(first: 100) { edges { node { code } } } }")
