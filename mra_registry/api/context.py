"""Per-request context: the process's services, this request's dataloaders, who is asking, the request id."""
from __future__ import annotations

from dataclasses import dataclass, field

from graphql import GraphQLError

from ..store.snapshots import SnapshotUnavailable
from .dataloaders import Loaders


@dataclass
class RequestContext:
    services: object
    request_id: str | None = None
    authorization: str | None = None  # the raw Authorization header, checked only by writes
    loaders: Loaders = field(init=False)

    def __post_init__(self):
        self.loaders = Loaders(self.services.engine)

    @property
    def settings(self):
        return self.services.settings

    @property
    def engine(self):
        return self.services.engine

    def snapshot(self):
        try:
            return self.services.snapshots.current()
        except SnapshotUnavailable as error:
            raise GraphQLError(
                f"the registry is unavailable, try again shortly ({error})",
                extensions={"code": "SERVICE_UNAVAILABLE"},
            ) from None


def make_context(request, services) -> RequestContext:
    return RequestContext(
        services=services,
        request_id=getattr(request.state, "request_id", None),
        authorization=request.headers.get("authorization"),
    )
