"""Per-request bookkeeping as plain ASGI middleware (no BaseHTTPMiddleware: it would buffer and add a task).

- RequestLogMiddleware gives every request an id, echoed in `X-Request-ID` and kept in
  `request.state.request_id` for the context factory, the change log and error reports, and writes one
  structured log entry per request once its answer has been sent.
- DirectRoute sends the GraphQL endpoint's requests to it directly, when a middleware (CORS) stands between; without
  one, RequestLogMiddleware hands them to the endpoint itself.
"""
from __future__ import annotations

import asyncio
import itertools
import logging
import os
import re
import time
import uuid
from typing import Protocol, Sequence

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .logs import direct_json_handler, extra_keys, json_line, utc_timestamp
from .scope import RESPONSE_STATUS, header

REQUEST_ID_HEADER = "x-request-id"
_REQUEST_ID_KEY = REQUEST_ID_HEADER.encode("latin-1")
# A caller's id is kept only if it is short and plain, so it cannot inject log lines or bloat headers.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/+=-]{0,127}")

access_log = logging.getLogger("mra_registry.web.access")


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


class DirectResponder(Protocol):
    """An endpoint that adds headers to its answer and says its status itself (web/graphql_http.py GraphQLHTTP): it
    returns it, and keeps it in the scope's state under RESPONSE_STATUS before sending it, so that an answer cut
    off while it is sent is logged with the status its client was sent, as a wrapped `send` logs it."""

    async def respond(self, scope: Scope, receive: Receive, send: Send,
                      headers: Sequence[tuple[bytes, bytes]]) -> int: ...


class RequestLogMiddleware:
    """Gives every request its id and logs it once its answer has been sent (one middleware, one wrapper of
    `send`: each layer is paid on every request).

    With `direct=(path, endpoint)`, requests for that exact path (below the mount point) go straight to the endpoint,
    which adds the id header and returns its status itself: no wrapper of `send`, no router, on every decision."""

    def __init__(self, app: ASGIApp, lines: "AccessLines | None" = None,
                 direct: tuple[str, DirectResponder] | None = None):
        self.app = app
        self.lines = lines or AccessLines()
        self.direct_path, self.direct = direct if direct is not None else (None, None)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = choose_request_id(header(scope, _REQUEST_ID_KEY))
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        id_header = (_REQUEST_ID_KEY, request_id.encode("latin-1"))
        status = 500  # what the client sees if the app fails before starting a response

        if self.direct is not None and _route_path(scope) == self.direct_path:
            try:
                status = await self.direct.respond(scope, receive, send, (id_header,))
            finally:
                self._log(scope, state, request_id, state.get(RESPONSE_STATUS, status), started)
            return

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [item for item in message.get("headers", ()) if item[0].lower() != _REQUEST_ID_KEY]
                headers.append(id_header)
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            self._log(scope, state, request_id, status, started)

    def _log(self, scope: Scope, state: dict, request_id: str, status: int, started: float) -> None:
        method, path = scope["method"], scope["path"]  # never the query string: it may hold a client's data
        fields = {"request_id": request_id, "method": method, "path": path, "status": status,
                  "duration_ms": round((time.perf_counter() - started) * 1000, 3)}
        if "graphql_operation" in state:
            fields["graphql_operation"] = state["graphql_operation"]
        self.lines.add(fields)


class AccessLines:
    """The access-log entries of the requests that end in one event-loop iteration, handed to logging together when
    the iteration ends. Logging a line cold, between two requests' work, cost about twice what it costs in a run of
    lines (measured under load: a clearance's request took 10-17 us less CPU); a line reaches the log handlers one
    loop iteration after its answer was sent, never later. Outside a running loop a line is logged at once.

    With the service's own logging configuration (web/logs.py `logging_config`) the lines are formatted here and
    written to its handler with one write, without a LogRecord each: the same JSON lines (logs.py
    `direct_json_handler` says when that holds), for about a third of the CPU. Under any other configuration
    each line is logged the standard way."""

    def __init__(self) -> None:
        self._pending: list[dict] = []
        self._loop: asyncio.AbstractEventLoop | None = None

    def add(self, fields: dict) -> None:
        loop = asyncio._get_running_loop()  # None outside a loop, without raising: the low-level accessor
        if loop is None:
            self._write([fields])
            return
        if not self._pending or self._loop is not loop:
            self.flush()  # lines of another loop (an app served by one loop, then another) go out first
            self._loop = loop
            loop.call_soon(self.flush)
        self._pending.append(fields)

    def flush(self) -> None:
        pending, self._pending = self._pending, []
        if pending:
            self._write(pending)

    @staticmethod
    def _write(entries: list[dict]) -> None:
        handler = direct_json_handler(access_log, logging.INFO)
        if handler is not None:
            level_name = logging.getLevelName(logging.INFO)
            handler.write_lines([_access_line(fields, level_name) for fields in entries])
            return
        for fields in entries:
            access_log.info(_ACCESS_MESSAGE, fields["method"], fields["path"], fields["status"], extra=fields)


_ACCESS_MESSAGE = "%s %s %s"


def _access_line(fields: dict, level_name: str) -> str:
    """The line JsonFormatter writes for `access_log.info(_ACCESS_MESSAGE, method, path, status, extra=fields)`."""
    entry = {"time": utc_timestamp(time.time()), "level": level_name, "logger": access_log.name,
             "message": _ACCESS_MESSAGE % (fields["method"], fields["path"], fields["status"])}
    keys = extra_keys(fields)
    if len(keys) == len(fields):
        entry.update(fields)
    else:
        for key in keys:
            entry[key] = fields[key]
    return json_line(entry)


class DirectRoute:
    """Hands one exact path straight to its endpoint, past Starlette's router and exception middleware (the
    GraphQL endpoint answers every error of its own); every other request goes on to the app."""

    def __init__(self, app: ASGIApp, path: str, endpoint: ASGIApp):
        self.app = app
        self.path = path
        self.endpoint = endpoint

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _route_path(scope) == self.path:
            await self.endpoint(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def _route_path(scope: Scope) -> str:
    """The path below the app's mount point, as Starlette's router matches it."""
    path, root = scope["path"], scope.get("root_path")
    return path[len(root):] if root and path.startswith(root) else path
