"""What the web app needs from the registry's GraphQL API (mra_registry.api), gathered in one place.

Imported only by `create_app()` when no schema is given, so the transport never depends on the API at
import time. The API provides `schema.schema` (graphene), `schema.validation_rules(settings)` (the abuse
limits), `schema.make_context(request, services)`, `schema.BATCH_ARGUMENTS` (the batch field and the argument
holding its lines), and `services.Services.start(settings)` / `.close()`;
optionally `schema.expose_error(exception) -> bool` for resolver exceptions other than GraphQLError that
are the client's fault and may be shown to it, `schema.translate_error(exception)` for known conditions that
get their own error instead (the database away), and `schema.request_limits(settings)` for limits that
depend on a request's variables.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

from starlette.requests import Request

from ..settings import Settings
from .health import Readiness, ReadinessCheck


@dataclass(frozen=True)
class Components:
    schema: Any
    context_factory: Callable[[Request], Any]
    validation_rules: Sequence[type]
    on_startup: Sequence[Callable[[], Any]]
    on_shutdown: Sequence[Callable[[], Any]]
    health_checks: Sequence[ReadinessCheck]
    expose_error: Callable[[Exception], bool] | None = None
    document_extensions: Callable[[Any], dict] | None = None  # e.g. {"cost": ...} for every response
    request_limits: Callable[..., Any] | None = None  # see GraphQLHTTP
    translate_error: Callable[[Exception], dict | None] | None = None  # see GraphQLHTTP
    loop_safe_fields: frozenset[str] | None = None  # see GraphQLHTTP
    light_fields: frozenset[str] = frozenset()  # see GraphQLHTTP
    batch_arguments: dict[str, str] | None = None  # see GraphQLHTTP
    database_unavailable: Callable[[], str | None] | None = None  # see GraphQLHTTP


class ServicesHolder:
    """The API's services exist only between the lifespan's start and stop; requests reach them here."""

    def __init__(self, start: Callable[[Settings], Any], settings: Settings):
        self._start = start
        self.settings = settings
        self.services: Any = None

    async def start(self) -> None:
        self.services = await self._start(self.settings)

    async def stop(self) -> None:
        services, self.services = self.services, None
        if services is not None:
            await services.close()

    async def readiness(self) -> Readiness:
        """Ready when a snapshot is loaded, the follower's latest version check answered, and a short probe of
        the database answers within the database timeout (off the event loop, single-flight)."""
        services = self.services
        if services is None:
            return Readiness.not_ready("starting: the registry services are not running yet")
        snapshots = services.snapshots
        if not snapshots.database_answering():
            return Readiness.not_ready(snapshots.not_answering_reason())
        reason = await services.probe_database()
        if reason is not None:
            return Readiness.not_ready(reason)
        if not snapshots.ready:
            return Readiness.not_ready(snapshots.last_error or "the registry snapshot is not loaded yet")
        return Readiness.ok()

    def database_unavailable(self) -> str | None:
        """Why database reads are refused at once (the database is known not to answer), or None."""
        services = self.services
        if services is None or services.database_answering():
            return None
        return services.not_answering_reason()


def registry_components(settings: Settings) -> Components:
    from ..api import schema as api
    from ..api.services import READ_MODEL_ROOT_FIELDS, SNAPSHOT_ROOT_FIELDS, Services

    holder = ServicesHolder(Services.start, settings)

    def context_factory(request: Request) -> Any:
        return api.make_context(request, holder.services)

    return Components(
        schema=api.schema,
        context_factory=context_factory,
        validation_rules=tuple(api.validation_rules(settings)),
        on_startup=(holder.start,),
        on_shutdown=(holder.stop,),
        health_checks=(holder.readiness,),
        expose_error=getattr(api, "expose_error", None),
        document_extensions=getattr(api, "document_extensions", None) and api.document_extensions(settings),
        request_limits=getattr(api, "request_limits", None) and api.request_limits(settings),
        translate_error=getattr(api, "translate_error", None),
        loop_safe_fields=SNAPSHOT_ROOT_FIELDS,
        light_fields=READ_MODEL_ROOT_FIELDS,
        batch_arguments=api.BATCH_ARGUMENTS,
        database_unavailable=holder.database_unavailable,
    )
