"""The app around the endpoint: probes, the SDL, request ids, access logs, the lifespan, the registry wiring."""
from __future__ import annotations

import asyncio
import json
import logging

import pytest
from starlette.testclient import TestClient

from mra_registry.web.health import Readiness
from mra_registry.web.logs import JsonFormatter
from tests.web.conftest import settings
from tests.web.sample_app import create_app, schema


def test_healthz_answers_ok(client):
    response = client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_readyz_is_ready_when_every_check_is(make_client):
    async def database():
        return Readiness.ok()

    client = make_client(app_options={"health_checks": [database, Readiness.ok]})
    assert client.get("/readyz").json() == {"status": "ready"}


def test_readyz_is_503_with_the_first_failing_reason(make_client):
    client = make_client(app_options={"health_checks": [
        Readiness.ok, lambda: Readiness.not_ready("snapshot not loaded"), lambda: Readiness.not_ready("other"),
    ]})
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "reason": "snapshot not loaded"}


def test_a_readiness_check_that_raises_means_not_ready_without_leaking_details(make_client):
    def database():
        raise ConnectionError("password=hunter2")

    response = make_client(app_options={"health_checks": [database]}).get("/readyz")
    assert response.status_code == 503
    assert "ConnectionError" in response.json()["reason"]
    assert "hunter2" not in response.text


def test_schema_graphql_is_the_printed_sdl(client):
    response = client.get("/schema.graphql")
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text == str(schema) + "\n"


def test_schema_graphql_is_served_when_introspection_is_off(make_client):
    assert "type Query" in make_client(introspection=False).get("/schema.graphql").text


@pytest.mark.parametrize("path", ["/graphql?query={hello}", "/healthz", "/schema.graphql", "/nowhere"])
def test_a_sane_request_id_is_echoed_on_every_route(client, path):
    assert client.get(path, headers={"x-request-id": "order-7:line/2"}).headers["x-request-id"] == "order-7:line/2"


@pytest.mark.parametrize("sent", [None, "", "x" * 200, "two words", "-leading-dash", "line\\nbreak", "ü".encode()])
def test_an_absent_or_odd_request_id_is_replaced(client, sent):
    headers = {"x-request-id": sent} if sent is not None else {}
    echoed = client.get("/healthz", headers=headers).headers["x-request-id"]
    assert echoed != sent and len(echoed) == 32 and echoed.isalnum()


def test_each_request_gets_its_own_id(client):
    ids = {client.get("/healthz").headers["x-request-id"] for _ in range(5)}
    assert len(ids) == 5


def test_the_context_factory_sees_the_request_id(client):
    response = client.post("/graphql", json={"query": "{ requestId }"}, headers={"x-request-id": "abc-123"})
    assert response.json() == {"data": {"requestId": "abc-123"}}


def test_each_request_is_logged_once_as_structured_fields(client, caplog):
    with caplog.at_level(logging.INFO, logger="mra_registry.web.access"):
        client.post("/graphql", json={"query": "query Greeting { hello }"}, headers={"x-request-id": "log-1"})
    records = [r for r in caplog.records if r.name == "mra_registry.web.access"]
    assert len(records) == 1
    record = records[0]
    assert (record.request_id, record.method, record.path, record.status) == ("log-1", "POST", "/graphql", 200)
    assert record.graphql_operation == "query Greeting"
    assert isinstance(record.duration_ms, float) and record.duration_ms >= 0
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "log-1" and line["status"] == 200 and line["level"] == "INFO"


GRAPHQL_ANSWERS = [  # (method, body or query string, headers) -> the status the endpoint answers with
    ("POST", {"query": "{ hello }"}, {}, 200),
    ("POST", {"query": "{ nope }"}, {"accept": "application/graphql-response+json"}, 400),
    ("PUT", None, {}, 405),
    ("POST", None, {"content-type": "text/plain"}, 415),
    ("GET", None, {"accept": "text/html"}, 200),  # the explorer page, a Starlette Response
]


