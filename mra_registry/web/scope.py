"""Reading an ASGI request scope directly: the GraphQL endpoint and the request log need a header or two per request,
not a Starlette header map."""
from __future__ import annotations

from starlette.types import Scope


def header(scope: Scope, name: bytes) -> str | None:
    """One request header by its lower-case name (ASGI servers lower-case the names), or None."""
    for key, value in scope["headers"]:
        if key == name:
            return value.decode("latin-1")
    return None
