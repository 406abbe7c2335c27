"""The ceiling for the HTTP benchmark: a bare Starlette JSON endpoint, served by the same command and uvicorn
settings as the registry (``mra-registry serve --app-factory benchmarks.bare_app:create_app``).

No middleware, no GraphQL, no database: whatever the registry's endpoints answer below this is the cost of
what they do beyond speaking HTTP."""
from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


async def hello(request: Request) -> JSONResponse:
    return JSONResponse({"hello": "world"})


async def healthz(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


def create_app() -> Starlette:
    return Starlette(routes=[Route("/", hello), Route("/healthz", healthz), Route("/readyz", healthz)])