@pytest.mark.parametrize("cors", [False, True], ids=["direct", "behind CORS"])
@pytest.mark.parametrize("method, body, headers, status", GRAPHQL_ANSWERS)
def test_graphql_answers_carry_the_request_id_and_are_logged_with_their_status(monkeypatch, caplog, cors, method,
                                                                                body, headers, status):
    """Without CORS the request log hands /graphql to the endpoint, which adds the id and says its status itself;
    behind CORS it wraps `send` as for any other route: the same header and the same log line either way."""
    if cors:
        monkeypatch.setenv("MRA_CORS_ORIGINS", "https://portal.example.org")
    else:
        monkeypatch.delenv("MRA_CORS_ORIGINS", raising=False)
    app = create_app(settings())
    assert (app.direct_responder is None) is cors
    with TestClient(app) as client, caplog.at_level(logging.INFO, logger="mra_registry.web.access"):
        response = client.request(method, "/graphql", json=body, content=None if body else b"x",
                                  headers={"x-request-id": "id-7", **headers})
    assert response.status_code == status
    assert response.headers.get_list("x-request-id") == ["id-7"]
    records = [r for r in caplog.records if r.name == "mra_registry.web.access"]
    assert [(r.request_id, r.method, r.path, r.status) for r in records] == [("id-7", method, "/graphql", status)]


def test_a_graphql_endpoint_that_fails_before_answering_is_logged_as_500(monkeypatch, caplog):
    app = create_app(settings())

    async def broken(scope, receive):
        raise RuntimeError("down before any answer")

    monkeypatch.setattr(app.direct_responder, "handle", broken)
    with TestClient(app, raise_server_exceptions=False) as client, \
            caplog.at_level(logging.INFO, logger="mra_registry.web.access"):
        assert client.post("/graphql", json={"query": "{ hello }"}).status_code == 500
    assert [r.status for r in caplog.records if r.name == "mra_registry.web.access"] == [500]


@pytest.mark.parametrize("cors", [False, True], ids=["direct", "behind CORS"])
def test_an_answer_cut_off_while_it_is_sent_is_logged_with_the_status_sent(monkeypatch, caplog, cors):
    """The client leaves after the head: the log says 200, what it was sent, whether the endpoint sent it itself or
    through the request log's wrapper of `send`."""
    if cors:
        monkeypatch.setenv("MRA_CORS_ORIGINS", "https://portal.example.org")
    else:
        monkeypatch.delenv("MRA_CORS_ORIGINS", raising=False)
    app = create_app(settings())
    body = json.dumps({"query": "{ hello }"}).encode()
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": "/graphql", "raw_path": b"/graphql", "root_path": "", "query_string": b"",
             "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
             "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 2)}
    sent = []

    async def receive():
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message):
        sent.append(message["type"])
        if message["type"] == "http.response.body":
            raise OSError("the client has gone")

    async def serve_one():
        with pytest.raises(OSError):
            await app(scope, receive, send)
        await asyncio.sleep(0)  # the access lines of a loop iteration are written at its end

    with caplog.at_level(logging.INFO, logger="mra_registry.web.access"):
        asyncio.run(serve_one())
    assert sent == ["http.response.start", "http.response.body"]
    assert [r.status for r in caplog.records if r.name == "mra_registry.web.access"] == [200]


def test_the_access_log_leaves_out_the_query_string(client, caplog):
    with caplog.at_level(logging.INFO, logger="mra_registry.web.access"):
        client.get("/graphql", params={"query": '{ hello(name: "secret-name") }'})
    assert "secret-name" not in caplog.text


def test_lifespan_hooks_run_in_order_and_may_be_async():
    calls = []

    async def open_database():
        calls.append("open")

    app = create_app(settings(), on_startup=[open_database, lambda: calls.append("warm")],
                     on_shutdown=[lambda: calls.append("close")])
    with TestClient(app) as client:
        assert calls == ["open", "warm"]
        client.get("/healthz")
    assert calls == ["open", "warm", "close"]


def test_the_app_keeps_its_settings(make_client):
    client = make_client(max_batch=7)
    assert client.app.state.settings.max_batch == 7


def test_a_forked_worker_makes_ids_of_its_own():
    import os

    from mra_registry.web.middleware import choose_request_id

    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # the child writes one id it made, and leaves at once
        os.write(write, choose_request_id(None).encode())
        os._exit(0)
    os.close(write)
    os.waitpid(child, 0)
    made_by_child = os.read(read, 64).decode()
    os.close(read)
    made_here = choose_request_id(None)
    assert len(made_by_child) == len(made_here) == 32 and made_by_child[:16] != made_here[:16]


def test_log_records_skip_the_fields_the_json_lines_never_hold(client):
    import logging

    record = logging.getLogger("t").makeRecord("t", logging.INFO, None, 0, "m", (), None)
    assert logging._srcfile is None and record.threadName is None and record.processName is None
