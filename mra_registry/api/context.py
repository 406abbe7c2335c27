"""Per-request context: the process's services, the registry version this request reads, who is asking, the
request id."""
from __future__ import annotations

from dataclasses import dataclass, field

from graphql import GraphQLError

from ..store.browse_model import BrowseModel
from ..store.snapshots import Served, SnapshotUnavailable


@dataclass(slots=True)  # built per request, read by most resolvers
class RequestContext:
    """The registry version a request reads is taken at its first read and kept to its end, so that one answer is of
    one version (decisions and browsing alike); a write of its own starts it afresh (`read_afresh`)."""

    services: object
    request_id: str | None = None
    authorization: str | None = None  # the raw Authorization header, checked only by writes
    _served: Served | None = field(default=None, init=False, repr=False)

    def read_afresh(self) -> None:
        """After a write through this request (api/mutations/base.py): what it reads next is the version holding
        the write, not the one it took before."""
        self._served = None

    @property
    def settings(self):
        return self.services.settings

    @property
    def engine(self):
        return self.services.engine

    def served(self) -> Served:
        return self._served or self._take()

    def _take(self) -> Served:
        try:
            served = self.services.snapshots.served()
        except SnapshotUnavailable as error:
            raise GraphQLError(
                f"the registry is unavailable, try again shortly ({error})",
                extensions={"code": "SERVICE_UNAVAILABLE"},
            ) from None
        self._served = served
        return served

    def snapshot(self):
        """The engine's snapshot of the version this request reads."""
        return (self._served or self._take()).snapshot

    def registry(self) -> BrowseModel:
        """Browsing's read model of the version this request reads (every nested look-up asks: kept short)."""
        return (self._served or self._take()).browse


def make_context(request, services) -> RequestContext:
    # Read off the ASGI scope: a Starlette Request would build a state object and a header map for two values.
    scope = request.scope
    authorization = None
    for key, value in scope["headers"]:
        if key == b"authorization":
            authorization = value.decode("latin-1")
            break
    return RequestContext(services=services, request_id=scope.get("state", {}).get("request_id"),
                          authorization=authorization)
