"""A GraphQL-over-HTTP endpoint (https://graphql.github.io/graphql-over-http/draft/) as an ASGI app.

One request goes: method → Accept → parameters (GET query string or POST JSON body, size-limited) →
the cached verdict on the query text → operation checks (no mutation over GET) → execution under a time
budget → a JSON answer in the negotiated media type.

Where it runs (web/placement.py): with `loop_safe_fields` (the registry's), a query selecting only those root
fields (decisions and browsing from the in-memory snapshot), costing at most `max_loop_cost` (`max_light_loop_cost`
when it selects only `light_fields`, the cheaper browsing reads) and deciding at most `max_loop_lines` lines of
batches, runs on the event loop, the fast path; any other operation (the change log and `registryVersion`, which
read the database with blocking SQL; a large declaration or a larger read; a write) runs in one of `read_threads`
threads with an event loop of its own, so that neither a stalled database nor a long
computation holds the event loop: `/healthz` and the decisions of other requests go on meanwhile (Python
switches threads every few milliseconds). While `database_unavailable()` says the database does not answer,
such queries are refused at once with SERVICE_UNAVAILABLE (`data: null`; HTTP 200 in application/json, 503
in application/graphql-response+json; Retry-After), and one already waiting is answered so as soon as that
becomes known, instead of waiting for its time budget. Its status codes follow the spec and the
`graphql-http` audit: with `application/json` every well-formed request is answered 200 (errors in the
body); with `application/graphql-response+json` a response without `data` is a 400.
"""
from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, Callable, Collection, NamedTuple, Sequence, Type

from graphql import (
    DocumentNode,
    ExecutionResult,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    execute,
    get_operation_ast,
)
from graphql.pyutils import is_awaitable as isawaitable  # an attribute probe: far cheaper than inspect's ABC check
from graphql.validation import ASTValidationRule
from starlette.datastructures import QueryParams
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send

from .answers import Answer, json_answer, request_errors
from .body import read_limited_body
from .deadlines import Deadlines
from .documents import PARSE_FAILED, DocumentCache, PreparedDocument
from .errors import (
    BAD_REQUEST,
    BAD_USER_INPUT,
    INTERNAL_SERVER_ERROR,
    NOT_ACCEPTABLE,
    REQUEST_TIMEOUT,
    SERVICE_UNAVAILABLE,
    TIMEOUT,
    UNSUPPORTED_MEDIA_TYPE,
    TransportError,
)
from .negotiation import APPLICATION_JSON, GRAPHQL_RESPONSE_JSON, negotiate, prefers_html
from .params import GraphQLParams, from_json_body, from_query_string
from .placement import MAX_LIGHT_LOOP_COST, MAX_LOOP_COST, MAX_LOOP_LINES, NOWHERE, Place, Placement
from .read_threads import ReadThreads
from .scope import RESPONSE_STATUS, header

log = logging.getLogger(__name__)

ContextFactory = Callable[[Request], Any]  # may return the context or an awaitable of it
HtmlPage = Callable[[Request], Any]  # may return a Response or an awaitable of one
ExposeError = Callable[[Exception], bool]
# exception -> the error a client should read instead ({"message": ..., "extensions": {"code": ...}}), or None
TranslateError = Callable[[Exception], dict | None]
# (document, operation, variables) -> None when the document's own verdict stands, else (the extensions for this
# request, the errors that refuse it): limits that depend on the variables, such as the size of a batch.
RequestLimits = Callable[[DocumentNode, OperationDefinitionNode, dict | None], tuple[dict, list] | None]
# () -> why reads of the database are refused at once (it is known not to answer), or None
DatabaseUnavailable = Callable[[], str | None]

# How often a request waiting for a read thread looks whether the database is known not to answer.
UNAVAILABLE_POLL_SECONDS = 0.1


class _DatabaseUnavailable(Exception):
    """A read of the database refused because it is known not to answer."""


def default_context(request: Request) -> dict[str, Any]:
    return {"request": request}


