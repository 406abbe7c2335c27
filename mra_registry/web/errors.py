"""Errors the HTTP layer raises itself: each has an HTTP status and a stable `extensions.code`.

Clients branch on the code, never on the message, so the codes below are part of the API contract
(docs/api.md, "Transport").
"""
from __future__ import annotations

from typing import Any

BAD_REQUEST = "BAD_REQUEST"
BAD_USER_INPUT = "BAD_USER_INPUT"
PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"
METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
NOT_ACCEPTABLE = "NOT_ACCEPTABLE"
UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE"
TIMEOUT = "TIMEOUT"
REQUEST_TIMEOUT = "REQUEST_TIMEOUT"  # the client did not send its body in time (408)
SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"  # the database does not answer: a read is refused at once (503)
INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


class TransportError(Exception):
    """A request refused before (or instead of) GraphQL execution."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}

    def formatted(self, **extensions: Any) -> dict[str, Any]:
        return {"message": self.message, "extensions": {"code": self.code, **extensions}}

    @classmethod
    def bad_request(cls, message: str) -> "TransportError":
        return cls(400, BAD_REQUEST, message)

    @classmethod
    def method_not_allowed(cls, message: str, allow: str) -> "TransportError":
        return cls(405, METHOD_NOT_ALLOWED, message, {"Allow": allow})
