"""Bad input over HTTP to a live server: each gets a clear, typed error, never a 5xx, and nothing is written
(the registry version and the exported registry are unchanged afterwards)."""
from __future__ import annotations

import json

import pytest
from sqlalchemy.orm import Session

from mra_registry.store.database import make_engine
from mra_registry.store.exporting import export_document
from mra_registry.store.tokens import Role

pytestmark = pytest.mark.e2e

CLEARANCE = "query($input: ClearanceInput!) { clearance(input: $input) { outcome } }"
GOOD = {"exporter": "FR", "importer": "JP", "hsCode": "040690",
        "attestation": {"type": "TESTING", "issuer": "L02", "issueDate": "2025-08-10"}}
SQL = "'; DROP TABLE cabs; --"


def with_(path: str, value) -> dict:
    line = json.loads(json.dumps(GOOD))
    target = line
    *parents, leaf = path.split(".")
    for key in parents:
        target = target[key]
    target[leaf] = value
    return line


def deep_query(depth: int) -> str:
    inner = "code"
    for _ in range(depth):
        inner = f"supersededBy {{ {inner} }}"
    return f'{{ arrangement(code: "ILAC_MRA") {{ {inner} }} }}'


def alias_bomb(count: int) -> str:
    return "{ " + " ".join(f"a{i}: registryVersion" for i in range(count)) + " }"


RAW_REQUESTS = {
    "malformed JSON": (b'{"query": "{ registryVersion }"', "application/json", "BAD_REQUEST"),
    "JSON that is not an object": (b'["{ registryVersion }"]', "application/json", "BAD_REQUEST"),
    "wrong content type": (b"query=%7B+registryVersion+%7D", "application/x-www-form-urlencoded",
                           "UNSUPPORTED_MEDIA_TYPE"),
    "query not a string": (b'{"query": 42}', "application/json", "BAD_REQUEST"),
    "variables not an object": (b'{"query": "{ registryVersion }", "variables": [1]}', "application/json",
                                "BAD_REQUEST"),
    "megabyte body": (b'{"query": "{ registryVersion }", "x": "' + b"a" * (2 * 1024 * 1024) + b'"}',
                      "application/json", "PAYLOAD_TOO_LARGE"),
}

GRAPHQL_ERRORS = {
    "unknown field": ("{ registryVersion colour }", None, "GRAPHQL_VALIDATION_FAILED"),
    "syntax error": ("{ registryVersion ", None, "GRAPHQL_PARSE_FAILED"),
    "invalid country": (CLEARANCE, {"input": with_("exporter", "XX")}, "BAD_USER_INPUT"),
    "lower-case country": (CLEARANCE, {"input": with_("importer", "jp")}, "BAD_USER_INPUT"),
    "invalid country in a literal": ('{ clearance(input: {exporter: "XX", importer: "JP", hsCode: "040690"}) '
                                     '{ outcome } }', None, "BAD_USER_INPUT"),
    "invalid HS code in a literal": ('{ clearance(input: {exporter: "FR", importer: "JP", hsCode: "0406"}) '
                                     '{ outcome } }', None, "BAD_USER_INPUT"),
    "unknown enum in a literal": ('{ accreditationBodies(activity: ASTROLOGY) { totalCount } }', None,
                                  "BAD_USER_INPUT"),
    "invalid HS code": (CLEARANCE, {"input": with_("hsCode", "04A690")}, "BAD_USER_INPUT"),
    "short HS code": (CLEARANCE, {"input": with_("hsCode", "0406")}, "BAD_USER_INPUT"),
    "impossible date": (CLEARANCE, {"input": with_("attestation.issueDate", "2025-02-30")}, "BAD_USER_INPUT"),
    "unknown input field": (CLEARANCE, {"input": with_("colour", "blue")}, "BAD_USER_INPUT"),
    "unknown enum": (CLEARANCE, {"input": with_("attestation.type", "ASTROLOGY")}, "BAD_USER_INPUT"),
    "megabyte string": (CLEARANCE, {"input": with_("attestation.issuer", "L" * 900_000)}, None),
    "deeply nested query": (deep_query(40), None, "QUERY_TOO_DEEP"),
    "alias bomb": (alias_bomb(500), None, "TOO_MANY_ALIASES"),
    "oversized batch": ("query($i: [ClearanceInput!]!) { clearances(inputs: $i) { outcome } }",
                        {"i": [GOOD] * 1001}, "BATCH_TOO_LARGE"),
    "SQL in a code": ('query($c: String!) { conformityAssessmentBody(code: $c) { code } }', {"c": SQL}, None),
    "SQL in a filter": ('query($a: String) { accreditationBodies(arrangement: $a) { totalCount } }', {"a": SQL},
                        None),
    "SQL in a search": ('query($s: String) { economies(search: $s) { totalCount } }', {"s": SQL}, None),
    "page too large": ("{ economies(first: 100000) { totalCount } }", None, "INVALID_PAGE_SIZE"),
    "forged cursor": ('{ economies(after: "not-a-cursor") { totalCount } }', None, "INVALID_CURSOR"),
    "garbage node id": ('{ node(id: "garbage") { id } }', None, None),
}

