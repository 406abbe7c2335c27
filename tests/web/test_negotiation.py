"""Accept-header negotiation rules, one by one."""
from __future__ import annotations

import pytest

from mra_registry.web.negotiation import APPLICATION_JSON, GRAPHQL_RESPONSE_JSON, negotiate, prefers_html

GQL = GRAPHQL_RESPONSE_JSON


@pytest.mark.parametrize("accept, expected", [
    (None, APPLICATION_JSON),  # legacy clients send nothing
    ("", APPLICATION_JSON),
    ("*/*", APPLICATION_JSON),  # a wildcard is a legacy client too
    ("application/*", APPLICATION_JSON),
    (GQL, GQL),
    ("Application/GraphQL-Response+JSON", GQL),  # media types are case-insensitive
    (f"{GQL}; charset=utf-8", GQL),
    (f"{GQL}, {APPLICATION_JSON}", GQL),  # equal weights: the first listed
    (f"{APPLICATION_JSON}, {GQL}", APPLICATION_JSON),
    (f"{APPLICATION_JSON};q=0.8, {GQL};q=0.9", GQL),  # weights beat order
    (f"{GQL};q=0.1, */*", APPLICATION_JSON),
    (f"*/*;q=0.1, {GQL}", GQL),  # an explicit type beats a wildcard of equal weight
    ("application/json;q=0, */*", GQL),  # the specific range's q=0 excludes json; */* still allows the other
    ("text/html", None),
    (f"{GQL};q=0, {APPLICATION_JSON};q=0", None),
    ("*/*;q=0", None),
    ("garbage", None),
    (f"{GQL};q=abc, {APPLICATION_JSON}", APPLICATION_JSON),  # an unreadable weight counts as 0
])
def test_negotiate(accept, expected):
    assert negotiate(accept) == expected


@pytest.mark.parametrize("accept, expected", [
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", True),  # what browsers send
    ("text/html", True),
    (None, False),
    ("*/*", False),
    (APPLICATION_JSON, False),
    (f"text/html;q=0.5, {APPLICATION_JSON}", False),
    (f"{GQL}, text/html", True),  # equal weight: a page asked for by name wins
    ("text/*", False),
])
def test_prefers_html(accept, expected):
    assert prefers_html(accept) is expected
