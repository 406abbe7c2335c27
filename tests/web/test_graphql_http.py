"""The GraphQL-over-HTTP endpoint against the sample schema: requests, negotiation, status and error codes."""
from __future__ import annotations

import asyncio
import json
import logging

import pytest

from mra_registry.web.body import read_limited_body
from mra_registry.web.errors import TransportError

from tests.web.conftest import GRAPHQL_RESPONSE_JSON

JSON = "application/json"


def codes(response) -> list[str]:
    return [error["extensions"]["code"] for error in response.json()["errors"]]


def post(client, body, *, accept: str | None = None, content_type: str = JSON, headers: dict | None = None):
    headers = {"content-type": content_type, **(headers or {})}
    if accept is not None:
        headers["accept"] = accept
    content = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return client.post("/graphql", content=content, headers=headers)


# --- requests that succeed ---------------------------------------------------------------------------

def test_post_runs_an_async_resolver(client):
    response = post(client, {"query": '{ hello(name: "registry") }'})
    assert response.status_code == 200
    assert response.json() == {"data": {"hello": "Hello, registry!"}}


def test_post_accepts_utf8_charset_and_non_ascii_text(client):
    response = post(client, {"query": '{ hello(name: "Zoë 🏃") }'}, content_type="application/json; charset=UTF-8")
    assert response.json() == {"data": {"hello": "Hello, Zoë 🏃!"}}
    assert response.headers["content-type"] == "application/json; charset=utf-8"


def test_post_with_variables_operation_name_and_extensions(client):
    response = post(client, {
        "query": "query A { hello } query B($name: String!) { hello(name: $name) }",
        "variables": {"name": "B"}, "operationName": "B", "extensions": {"persistedQuery": None},
    })
    assert response.json() == {"data": {"hello": "Hello, B!"}}


@pytest.mark.parametrize("parameter", ["variables", "operationName", "extensions"])
def test_null_optional_parameters_are_allowed(client, parameter):
    response = post(client, {"query": "{ hello }", parameter: None})
    assert response.status_code == 200
    assert "errors" not in response.json()


def test_get_runs_a_query_with_url_encoded_json_variables(client):
    response = client.get("/graphql", params={
        "query": "query Q($name: String!) { hello(name: $name) }",
        "variables": json.dumps({"name": "GET"}), "operationName": "Q", "extensions": "{}",
    })
    assert response.status_code == 200
    assert response.json() == {"data": {"hello": "Hello, GET!"}}


def test_mutation_runs_over_post(client):
    response = post(client, {"query": "mutation { increment(by: 2) { value } }"})
    assert response.status_code == 200
    assert isinstance(response.json()["data"]["increment"]["value"], int)


def test_integers_beyond_64_bits_are_still_serialised(client):
    assert post(client, {"query": "{ huge }"}).json() == {"data": {"huge": 2**70}}


def test_answers_vary_on_accept_for_caches(client):
    assert post(client, {"query": "{ hello }"}).headers["vary"] == "Accept"


# --- content negotiation -----------------------------------------------------------------------------

@pytest.mark.parametrize("accept, expected", [
    (None, JSON),
    ("*/*", JSON),
    ("application/*", JSON),
    (JSON, JSON),
    (GRAPHQL_RESPONSE_JSON, GRAPHQL_RESPONSE_JSON),
    (f"{GRAPHQL_RESPONSE_JSON}, {JSON};q=0.9", GRAPHQL_RESPONSE_JSON),
    (f"{JSON}, {GRAPHQL_RESPONSE_JSON}", JSON),
    (f"{JSON};q=0.5, {GRAPHQL_RESPONSE_JSON}", GRAPHQL_RESPONSE_JSON),
    (f"text/html, {GRAPHQL_RESPONSE_JSON};q=0.1", GRAPHQL_RESPONSE_JSON),
])
def test_the_response_media_type_is_negotiated(client, accept, expected):
    response = post(client, {"query": "{ hello }"}, accept=accept)
    assert response.status_code == 200
    assert response.headers["content-type"] == f"{expected}; charset=utf-8"


