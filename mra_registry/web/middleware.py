"""Per-request bookkeeping as plain ASGI middleware (no BaseHTTPMiddleware: it would buffer and add a task).

- RequestLogMiddleware gives every request an id, echoed in `X-Request-ID` and kept in
  `request.state.request_id` for the context factory, the change log and error reports, and writes one
  structured log entry per request once its answer has been sent.
- DirectRoute sends the GraphQL endpoint's requests to it directly.
"""
from __future__ import annotations

import asyncio
import itertools
import logging
import os
import re
import threading
import time
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .scope import header

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


class RequestLogMiddleware:
    """Gives every request its id and logs it once its answer has been sent (one middleware, one wrapper of
    `send`: each layer is paid on every request)."""

    def __init__(self, app: ASGIApp, lines: "AccessLines | None" = None):
        self.app = app
        self.lines = lines or AccessLines()

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
    loop iteration after its answer was sent, never later. Outside a running loop a line is logged at once."""

    def __init__(self) -> None:
        self._pending: list[dict] = []
        self._loop: asyncio.AbstractEventLoop | None = None

    def add(self, fields: dict) -> None:
        loop = asyncio._get_running_loop()  # None outside a loop, without raising: the low-level accessor
        if loop is None:
            self._log(fields)
            return
        if not self._pending or self._loop is not loop:
            self.flush()  # lines of another loop (an app served by one loop, then another) go out first
            self._loop = loop
            loop.call_soon(self.flush)
        self._pending.append(fields)

    def flush(self) -> None:
        pending, self._pending = self._pending, []
        for fields in pending:
            self._log(fields)

    @staticmethod
    def _log(fields: dict) -> None:
        if not access_log.isEnabledFor(logging.INFO):
            return
        args = (fields["method"], fields["path"], fields["status"])
        template = _access_template()
        if template is None:
            access_log.info(_ACCESS_MESSAGE, *args, extra=fields)
        else:
            access_log.handle(_access_record(template, args, fields))


_ACCESS_MESSAGE = "%s %s %s"
_access_templates: tuple[int, dict | None] | None = None  # (thread, template), made again after a fork


def _forget_access_template() -> None:
    global _access_templates
    _access_templates = None


os.register_at_fork(after_in_child=_forget_access_template)


def _access_template() -> dict | None:
    """What an access-log record holds that never changes from line to line on this thread, or None when records
    must be made the standard way: a record factory of somebody's own, or a Python whose records carry the
    asyncio task (3.12's taskName, which changes per line)."""
    global _access_templates
    thread = threading.get_ident()
    known = _access_templates
    if logging.getLogRecordFactory() is not logging.LogRecord:
        return None
    if known is not None and known[0] == thread:
        return known[1]
    template = vars(access_log.makeRecord(access_log.name, logging.INFO, "(unknown file)", 0, _ACCESS_MESSAGE,
                                              (), None, "(unknown function)"))
    if "taskName" in template:
        template = None
    _access_templates = (thread, template)
    return template


def _access_record(template: dict, args: tuple, fields: dict) -> logging.LogRecord:
    """The LogRecord `access_log.info(_ACCESS_MESSAGE, *args, extra=fields)` would make, from a template of what
    never changes between lines (level, names, the caller not looked up): LogRecord's own __init__ works out the
    same file and module names, thread and process on every line, a good part of a line's cost."""
    record = logging.LogRecord.__new__(logging.LogRecord)
    attributes = record.__dict__
    attributes.update(template)
    created = time.time()
    attributes["created"] = created
    attributes["msecs"] = int((created - int(created)) * 1000) + 0.0
    attributes["relativeCreated"] = (created - logging._startTime) * 1000
    attributes["args"] = args
    attributes.update(fields)
    return record


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
