"""Reading a request body without letting a client make the server buffer more than a limit."""
from __future__ import annotations

from starlette.requests import ClientDisconnect
from starlette.types import Receive, Scope

from .errors import PAYLOAD_TOO_LARGE, TransportError
from .scope import header


def too_large(limit: int) -> TransportError:
    return TransportError(413, PAYLOAD_TOO_LARGE, f"The request body is larger than the limit of {limit} bytes.")


async def read_limited_body(scope: Scope, receive: Receive, limit: int) -> bytes:
    """The whole body, refused with 413 as soon as it is known to exceed `limit` bytes; ClientDisconnect when
    the client leaves before sending it all.

    The declared Content-Length is checked first (no byte is read of an announced oversize body), and the
    bytes actually streamed are counted too, because chunked requests declare no length and a client can
    lie about the one it declares.
    """
    declared = header(scope, b"content-length")
    if declared is not None:
        try:
            length = int(declared)
        except ValueError:
            raise TransportError.bad_request("The Content-Length header is not a number.") from None
        if length > limit:
            raise too_large(limit)
    chunks: list[bytes] = []
    received = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":  # http.disconnect
            raise ClientDisconnect()
        chunk = message.get("body", b"")
        received += len(chunk)
        if received > limit:
            raise too_large(limit)
        if not message.get("more_body", False):
            if not chunks:
                return chunk  # the usual case: the whole body in one message, no copy
            chunks.append(chunk)
            return b"".join(chunks)
        chunks.append(chunk)
