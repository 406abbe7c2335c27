"""Schemathesis in GraphQL mode against a live server (schema loaded by introspection), bounded and
reproducible: no 5xx, no response that contradicts the published schema, and no error that is not a typed
client error (a GraphQL error is fine when it carries a code such as INVALID_CURSOR or BAD_USER_INPUT; an
uncoded or INTERNAL_SERVER_ERROR one is a server fault)."""
from __future__ import annotations

import graphql
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.graphql import nodes
from schemathesis.specs.openapi.checks import response_schema_conformance

from mra_registry.domain.economies import country_names

pytestmark = pytest.mark.e2e

_codes = sorted(country_names())
schemathesis.graphql.scalar("CountryCode", st.sampled_from(_codes).map(nodes.String))
schemathesis.graphql.scalar("PartyCode", st.sampled_from(_codes + ["EU"]).map(nodes.String))
schemathesis.graphql.scalar("Date", st.dates().map(lambda d: nodes.String(d.isoformat())))
schemathesis.graphql.scalar("DateTime", st.datetimes().map(lambda d: nodes.String(d.isoformat() + "+00:00")))
schemathesis.graphql.scalar("HsCode", st.from_regex(r"\A[0-9]{6,10}\Z").map(nodes.String))
schemathesis.graphql.scalar("HsPrefix", st.from_regex(r"\A[0-9]{2,10}\Z").map(nodes.String))
schemathesis.graphql.scalar("JSONString", st.sampled_from(['{"format": "mra-registry", "formatVersion": 1}', "{}",
                                                          "[]", '"x"']).map(nodes.String))
def _field(name: str, value: str) -> graphql.ObjectFieldNode:
    return graphql.ObjectFieldNode(name=graphql.NameNode(value=name), value=nodes.String(value))


# JSON (any value as itself): a public Ed25519 JWK (what cabVerificationKeyRecord takes), a string, a number, a list
schemathesis.graphql.scalar("JSON", st.sampled_from([
    nodes.Object([_field("kty", "OKP"), _field("crv", "Ed25519"),
                  _field("x", "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")]),
    nodes.String("x"), nodes.Int(1), nodes.List([]),
]))


@schemathesis.check
def no_untyped_graphql_error(ctx, response, case):
    """Every GraphQL error the server returns names its kind; none is an internal error."""
    body = response.json()
    for error in body.get("errors") or []:
        code = (error.get("extensions") or {}).get("code")
        if code in (None, "INTERNAL_SERVER_ERROR"):
            raise AssertionError(f"untyped or internal GraphQL error: {error}")


def operations(base_url: str):
    schema = schemathesis.graphql.from_url(f"{base_url}/graphql")
    return [result.ok() for result in schema.get_all_operations()]


def test_the_api_holds_under_generated_queries(server):
    """Every root field and mutation, 25 generated cases each, derandomised (the same cases every run)."""
    failures = []
    tested = 0
    for operation in operations(server.base_url):
        @settings(max_examples=25, derandomize=True, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def run(case):
            response = case.call(base_url=server.base_url)
            assert response.status_code < 500, response.text[:500]
            # schemathesis' own not_a_server_error also counts typed client errors (a forged cursor, say)
            # as server errors; the HTTP status above and the typed-error check stand in for it
            case.validate_response(response, checks=[response_schema_conformance, no_untyped_graphql_error])

        try:
            run()
        except Exception as failure:  # collect every operation's failure, then report them together
            failures.append(f"{operation.label}: {failure}")
        tested += 1
    assert tested >= 30, f"only {tested} operations were found by introspection"
    assert not failures, "\n\n".join(failures)