MUTATIONS = {
    "SQL in a new body code": ("mutation($i: AccreditationBodyCreateInput!) { accreditationBodyCreate(input: $i) "
                               "{ errors { code field } } }", {"i": {"code": SQL * 10, "name": "x"}}),
    "unknown economy on a body": ("mutation($i: ConformityAssessmentBodyCreateInput!) { "
                                  "conformityAssessmentBodyCreate(input: $i) { errors { code field } } }",
                                  {"i": {"code": "LX", "name": "x", "economy": "QQ", "kinds": ["LABORATORY"]}}),
    "to before from": ("mutation($i: SignatoryStatusRecordInput!) { signatoryStatusRecord(input: $i) "
                       "{ errors { code field } } }",
                       {"i": {"accreditationBody": "IANZ", "arrangement": "ILAC_MRA", "activity": "TESTING",
                              "status": "SUSPENDED", "validFrom": "2026-02-01", "validTo": "2026-01-01",
                              "expectedVersion": 1}}),
    "document with a megabyte string": ("mutation($i: RegistryDocumentLoadInput!) { registryDocumentLoad(input: $i) "
                                        "{ errors { code field } } }",
                                        {"i": {"document": json.dumps({"format": "mra-registry", "formatVersion": 1,
                                                                       "title": "x" * 500_000, "colour": 1})}}),
}


def snapshot_of_registry(server) -> tuple[int, str]:
    engine = make_engine(server.database_url)
    try:
        with Session(engine) as session:
            return server.version(), export_document(session)
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def before(server):
    return snapshot_of_registry(server)


def codes(body: dict) -> list[str]:
    return [e.get("extensions", {}).get("code") for e in body.get("errors", [])]


@pytest.mark.parametrize("name", sorted(RAW_REQUESTS))
def test_malformed_requests_get_a_typed_4xx(server, before, name):
    payload, content_type, code = RAW_REQUESTS[name]
    response = server.http.post(f"{server.base_url}/graphql", data=payload,
                                headers={"Content-Type": content_type, "Accept": "application/json"}, timeout=30)
    assert 400 <= response.status_code < 500, response.text[:500]
    assert code in codes(response.json())
    assert snapshot_of_registry(server) == before


@pytest.mark.parametrize("name", sorted(GRAPHQL_ERRORS))
def test_bad_graphql_input_gets_a_clear_error_and_never_a_5xx(server, before, name):
    query, variables, code = GRAPHQL_ERRORS[name]
    response = server.post(query, variables)
    assert response.status_code < 500, response.text[:500]
    body = response.json()
    if code is not None:
        assert code in codes(body), body
    for error in body.get("errors", []):
        assert error["message"] and "Traceback" not in error["message"]
        assert error.get("extensions", {}).get("code") not in (None, "INTERNAL_SERVER_ERROR"), error
    assert snapshot_of_registry(server) == before


def test_sql_looking_strings_are_just_strings(server):
    body = server.post('query($c: String!) { conformityAssessmentBody(code: $c) { code } }', {"c": SQL}).json()
    assert body["data"] == {"conformityAssessmentBody": None} and "errors" not in body
    assert server.post('{ conformityAssessmentBody(code: "L01") { code } }').json()["data"][
        "conformityAssessmentBody"] == {"code": "L01"}


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_bad_writes_are_refused_as_data_and_change_nothing(server, before, name):
    token = server.token(Role.ADMINISTRATOR)
    query, variables = MUTATIONS[name]
    response = server.post(query, variables, token=token)
    assert response.status_code < 500, response.text[:500]
    body = response.json()
    if "data" in body and body["data"]:
        payload = next(iter(body["data"].values()))
        assert payload["errors"], body
        assert all(e["code"] for e in payload["errors"])
    else:
        assert codes(body) and None not in codes(body)
    assert snapshot_of_registry(server) == before


def test_every_answer_reports_the_query_cost(server):
    body = server.post("{ economies(first: 10) { edges { node { code name } } } }").json()
    assert body["extensions"]["cost"] == 1 + 10 * (1 + 1 * (1 + 2))
    assert server.post("{ registryVersion }").json()["extensions"] == {"cost": 1}
