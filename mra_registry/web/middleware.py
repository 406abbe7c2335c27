"""Per-request bookkeeping as plain ASGI middleware (no BaseHTTPMiddleware: it would buffer and add a task).

- RequestIdMiddleware gives every request an id, echoed in `X-Request-ID` and kept in
  `request.state.request_id` for the context factory, the change log and error reports.
- AccessLogMiddleware writes one structured log entry per request once its answer has been sent.
"""
from __future__ import annotations

import itertools
import logging
import os
import re
import time
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER = "x-request-id"
# A caller's id is kept only if it is short and plain, so it cannot inject log lines or bloat headers.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/+=-]{0,127}")

access_log = logging.getLogger("mra_registry.web.access")


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return value.decode("latin-1")
    return None


# Ids this process makes: a random prefix per process and a counter. Unique without a system call per request
# (uuid4 reads the kernel's random source every time); an id identifies a request, it authorises nothing.
_PROCESS_PREFIX = uuid.uuid4().hex[:16]
_COUNTER = itertools.count(1)


def _new_process_prefix() -> None:
    global _PROCESS_PREFIX, _COUNTER
    _PROCESS_PREFIX, _COUNTER = uuid.uuid4().hex[:16], itertools.count(1)


os.register_at_fork(after_in_child=_new_process_prefix)  # a forked worker (a pre-loading server) gets its own


def choose_request_id(sent: str | None) -> str:
    if sent is not None and _SANE_REQUEST_ID.fullmatch(sent):
        return sent
    return f"{_PROCESS_PREFIX}{next(_COUNTER):016x}"


class RequestIdMiddleware:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = choose_request_id(_header(scope, REQUEST_ID_HEADER.encode()))
        scope.setdefault("state", {})["request_id"] = request_id
        encoded = request_id.encode("latin-1")

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", ()) if k.lower() != REQUEST_ID_HEADER.encode()]
                message = {**message, "headers": [*headers, (REQUEST_ID_HEADER.encode(), encoded)]}
            await send(message)

        await self.app(scope, receive, send_with_id)


class AccessLogMiddleware:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the client sees if the app fails before starting a response

        async def send_and_note_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note_status)
        finally:
            state = scope.get("state", {})
            fields = {
                "request_id": state.get("request_id"),
                "method": scope["method"],
                "path": scope["path"],  # never the query string: it may hold a client's data
                "status": status,
                "duration_ms": round((time.perf_counter() - started) * 1000, 3),
            }
            if "graphql_operation" in state:
                fields["graphql_operation"] = state["graphql_operation"]
            access_log.info("%s %s %s", scope["method"], scope["path"], status, extra=fields)
