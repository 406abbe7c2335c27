"""CORS for browser front-ends on other origins: an allow-list, off by default.

`MRA_CORS_ORIGINS` holds the origins allowed to call the API from a browser, comma-separated
(`https://portal.example.org,http://localhost:5173`), or `*` for any origin. Unset or empty: no CORS at all, as
before (a browser then refuses cross-origin calls; same-origin pages such as the officer's page are unaffected).

Starlette's CORSMiddleware does the work (preflight for POST /graphql with `content-type` and `authorization`,
`Vary: Origin`, the allow-list check). It is wrapped for one thing: a request from an origin that is not on the
list passes through untouched, with no CORS header at all (Starlette answers such a preflight 400 with its
Allow-Methods/Allow-Headers, and adds Expose-Headers to its simple requests), so a refused origin learns nothing
and sees the service as if CORS were off. Tokens travel in the Authorization header, never in cookies, so no
credentials mode is needed (`Access-Control-Allow-Credentials` is never sent)."""
from __future__ import annotations

import os
import re
from typing import Mapping

from starlette.datastructures import Headers
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

ENV = "MRA_CORS_ORIGINS"
ALLOW_METHODS = ("GET", "POST")
ALLOW_HEADERS = ("content-type", "authorization", "accept", "x-request-id")
EXPOSE_HEADERS = ("x-request-id",)
MAX_AGE = 600  # seconds a browser may cache a preflight answer

_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.-]+(:\d{1,5})?$|^https?://\[[0-9A-Fa-f:.]+\](:\d{1,5})?$")


def cors_origins(environ: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """The allowed origins from the environment; refuses (at start-up) anything that is not an origin, such as a
    trailing slash or a path, which would never match a browser's Origin header."""
    raw = (os.environ if environ is None else environ).get(ENV, "")
    origins = tuple(part.strip() for part in raw.split(",") if part.strip())
    if origins == ("*",):
        return origins
    bad = [origin for origin in origins if not _ORIGIN.match(origin)]
    if bad:
        raise ValueError(f"{ENV}: {', '.join(bad)} is not an origin (scheme://host[:port], no path or trailing slash)"
                         " or '*' alone")
    return origins


class AllowListCORS(CORSMiddleware):
    """Starlette's CORSMiddleware, except that a request from an origin off the list gets no CORS header."""

    def __init__(self, app: ASGIApp, origins: tuple[str, ...]):
        super().__init__(app, allow_origins=list(origins), allow_methods=list(ALLOW_METHODS),
                         allow_headers=list(ALLOW_HEADERS), expose_headers=list(EXPOSE_HEADERS), max_age=MAX_AGE)
        self.inner = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            origin = Headers(scope=scope).get("origin")
            if origin is not None and not self.is_allowed_origin(origin):
                await self.inner(scope, receive, send)
                return
        await super().__call__(scope, receive, send)


def cors_middleware(environ: Mapping[str, str] | None = None) -> list[Middleware]:
    """The app's CORS middleware: none when no origin is allowed (the default)."""
    origins = cors_origins(environ)
    return [Middleware(AllowListCORS, origins=origins)] if origins else []