@pytest.mark.parametrize("accept", ["text/html", "application/xml", f"{GRAPHQL_RESPONSE_JSON};q=0, {JSON};q=0"])
def test_an_unacceptable_accept_is_refused_with_406(client, accept):
    response = post(client, {"query": "{ hello }"}, accept=accept)
    assert response.status_code == 406
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert codes(response) == ["NOT_ACCEPTABLE"]


def test_a_browser_asking_for_a_page_gets_the_html_hook(client):
    browser_accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get("/graphql", headers={"accept": browser_accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "/schema.graphql" in response.text


def test_the_html_hook_is_pluggable_and_may_be_async(make_client):
    from starlette.responses import PlainTextResponse

    async def explorer(request):
        return PlainTextResponse("explorer", status_code=299)

    client = make_client(app_options={"html_page": explorer})
    response = client.get("/graphql", headers={"accept": "text/html"})
    assert (response.status_code, response.text) == (299, "explorer")


def test_a_browser_sending_a_query_gets_the_answer_not_the_page(client):
    browser_accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get("/graphql", params={"query": "{ hello }"}, headers={"accept": browser_accept})
    assert response.json() == {"data": {"hello": "Hello, world!"}}


# --- malformed requests: 400 BAD_REQUEST, whatever the media type -------------------------------------

@pytest.mark.parametrize("accept", [JSON, GRAPHQL_RESPONSE_JSON])
@pytest.mark.parametrize("body", [
    b'{ "not a JSON', b"", b"   ", b"\xff\xfe{}", b"[1, 2]", b'"query"', b"null",
    {"notquery": "{ hello }"}, {"query": None},
    {"query": {"obj": "ect"}}, {"query": 0}, {"query": False}, {"query": ["array"]},
    {"query": "{ hello }", "variables": "string"}, {"query": "{ hello }", "variables": ["array"]},
    {"query": "{ hello }", "variables": 0},
    {"query": "{ hello }", "operationName": 0}, {"query": "{ hello }", "operationName": {"a": 1}},
    {"query": "{ hello }", "extensions": "string"}, {"query": "{ hello }", "extensions": False},
])
def test_malformed_post_bodies_are_400(client, body, accept):
    response = post(client, body, accept=accept)
    assert response.status_code == 400
    assert codes(response) == ["BAD_REQUEST"]
    assert "data" not in response.json()


@pytest.mark.parametrize("params", [
    {},
    {"query": "{ hello }", "variables": "{not json"},
    {"query": "{ hello }", "variables": "[1]"},
    {"query": "{ hello }", "extensions": "nope"},
])
def test_malformed_get_requests_are_400(client, params):
    response = client.get("/graphql", params=params, headers={"accept": JSON})
    assert response.status_code == 400
    assert codes(response) == ["BAD_REQUEST"]


def test_an_unreadable_content_length_is_400(client):
    response = client.post("/graphql", content=b'{"query": "{ hello }"}',
                           headers={"content-type": JSON, "content-length": "many"})
    assert response.status_code == 400


# --- media type, method, size ------------------------------------------------------------------------

@pytest.mark.parametrize("content_type", [None, "text/plain", "application/graphql",
                                          "application/x-www-form-urlencoded", "application/json; charset=latin-1"])
def test_an_unsupported_request_content_type_is_415(client, content_type):
    headers = {"content-type": content_type} if content_type else {}
    response = client.post("/graphql", content=b'{"query": "{ hello }"}', headers=headers)
    assert response.status_code == 415
    assert codes(response) == ["UNSUPPORTED_MEDIA_TYPE"]


@pytest.mark.parametrize("query", ["mutation { increment { value } }", "subscription { hello }"])
@pytest.mark.parametrize("accept", [JSON, GRAPHQL_RESPONSE_JSON])
def test_operations_other_than_queries_over_get_are_405_allow_post(client, query, accept):
    counter_before = post(client, {"query": "mutation { increment(by: 0) { value } }"}).json()
    response = client.get("/graphql", params={"query": query}, headers={"accept": accept})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert codes(response) == ["METHOD_NOT_ALLOWED"]
    assert post(client, {"query": "mutation { increment(by: 0) { value } }"}).json() == counter_before


def test_get_selects_the_named_operation_before_refusing(client):
    query = "query Q { hello } mutation M { increment { value } }"
    assert client.get("/graphql", params={"query": query, "operationName": "Q"}).status_code == 200
    assert client.get("/graphql", params={"query": query, "operationName": "M"}).status_code == 405


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_are_405(client, method):
    response = client.request(method, "/graphql", content=b"{}", headers={"content-type": JSON})
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"
    assert codes(response) == ["METHOD_NOT_ALLOWED"]


def test_a_body_declared_larger_than_the_limit_is_413(make_client):
    client = make_client(max_body_bytes=64)
    body = json.dumps({"query": "{ hello }", "extensions": {"padding": "x" * 100}}).encode()
    response = post(client, body)
    assert response.status_code == 413
    assert codes(response) == ["PAYLOAD_TOO_LARGE"]


def test_a_streamed_body_larger_than_the_limit_is_413_without_content_length(make_client):
    client = make_client(max_body_bytes=64)

    def chunks():  # a generator body is sent chunked: no Content-Length to trust
        yield b'{"query": "{ hello }", "extensions": {"padding": "'
        yield b"x" * 100
        yield b'"}}'

    response = client.post("/graphql", content=chunks(), headers={"content-type": JSON})
    assert response.status_code == 413
    assert codes(response) == ["PAYLOAD_TOO_LARGE"]


def test_an_announced_oversize_body_is_refused_before_any_byte_is_read():
    scope = {"type": "http", "method": "POST", "headers": [(b"content-length", b"1000")]}

    async def receive():
        raise AssertionError("the body was read")

    with pytest.raises(TransportError) as refused:
        asyncio.run(read_limited_body(scope, receive, 64))
    assert refused.value.status == 413


def test_a_client_leaving_mid_body_is_not_logged_as_a_server_fault(caplog):
    from mra_registry.web.graphql_http import GraphQLHTTP
    from tests.web.sample_app import schema

    endpoint = GraphQLHTTP(schema)
    scope = {"type": "http", "method": "POST", "path": "/graphql", "query_string": b"",
             "headers": [(b"content-type", b"application/json")]}

    async def receive():
        return {"type": "http.disconnect"}

    with caplog.at_level(logging.INFO):
        answer = asyncio.run(endpoint.handle(scope, receive))
    assert answer.status == 400
    assert not [record for record in caplog.records if record.levelno >= logging.WARNING]


def test_a_body_understating_its_length_is_still_413():
    body = b"x" * 100
    scope = {"type": "http", "method": "POST", "headers": [(b"content-length", b"10")]}  # a lie: 100 bytes come

    async def receive():
        return {"type": "http.request", "body": body, "more_body": False}

    with pytest.raises(TransportError) as refused:
        asyncio.run(read_limited_body(scope, receive, 64))
    assert (refused.value.status, refused.value.code) == (413, "PAYLOAD_TOO_LARGE")


def test_a_body_at_the_limit_is_accepted(make_client):
    body = json.dumps({"query": "{ hello }"}).encode()
    client = make_client(max_body_bytes=len(body))
    assert post(client, body).status_code == 200


# --- GraphQL request errors: 200 in application/json, 400 in graphql-response+json --------------------

@pytest.mark.parametrize("body, code", [
    ({"query": "{"}, "GRAPHQL_PARSE_FAILED"),
    ({"query": "{ noSuchField }"}, "GRAPHQL_VALIDATION_FAILED"),
    ({"query": "query Q($n: Int!) { numbers(count: $n) }", "variables": {"n": None}}, "BAD_USER_INPUT"),
    ({"query": "query Q($n: Int!) { numbers(count: $n) }", "variables": {"n": "three"}}, "BAD_USER_INPUT"),
    ({"query": "query A { hello } query B { hello }"}, "BAD_REQUEST"),
    ({"query": "{ hello }", "operationName": "Missing"}, "BAD_REQUEST"),
])
@pytest.mark.parametrize("accept, status", [(JSON, 200), (None, 200), (GRAPHQL_RESPONSE_JSON, 400)])
def test_request_errors_have_no_data_and_a_status_by_media_type(client, body, code, accept, status):
    response = post(client, body, accept=accept)
    assert response.status_code == status
    assert "data" not in response.json()
    assert codes(response) == [code]


def test_a_parse_failure_is_reported_with_its_location(client):
    error = post(client, {"query": "{ hello"}).json()["errors"][0]
    assert error["message"].startswith("Syntax Error")
    assert error["locations"] == [{"line": 1, "column": 8}]


def test_an_overlong_document_is_refused_before_validation(make_client):
    client = make_client(max_query_tokens=50)
    response = post(client, {"query": "{ " + "hello " * 100 + "}"})
    assert codes(response) == ["GRAPHQL_PARSE_FAILED"]
    assert "tokens" in response.json()["errors"][0]["message"]


def test_subscriptions_over_post_are_refused_as_request_errors(client):
    response = post(client, {"query": "subscription { hello }"}, accept=GRAPHQL_RESPONSE_JSON)
    assert response.status_code == 400
    assert "data" not in response.json()


def test_extra_validation_rules_run_and_keep_their_own_code(make_client):
    from graphql import GraphQLError, ValidationRule

    class NoHello(ValidationRule):
        def enter_field(self, node, *_):
            if node.name.value == "hello":
                self.report_error(GraphQLError("hello is rationed", node, extensions={"code": "QUERY_TOO_COSTLY"}))

    client = make_client(app_options={"validation_rules": [NoHello]})
    response = post(client, {"query": "{ hello }"}, accept=GRAPHQL_RESPONSE_JSON)
    assert response.status_code == 400
    assert codes(response) == ["QUERY_TOO_COSTLY"]
    assert post(client, {"query": "{ huge }"}).status_code == 200


def test_introspection_can_be_switched_off(make_client):
    query = {"query": "{ __schema { queryType { name } } }"}
    assert post(make_client(), query).json() == {"data": {"__schema": {"queryType": {"name": "Query"}}}}
    response = post(make_client(introspection=False), query, accept=GRAPHQL_RESPONSE_JSON)
    assert response.status_code == 400
    assert set(codes(response)) == {"GRAPHQL_VALIDATION_FAILED"}


# --- field errors ------------------------------------------------------------------------------------

def test_a_graphql_error_from_a_resolver_reaches_the_client_with_its_code(client):
    response = post(client, {"query": "{ hello refused }"}, accept=GRAPHQL_RESPONSE_JSON)
    assert response.status_code == 200  # data is present: partial success
    body = response.json()
    assert body["data"] == {"hello": "Hello, world!", "refused": None}
    assert body["errors"] == [{"message": "You may not see this.", "locations": [{"line": 1, "column": 9}],
                               "path": ["refused"], "extensions": {"code": "FORBIDDEN"}}]


def test_an_unexpected_resolver_exception_is_masked_and_logged_with_the_request_id(client, caplog):
    with caplog.at_level(logging.ERROR, logger="mra_registry.web.graphql_http"):
        response = post(client, {"query": "{ broken }"}, headers={"x-request-id": "trace-42"})
    error = response.json()["errors"][0]
    assert error == {"message": "Internal server error.", "locations": [{"line": 1, "column": 3}],
                     "path": ["broken"], "extensions": {"code": "INTERNAL_SERVER_ERROR", "requestId": "trace-42"}}
    assert "db-7.internal" not in response.text and "Traceback" not in response.text
    record = next(r for r in caplog.records if r.name == "mra_registry.web.graphql_http")
    assert record.request_id == "trace-42"
    assert "db-7.internal" in caplog.text  # the detail stays on the server


def test_a_fault_in_the_transport_itself_is_a_500_without_details(make_client, caplog):
    def failing_context(request):
        raise KeyError("secret-internal-key")

    client = make_client(app_options={"context_factory": failing_context})
    with caplog.at_level(logging.ERROR):
        response = post(client, {"query": "{ hello }"}, headers={"x-request-id": "fault-1"})
    assert response.status_code == 500
    assert codes(response) == ["INTERNAL_SERVER_ERROR"]
    assert response.json()["errors"][0]["extensions"]["requestId"] == "fault-1"
    assert "secret-internal-key" not in response.text
    assert "secret-internal-key" in caplog.text


def test_the_context_factory_receives_the_request_and_may_be_async(make_client):
    seen = []

    async def context(request):
        seen.append(request.url.path)
        return {"request": request}

    client = make_client(app_options={"context_factory": context})
    assert post(client, {"query": "{ requestId }"}, headers={"x-request-id": "ctx-1"}).json() == {
        "data": {"requestId": "ctx-1"}
    }
    assert seen == ["/graphql"]


# --- translated errors -------------------------------------------------------------------------------

def test_an_app_may_translate_an_exception_into_its_own_error(make_client):
    def translate(error):
        if isinstance(error, ConnectionError):
            return {"message": "try again shortly", "extensions": {"code": "SERVICE_UNAVAILABLE"}}
        return None

    client = make_client(app_options={"translate_error": translate})
    answer = post(client, {"query": "{ unreachable broken }"}).json()
    assert answer["data"] == {"unreachable": None, "broken": None}
    translated, masked = answer["errors"]
    assert translated["message"] == "try again shortly" and translated["path"] == ["unreachable"]
    assert translated["extensions"] == {"code": "SERVICE_UNAVAILABLE"} and "db-7" not in json.dumps(answer)
    assert masked["extensions"]["code"] == "INTERNAL_SERVER_ERROR"


# --- time budget -------------------------------------------------------------------------------------

@pytest.mark.parametrize("accept", [JSON, GRAPHQL_RESPONSE_JSON])
def test_a_request_over_its_time_budget_is_stopped_with_timeout(make_client, accept):
    client = make_client(request_timeout_seconds=0.05)
    response = post(client, {"query": "{ slow(seconds: 30) }"}, accept=accept)
    assert response.status_code == 504
    assert "data" not in response.json()
    assert codes(response) == ["TIMEOUT"]
    assert "0.05 s" in response.json()["errors"][0]["message"]


def test_a_write_is_never_cut_short_by_the_time_budget(make_client):
    # a write stopped mid-way could still commit; so the budget applies to queries, and a write answers what it did
    from tests.web.sample_app import COUNTER

    client = make_client(request_timeout_seconds=0.05)
    before = COUNTER["value"]
    response = post(client, {"query": "mutation { slowIncrement(seconds: 0.2) { value } }"})
    assert response.status_code == 200
    assert response.json() == {"data": {"slowIncrement": {"value": before + 1}}}


def test_a_request_within_its_time_budget_completes(make_client):
    client = make_client(request_timeout_seconds=30)
    assert post(client, {"query": "{ slow(seconds: 0) }"}).json() == {"data": {"slow": "done"}}


def test_the_app_can_expose_chosen_resolver_exceptions(make_client):
    client = make_client(app_options={"expose_error": lambda error: isinstance(error, RuntimeError)})
    error = post(client, {"query": "{ broken }"}).json()["errors"][0]
    assert error["message"] == "connection to db-7.internal:5432 refused"


def test_an_operation_type_the_schema_lacks_is_a_bad_request(make_client):
    import graphene

    class Query(graphene.ObjectType):
        hello = graphene.String()

    client = make_client(app_options={"schema": graphene.Schema(query=Query)})
    response = post(client, {"query": "mutation { __typename }"}, accept=GRAPHQL_RESPONSE_JSON)
    assert response.status_code == 400
    assert codes(response) == ["BAD_REQUEST"]
    assert "no mutation" in response.json()["errors"][0]["message"]
