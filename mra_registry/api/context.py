"""Per-request context: the process's services, the registry version this request reads, who is asking, the
request id."""
from __future__ import annotations

from dataclasses import dataclass, field

from graphql import GraphQLError

from ..store.browse_model import BrowseModel
from ..store.snapshots import Served, SnapshotUnavailable


class RegistryRead:
    """The registry version one request reads: the provider's snapshot and read model, taken at the request's
    first read and kept to its end, so that one answer is of one version (decisions and browsing alike). A write
    replaces it (api/mutations/base.py), so that what the request reads after its write sees it."""

    __slots__ = ("served",)

    def __init__(self, engine=None):  # api/mutations/base.py passes the engine; the version is taken lazily
        self.served: Served | None = None


@dataclass
class RequestContext:
    services: object
    request_id: str | None = None
    authorization: str | None = None  # the raw Authorization header, checked only by writes
    # The registry version read so far. Named `loaders` for api/mutations/base.py, which starts a new one after a
    # write (`context.loaders = Loaders(engine)`; api/dataloaders.py).
    loaders: RegistryRead = field(init=False)

    def __post_init__(self):
        self.loaders = RegistryRead()

    @property
    def settings(self):
        return self.services.settings

    @property
    def engine(self):
        return self.services.engine

    def served(self) -> Served:
        return self.loaders.served or self._take()

    def _take(self) -> Served:
        try:
            served = self.services.snapshots.served()
        except SnapshotUnavailable as error:
            raise GraphQLError(
                f"the registry is unavailable, try again shortly ({error})",
                extensions={"code": "SERVICE_UNAVAILABLE"},
            ) from None
        self.loaders.served = served
        return served

    def snapshot(self):
        """The engine's snapshot of the version this request reads."""
        return (self.loaders.served or self._take()).snapshot

    def registry(self) -> BrowseModel:
        """Browsing's read model of the version this request reads (every nested look-up asks: kept short)."""
        return (self.loaders.served or self._take()).browse


def make_context(request, services) -> RequestContext:
    # Read off the ASGI scope: a Starlette Request would build a state object and a header map for two values.
    scope = request.scope
    authorization = next((value.decode("latin-1") for key, value in scope["headers"] if key == b"authorization"),
                         None)
    return RequestContext(services=services, request_id=scope.get("state", {}).get("request_id"),
                          authorization=authorization)
