"""The ASGI application: `/graphql`, `/healthz`, `/readyz`, `/schema.graphql`, and the pages (`/`, `/static`).

`uvicorn --factory mra_registry.web.app:create_app` (what `mra-registry serve` runs) calls `create_app()`
with no argument: settings come from the environment and the registry's own GraphQL API is imported then,
not at module import, so that the transport can be used and tested with any schema.
"""
from __future__ import annotations

import contextlib
from inspect import isawaitable
from typing import Any, AsyncIterator, Callable, Collection, Sequence

from graphql import GraphQLSchema, print_schema
from graphql.validation import NoSchemaIntrospectionCustomRule
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.types import ASGIApp

from ..settings import Settings
from .graphql_http import (
    ContextFactory,
    ExposeError,
    GraphQLHTTP,
    HtmlPage,
    default_context,
    expose_graphql_errors_only,
)
from .logs import skip_unlogged_record_fields
from .health import ReadinessCheck, healthz, readyz_endpoint
from .cors import cors_middleware
from .middleware import AccessLines, DirectRoute, RequestLogMiddleware
from .pages import explorer_page, page_routes
from .well_known import receipt_keys_route

Hook = Callable[[], Any]  # called with no argument; may return an awaitable


def create_app(
    settings: Settings | None = None,
    *,
    schema: Any = None,
    context_factory: ContextFactory | None = None,
    validation_rules: Collection[type] = (),
    on_startup: Sequence[Hook] = (),
    on_shutdown: Sequence[Hook] = (),
    health_checks: Sequence[ReadinessCheck] = (),
    html_page: HtmlPage | None = None,
    expose_error: ExposeError | None = None,
    document_extensions: Callable[[Any], dict] | None = None,
    request_limits: Callable[..., Any] | None = None,
    translate_error: Callable[[Exception], dict | None] | None = None,
    loop_safe_fields: frozenset[str] | None = None,
    light_fields: frozenset[str] | None = None,
    batch_arguments: dict[str, str] | None = None,
    database_unavailable: Callable[[], str | None] | None = None,
) -> Starlette:
    """Builds the app. With `schema=None` it serves the registry API (mra_registry.api) and starts its
    services in the app's lifespan; with a schema (graphene.Schema or GraphQLSchema) it serves that one.

    `expose_error(exception) -> bool` says which exceptions raised in resolvers (other than GraphQLError)
    are meant for the client; the others reach it as INTERNAL_SERVER_ERROR and are logged."""
    settings = settings or Settings.from_env()
    skip_unlogged_record_fields()
    if schema is None:
        from .registry import registry_components  # lazy: the API and the store load only when served

        components = registry_components(settings)
        schema = components.schema
        context_factory = context_factory or components.context_factory
        validation_rules = (*components.validation_rules, *validation_rules)
        on_startup = (*components.on_startup, *on_startup)
        on_shutdown = (*on_shutdown, *components.on_shutdown)
        health_checks = (*components.health_checks, *health_checks)
        expose_error = expose_error or components.expose_error
        document_extensions = document_extensions or components.document_extensions
        request_limits = request_limits or components.request_limits
        translate_error = translate_error or components.translate_error
        loop_safe_fields = loop_safe_fields if loop_safe_fields is not None else components.loop_safe_fields
        light_fields = light_fields if light_fields is not None else components.light_fields
        batch_arguments = batch_arguments if batch_arguments is not None else components.batch_arguments
        database_unavailable = database_unavailable or components.database_unavailable
    graphql_schema: GraphQLSchema = getattr(schema, "graphql_schema", schema)
    rules = tuple(validation_rules)
    if not settings.introspection:
        rules += (NoSchemaIntrospectionCustomRule,)
    endpoint = GraphQLHTTP(
        graphql_schema,
        validation_rules=rules,
        context_factory=context_factory or default_context,
        html_page=html_page or explorer_page,
        max_body_bytes=settings.max_body_bytes,
        timeout_seconds=settings.request_timeout_seconds,
        document_cache_size=settings.document_cache_size,
        max_query_tokens=settings.max_query_tokens,
        expose_error=expose_error or expose_graphql_errors_only,
        document_extensions=document_extensions,
        planned_execution=settings.planned_execution,
        request_limits=request_limits,
        translate_error=translate_error,
        loop_safe_fields=loop_safe_fields,
        light_fields=light_fields or (),
        batch_arguments=batch_arguments,
        database_unavailable=database_unavailable,
        read_threads=settings.read_threads,
        body_timeout_seconds=settings.body_timeout_seconds,
    )
    sdl = print_schema(graphql_schema) + "\n"  # printed once: the schema does not change while serving

    async def schema_sdl(request: Request) -> PlainTextResponse:
        return PlainTextResponse(sdl)

    cors = cors_middleware()
    access_lines = AccessLines()
    app = _RegistryApp(
        routes=[
            Route("/graphql", endpoint),
            Route("/healthz", healthz),
            Route("/readyz", readyz_endpoint(tuple(health_checks))),
            Route("/schema.graphql", schema_sdl),
            receipt_keys_route(settings),  # the public keys of decision receipts (web/well_known.py)
            *page_routes(),  # the officer's page at / and its assets under /static
        ],
        middleware=cors,
        lifespan=_lifespan(tuple(on_startup), (*on_shutdown, endpoint.close, access_lines.flush)),
    )
    app.graphql_endpoint = _wrapped(endpoint, cors)
    app.direct_responder = endpoint if not cors else None  # CORS adds headers of its own: it stays in between
    app.access_lines = access_lines
    app.state.settings = settings
    app.state.graphql = endpoint
    return app


class _RegistryApp(Starlette):
    """Starlette, with the request log outermost (it sees even Starlette's own 500 answers) and /graphql handed to
    its endpoint (behind CORS, when configured) before Starlette's error and routing layers: the GraphQL endpoint
    answers every error of its own, and each layer is paid on every decision. Without CORS the request log hands it
    to the endpoint itself, which adds the request id and says its status (no wrapper of `send`); with CORS,
    DirectRoute does, behind it. /graphql is routed as well, so that the app lists it."""

    graphql_endpoint: ASGIApp
    direct_responder: GraphQLHTTP | None
    access_lines: AccessLines

    def build_middleware_stack(self) -> ASGIApp:
        stack = super().build_middleware_stack()
        if self.direct_responder is not None:  # the endpoint adds the request id itself: no wrapper of send
            return RequestLogMiddleware(stack, self.access_lines, direct=("/graphql", self.direct_responder))
        return RequestLogMiddleware(DirectRoute(stack, "/graphql", self.graphql_endpoint), self.access_lines)


def _wrapped(app: ASGIApp, middleware: Sequence[Middleware]) -> ASGIApp:
    for cls, args, kwargs in reversed(middleware):
        app = cls(app, *args, **kwargs)
    return app


def _lifespan(on_startup: Sequence[Hook], on_shutdown: Sequence[Hook]):
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        for hook in on_startup:
            await _resolve(hook())
        try:
            yield
        finally:
            for hook in on_shutdown:
                await _resolve(hook())

    return lifespan


async def _resolve(value: Any) -> Any:
    return await value if isawaitable(value) else value
