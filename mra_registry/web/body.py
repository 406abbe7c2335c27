"""Reading a request body without letting a client make the server buffer more than a limit."""
from __future__ import annotations

from starlette.requests import Request

from .errors import PAYLOAD_TOO_LARGE, TransportError


def too_large(limit: int) -> TransportError:
    return TransportError(413, PAYLOAD_TOO_LARGE, f"The request body is larger than the limit of {limit} bytes.")


async def read_limited_body(request: Request, limit: int) -> bytes:
    """The whole body, refused with 413 as soon as it is known to exceed `limit` bytes.

    The declared Content-Length is checked first (no byte is read of an announced oversize body), and the
    bytes actually streamed are counted too, because chunked requests declare no length and a client can
    lie about the one it declares.
    """
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            length = int(declared)
        except ValueError:
            raise TransportError.bad_request("The Content-Length header is not a number.") from None
        if length > limit:
            raise too_large(limit)
    chunks: list[bytes] = []
    received = 0
    async for chunk in request.stream():
        received += len(chunk)
        if received > limit:
            raise too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)
