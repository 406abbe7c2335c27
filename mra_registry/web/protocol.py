"""uvicorn's HTTP protocol with a time limit on a request's head.

uvicorn closes idle keep-alive connections (`timeout_keep_alive`), and h11 bounds the size of an incomplete
head, but neither bounds the time a client takes to send it: a client that sends a few bytes of headers and
then trickles or stops (slowloris) holds a connection for ever. This protocol starts a timer when a
connection opens, and again when the first bytes of a further request on a kept-alive connection arrive, and
closes the connection when the head is not complete within `MRA_HEADER_TIMEOUT_SECONDS`. (The body has its own
limit in the GraphQL endpoint, `MRA_BODY_TIMEOUT_SECONDS`, answered 408.) `mra-registry serve` passes it to
uvicorn as `http=`; behind a reverse proxy set the proxy's own limits too (deploy/nginx.conf).
"""
from __future__ import annotations

import asyncio
import logging
import os

from uvicorn.protocols.http.h11_impl import H11Protocol

try:  # what uvicorn's "auto" picks when httptools is installed (uvicorn[standard])
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # pragma: no cover - httptools is a dependency
    HttpToolsProtocol = None  # type: ignore[assignment,misc]

log = logging.getLogger(__name__)

DEFAULT_HEADER_TIMEOUT_SECONDS = 10.0


def header_timeout_seconds() -> float:
    """Read in each worker from the environment (workers are separate processes); settings.py validates it."""
    from ..settings import Settings

    return Settings.from_env().header_timeout_seconds if os.environ.get("MRA_HEADER_TIMEOUT_SECONDS") else \
        DEFAULT_HEADER_TIMEOUT_SECONDS


class _HeaderTimeout:
    header_timeout: float | None = None  # set per class by with_header_timeout, else read from the environment
    _head_timer: asyncio.TimerHandle | None = None
    _timed_cycle: object = None

    def _seconds(self) -> float:
        seconds = type(self).header_timeout
        if seconds is None:
            seconds = type(self).header_timeout = header_timeout_seconds()
        return seconds

    def _arm(self) -> None:
        if self._head_timer is None:
            self._timed_cycle = self.cycle  # type: ignore[attr-defined]
            self._head_timer = self.loop.call_later(self._seconds(), self._head_timed_out)  # type: ignore[attr-defined]

    def _disarm(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self.cycle is self._timed_cycle:  # type: ignore[attr-defined]  # no new request began: the head is late
            log.info("closing a connection whose request head did not arrive within %g s", self._seconds())
            self.transport.close()  # type: ignore[attr-defined]

    def connection_made(self, transport) -> None:  # type: ignore[no-untyped-def]
        super().connection_made(transport)  # type: ignore[misc]
        self._arm()

    def data_received(self, data: bytes) -> None:
        cycle = self.cycle  # type: ignore[attr-defined]
        if cycle is None or cycle.response_complete:  # the start of a further request's head
            self._arm()
        super().data_received(data)  # type: ignore[misc]
        if self.cycle is not self._timed_cycle:  # type: ignore[attr-defined]  # a new request's head is complete
            self._disarm()

    def connection_lost(self, exc) -> None:  # type: ignore[no-untyped-def]
        self._disarm()
        super().connection_lost(exc)  # type: ignore[misc]


class H11HeaderTimeoutProtocol(_HeaderTimeout, H11Protocol):
    pass


if HttpToolsProtocol is not None:
    class HttpToolsHeaderTimeoutProtocol(_HeaderTimeout, HttpToolsProtocol):
        pass

    HeaderTimeoutProtocol: type = HttpToolsHeaderTimeoutProtocol
else:  # pragma: no cover
    HeaderTimeoutProtocol = H11HeaderTimeoutProtocol

PROTOCOL = f"{__name__}:HeaderTimeoutProtocol"