def expose_graphql_errors_only(error: Exception) -> bool:
    """Resolvers raise GraphQLError for what a client should read; any other exception is a fault whose
    message may carry internals (SQL, paths), so clients get a generic message and the log gets the rest."""
    return isinstance(error, GraphQLError)


async def default_html_page(request: Request) -> Response:
    # Deliberately self-contained: no script, style or font is fetched from anywhere.
    return HTMLResponse(
        "<!doctype html><html lang=en><meta charset=utf-8><title>GraphQL endpoint</title>"
        "<h1>GraphQL endpoint</h1><p>Send queries with <code>POST</code> and a JSON body "
        '<code>{"query": "..."}</code>, or with <code>GET ?query=...</code>. '
        'The schema is at <a href="/schema.graphql">/schema.graphql</a>.</p></html>'
    )


async def _resolve(value: Any) -> Any:
    return await value if isawaitable(value) else value


class GraphQLHTTP:
    def __init__(
        self,
        schema: Any,
        *,
        validation_rules: Collection[Type[ASTValidationRule]] = (),
        context_factory: ContextFactory = default_context,
        html_page: HtmlPage = default_html_page,
        max_body_bytes: int = 1024 * 1024,
        timeout_seconds: float = 10.0,
        document_cache_size: int = 1000,
        max_query_tokens: int | None = 20_000,
        expose_error: ExposeError = expose_graphql_errors_only,
        document_extensions: Callable[[DocumentNode], dict] | None = None,
        planned_execution: bool = True,
        request_limits: RequestLimits | None = None,
        translate_error: TranslateError | None = None,
        loop_safe_fields: Collection[str] | None = None,
        max_loop_cost: int = MAX_LOOP_COST,
        light_fields: Collection[str] = (),
        max_light_loop_cost: int = MAX_LIGHT_LOOP_COST,
        batch_arguments: dict[str, str] | None = None,
        max_loop_lines: int = MAX_LOOP_LINES,
        database_unavailable: DatabaseUnavailable | None = None,
        read_threads: int = 4,
        body_timeout_seconds: float | None = None,
    ):
        # A graphene.Schema wraps the graphql-core schema; take the inner one so both can be passed.
        self.schema: GraphQLSchema = getattr(schema, "graphql_schema", schema)
        self.documents = DocumentCache(
            self.schema, validation_rules, size=document_cache_size, max_tokens=max_query_tokens,
            annotate=document_extensions,
        )
        self.context_factory = context_factory
        self.html_page = html_page
        self.max_body_bytes = max_body_bytes
        self.timeout_seconds = timeout_seconds
        self.expose_error = expose_error
        self.request_limits = request_limits
        self.translate_error = translate_error
        self.planned_execution = planned_execution  # web/planned_execution.py; off: graphql-core runs everything
        self.placement = Placement(loop_safe_fields, light_fields=light_fields, batch_arguments=batch_arguments,
                                   max_loop_cost=max_loop_cost, max_light_loop_cost=max_light_loop_cost,
                                   max_loop_lines=max_loop_lines)
        self.database_unavailable = database_unavailable
        self.body_timeout_seconds = body_timeout_seconds
        # A body limit holds to within a quarter of itself (at most a second): see web/deadlines.py.
        self.deadlines = Deadlines(min(1.0, body_timeout_seconds / 4) if body_timeout_seconds else 1.0)
        self.threads = ReadThreads(read_threads) if self.placement.uses_threads else None

    def close(self) -> None:
        if self.threads is not None:
            self.threads.close()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.respond(scope, receive, send, ())

    async def respond(self, scope: Scope, receive: Receive, send: Send,
                      headers: Sequence[tuple[bytes, bytes]]) -> int:
        """Answers with `headers` added to the answer's own, and returns its status: for the request log, which
        would otherwise wrap `send` to add its request id and read the status (a layer paid on every decision).
        The status is also kept in the scope's state under RESPONSE_STATUS before it is sent, for a log that must
        say it when sending fails."""
        answer = await self.handle(scope, receive)
        state = scope.setdefault("state", {})
        if isinstance(answer, Answer):
            # kept before sending: should the client leave midway, the log still says what it was sent
            state[RESPONSE_STATUS] = answer.status
            await answer.send(send, headers)
            return answer.status
        # the HTML page: a Starlette Response
        state[RESPONSE_STATUS] = answer.status_code
        if headers:
            answer.raw_headers.extend(headers)
        await answer(scope, receive, send)
        return answer.status_code

    async def handle(self, scope: Scope, receive: Receive) -> Answer | Response:
        method = scope["method"]
        accept = header(scope, b"accept")
        media_type = negotiate(accept)
        try:
            if method == "POST":
                if media_type is None:
                    raise _not_acceptable()
                params = await self._read_body_params(scope, receive)
            elif method == "GET":
                query_params = QueryParams(scope["query_string"])
                if "query" not in query_params and prefers_html(accept):
                    return await _resolve(self.html_page(Request(scope, receive)))
                if media_type is None:
                    raise _not_acceptable()
                params = from_query_string(query_params)
            else:
                raise TransportError.method_not_allowed("GraphQL is served over GET and POST only.", "GET, POST")
            return await self._answer(Request(scope, receive), params, media_type)
        except ClientDisconnect:
            # The client left while sending its body: nobody will read an answer, and it is not our fault.
            log.info("client disconnected before sending its request", extra={"request_id": _request_id(scope)})
            return Answer(400, b"", [(b"content-length", b"0")])
        except TransportError as error:
            payload = {"errors": [error.formatted()]}
            return json_answer(payload, error.status, media_type or APPLICATION_JSON, error.headers)
        except Exception:
            # Never let a traceback reach the client; the request id ties the log entry to the answer.
            log.exception("GraphQL request failed unexpectedly", extra={"request_id": _request_id(scope)})
            fault = TransportError(500, INTERNAL_SERVER_ERROR, "Internal server error.")
            payload = {"errors": [fault.formatted(requestId=_request_id(scope))]}
            return json_answer(payload, 500, media_type or APPLICATION_JSON)

    async def _read_body_params(self, scope: Scope, receive: Receive) -> GraphQLParams:
        content_type = header(scope, b"content-type") or ""
        if content_type != APPLICATION_JSON:  # else the exact common value needs no parsing
            media, *parameters = (part.strip().lower() for part in content_type.split(";"))
            charset = next((p.split("=", 1)[1].strip('" ') for p in parameters if p.startswith("charset=")), "utf-8")
            if media != APPLICATION_JSON or charset != "utf-8":
                raise TransportError(
                    415, UNSUPPORTED_MEDIA_TYPE, "Send the request body as application/json (UTF-8).",
                    {"Accept-Post": "application/json"},
                )
        try:
            # A client that sends its body slowly holds a connection and a task: it gets a time limit.
            body = await self.deadlines.within(self.body_timeout_seconds,
                                               read_limited_body(scope, receive, self.max_body_bytes))
        except TimeoutError:
            raise TransportError(408, REQUEST_TIMEOUT,
                                 f"The request body did not arrive within {self.body_timeout_seconds:g} s.",
                                 {"Connection": "close"}) from None
        return from_json_body(body)

    async def _answer(self, request: Request, params: GraphQLParams, media_type: str) -> Answer:
        prepared = self.documents.get(params.query)
        if prepared.error_code == PARSE_FAILED:
            return request_errors(prepared.errors, prepared.error_code, media_type)
        selected = self._selected(prepared, params.operation_name)
        operation = selected.operation
        if operation is not None:  # for the access log
            request.scope.setdefault("state", {})["graphql_operation"] = selected.label
        if request.method == "GET" and operation is not None and operation.operation != OperationType.QUERY:
            # GET must stay safe to repeat and to cache: anything with effects goes over POST.
            raise TransportError.method_not_allowed(
                f"A {operation.operation.value} cannot be sent with GET; send it with POST.", "POST"
            )
        if not prepared.valid:
            return request_errors(prepared.errors, prepared.error_code, media_type)
        if selected.refusal is not None:
            return request_errors([GraphQLError(selected.refusal)], BAD_REQUEST, media_type)
        extensions = prepared.extensions
        if self.request_limits is not None:
            checked = self.request_limits(prepared.document, operation, params.variables)
            if checked is not None:
                extensions, refusals = checked
                if refusals:
                    return request_errors(refusals, None, media_type)
        if self.placement.on_loop(selected.place, extensions, params.variables):
            result = await self._execute(request, prepared, params, operation)
        else:
            try:
                result = await self._execute_off_loop(request, prepared, params, operation)
            except _DatabaseUnavailable as refusal:
                # Like a field error of every root field (docs/security.md, Faults): data null, the code to retry
                # on. The new media type's rule for a null data entry is a 4xx/5xx status: 503.
                payload = {"data": None, "errors": [{"message": str(refusal),
                                                     "extensions": {"code": SERVICE_UNAVAILABLE}}]}
                status = 503 if media_type == GRAPHQL_RESPONSE_JSON else 200
                return json_answer(payload, status, media_type, {"Retry-After": "5"})
        if result.data is None and result.errors and all(error.path is None for error in result.errors):
            # Nothing ran: the operation was refused before execution (its variables could not be coerced).
            return request_errors(result.errors, BAD_USER_INPUT, media_type)
        payload = self._payload(request, result)
        if extensions:  # the cached document's own dict when execution added none: it is serialised, never changed
            own = payload.get("extensions")
            payload["extensions"] = {**extensions, **own} if own else extensions
        return json_answer(payload, 200, media_type)

    async def _execute(self, request: Request, prepared: PreparedDocument, params: GraphQLParams,
                       operation: OperationDefinitionNode) -> ExecutionResult:
        # Queries only: a write stopped by the budget may still commit in its worker thread, and an answer of
        # TIMEOUT would then lie about it. A write runs to its end and says truthfully what it did.
        budget = self.timeout_seconds if operation.operation is OperationType.QUERY else None
        context = self.context_factory(request)
        plan = prepared.plan(self.schema, operation) if self.planned_execution else None
        if plan is not None and not isawaitable(context):
            # A plan runs synchronously, start to end: no budget could stop it (the loop-safe cost bounds it), so
            # it is not given one, which saves arming and cancelling a timer per request.
            result = plan.run(context, params.variables)
            if result is not None:
                return result
        try:
            # asyncio.timeout (not wait_for) saves a task per request. It can only stop work that awaits:
            # a resolver that blocks the event loop runs to its end before the budget is noticed.
            async with asyncio.timeout(budget):
                if isawaitable(context):
                    context = await context
                    if plan is not None:
                        result = plan.run(context, params.variables)
                        if result is not None:
                            return result
                return await _resolve(
                    execute(
                        self.schema,
                        prepared.document,
                        context_value=context,
                        variable_values=params.variables,
                        operation_name=params.operation_name,
                    )
                )
        except TimeoutError:
            log.warning("GraphQL request stopped by its time budget", extra={"request_id": _request_id(request)})
            raise TransportError(
                504, TIMEOUT, f"The request did not finish within its time budget of {self.timeout_seconds:g} s."
            ) from None

    def _selected(self, prepared: PreparedDocument, operation_name: str | None) -> "_Selected":
        """The operation a request selects and what follows from it alone, remembered with a cached document."""
        known = prepared.operations
        selected = known.get(operation_name) if known is not None else None
        if selected is None:
            selected = self._select(prepared, operation_name)
            if known is not None and len(known) < 64:  # a document holds few operations; names come from clients
                known[operation_name] = selected
        return selected

    def _select(self, prepared: PreparedDocument, operation_name: str | None) -> "_Selected":
        operation = get_operation_ast(prepared.document, operation_name)
        if operation is None:
            return _Selected(None, "", _unselectable(operation_name), NOWHERE)
        name = operation.name.value if operation.name else ""
        label = f"{operation.operation.value} {name}".strip()
        refusal = None
        if operation.operation == OperationType.SUBSCRIPTION:
            refusal = "Subscriptions are not supported over this endpoint."
        elif self.schema.get_root_type(operation.operation) is None:
            refusal = f"This schema has no {operation.operation.value} operations."
        return _Selected(operation, label, refusal, self.placement.place(operation))

    async def _execute_off_loop(self, request: Request, prepared: PreparedDocument, params: GraphQLParams,
                                operation: OperationDefinitionNode) -> ExecutionResult:
        """Runs the operation in a read thread; waits for it within the time budget (queries), and gives up at
        once with SERVICE_UNAVAILABLE when the database is known not to answer (a read waiting on it would only
        hold its thread)."""
        is_query = operation.operation is OperationType.QUERY
        if is_query:
            self._refuse_if_database_unavailable()
        context = await _resolve(self.context_factory(request))
        planned = self.planned_execution

        def run() -> Any:
            plan = prepared.plan(self.schema, operation) if planned and is_query else None
            if plan is not None:
                result = plan.run(context, params.variables)
                if result is not None:
                    return result
            return execute(self.schema, prepared.document, context_value=context,
                           variable_values=params.variables, operation_name=params.operation_name)

        future = asyncio.wrap_future(self.threads.submit(run))
        if not is_query:  # a write runs to its end and says truthfully what it did (see _execute)
            return await future
        deadline = time.monotonic() + self.timeout_seconds
        try:
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                done, _ = await asyncio.wait({future}, timeout=min(remaining, UNAVAILABLE_POLL_SECONDS))
                if done:
                    return future.result()
                self._refuse_if_database_unavailable()
        except BaseException:
            future.cancel()  # still queued: it never runs; running: its thread finishes on its own
            raise
        future.cancel()
        self._refuse_if_database_unavailable()
        log.warning("GraphQL request stopped by its time budget", extra={"request_id": _request_id(request)})
        raise TransportError(
            504, TIMEOUT, f"The request did not finish within its time budget of {self.timeout_seconds:g} s.")
    def _refuse_if_database_unavailable(self) -> None:
        reason = self.database_unavailable() if self.database_unavailable is not None else None
        if reason is not None:
            raise _DatabaseUnavailable(f"the registry database is not answering; try again shortly ({reason})")

    def _payload(self, request: Request, result: ExecutionResult) -> dict[str, Any]:
        payload: dict[str, Any] = {"data": result.data}
        if result.errors:
            payload["errors"] = [self._field_error(request, error) for error in result.errors]
        if result.extensions:
            payload["extensions"] = result.extensions
        return payload

    def _field_error(self, request: Request, error: GraphQLError) -> dict[str, Any]:
        original = error.original_error
        if original is None or isinstance(original, GraphQLError) or self.expose_error(original):
            return error.formatted
        located = {key: value for key, value in error.formatted.items() if key in ("locations", "path")}
        translated = self.translate_error(original) if self.translate_error is not None else None
        if translated is not None:  # a known condition (the database is away): its own words, no traceback
            log.warning("resolver failed at %s: %s", ".".join(map(str, error.path or ())), type(original).__name__,
                        extra={"request_id": _request_id(request)})
            return {"message": translated["message"], **located, "extensions": translated.get("extensions", {})}
        request_id = _request_id(request)
        log.error(
            "resolver failed at %s", ".".join(map(str, error.path or ())),
            exc_info=(type(original), original, original.__traceback__), extra={"request_id": request_id},
        )
        return {"message": "Internal server error.", **located,
                "extensions": {"code": INTERNAL_SERVER_ERROR, "requestId": request_id}}


def _not_acceptable() -> TransportError:
    return TransportError(
        406, NOT_ACCEPTABLE, f"This endpoint answers in {GRAPHQL_RESPONSE_JSON} or {APPLICATION_JSON} only.")


class _Selected(NamedTuple):
    """The operation a request selects (None: none matches its name), and what follows from the operation alone."""

    operation: OperationDefinitionNode | None
    label: str  # "query Clearance", for the access log
    refusal: str | None  # why it is refused before it runs (no such operation, a subscription, no such root)
    place: Place  # where it may run


def _unselectable(operation_name: str | None) -> str:
    if operation_name is not None:
        return f"Unknown operation named '{operation_name}'."
    return "Must provide operation name if query contains multiple operations."


def _request_id(request: Request | Scope) -> str | None:
    scope = request.scope if isinstance(request, Request) else request
    return scope.get("state", {}).get("request_id")
