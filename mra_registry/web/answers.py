"""What the GraphQL endpoint sends back: a status, JSON bytes and a few headers, written as the two ASGI messages
themselves. A decision is a few hundred microseconds; building a Starlette Response and its header list for each
one cost a noticeable share of that, so the endpoint's answers skip it (its HTML page is still a Response)."""
from __future__ import annotations

import functools
from typing import Any, Collection, Mapping, Sequence

from graphql import GraphQLError
from starlette.types import Send

from . import jsonio
from .negotiation import GRAPHQL_RESPONSE_JSON

# The answer depends on the Accept header, so shared caches must key on it too.
_VARY = (b"vary", b"Accept")


@functools.lru_cache(maxsize=8)
def _content_type(media_type: str) -> tuple[bytes, bytes]:
    return b"content-type", f"{media_type}; charset=utf-8".encode("latin-1")


class Answer:
    __slots__ = ("status", "body", "headers")

    def __init__(self, status: int, body: bytes, headers: list[tuple[bytes, bytes]]):
        self.status = status
        self.body = body
        self.headers = headers

    async def send(self, send: Send, headers: Sequence[tuple[bytes, bytes]] = ()) -> None:
        """Sends the answer, with `headers` after its own (the request log's id)."""
        own = self.headers
        await send({"type": "http.response.start", "status": self.status,
                    "headers": [*own, *headers] if headers else own})
        await send({"type": "http.response.body", "body": self.body})


def json_answer(payload: Any, status: int, media_type: str, headers: Mapping[str, str] | None = None) -> Answer:
    body = jsonio.dumps(payload)
    raw = [_content_type(media_type), (b"content-length", str(len(body)).encode("latin-1")), _VARY]
    if headers:
        raw += [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()]
    return Answer(status, body, raw)


def request_errors(errors: Collection[GraphQLError], code: str | None, media_type: str) -> Answer:
    """A GraphQL request error: no `data` entry; 400 in the new media type, 200 in the legacy one."""
    status = 400 if media_type == GRAPHQL_RESPONSE_JSON else 200
    return json_answer({"errors": [with_code(error.formatted, code) for error in errors]}, status, media_type)


def with_code(formatted: dict[str, Any], code: str | None) -> dict[str, Any]:
    """Adds a code unless the error brought its own (an abuse-limit rule may say QUERY_TOO_DEEP)."""
    if code is None:
        return formatted
    extensions = dict(formatted.get("extensions") or {})  # a copy: the cached error keeps its own dict
    extensions.setdefault("code", code)
    return {**formatted, "extensions": extensions}
