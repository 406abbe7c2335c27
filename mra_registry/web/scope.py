"""Reading an ASGI request scope directly: the GraphQL endpoint and the request log need a header or two per request,
not a Starlette header map."""
from __future__ import annotations

from starlette.types import Scope

# The key in a scope's state of the status an answer is sent with, kept by an endpoint that sends its answer itself
# before sending it (web/graphql_http.py), for the request log (web/middleware.py) should sending fail midway.
RESPONSE_STATUS = "response_status"


def header(scope: Scope, name: bytes) -> str | None:
    """One request header by its lower-case name (ASGI servers lower-case the names), or None."""
    for key, value in scope["headers"]:
        if key == name:
            return value.decode("latin-1")
    return None
