"""The pages people use in a browser: the officer's page at `/`, the query explorer a browser gets at
`GET /graphql`, and their static assets under `/static`.

Everything a page needs ships in `web/static/` (plain HTML, CSS and ES modules, no build step), so the
pages work on a machine with no Internet access. The Content-Security-Policy below makes the browser
itself refuse anything from elsewhere: a stray CDN link would fail loudly in development instead of
quietly working until the day the network is gone.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

STATIC_DIR = Path(__file__).resolve().parent / "static"

# 'self' only: scripts, styles, images and fetches come from this server. Setting element.style from a
# script (the timeline's bars) is CSSOM, which style-src does not restrict; inline style attributes are.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
PAGE_HEADERS = {
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    # The HTML is small and names its assets; revalidating it keeps a page and its modules in step.
    "cache-control": "no-cache",
}


@lru_cache(maxsize=None)
def _read(name: str) -> str:
    return (STATIC_DIR / name).read_text(encoding="utf-8")


def _page(name: str) -> Response:
    return HTMLResponse(_read(name), headers=PAGE_HEADERS)


async def officer_page(request: Request) -> Response:
    """`/`: clearance form, declaration (CSV) mode, registry browser, print view."""
    return _page("index.html")


async def explorer_page(request: Request) -> Response:
    """`GET /graphql` from a browser (Accept: text/html, no `query`): the query explorer."""
    return _page("explorer.html")


class _StaticAssets(StaticFiles):
    """StaticFiles with the same security headers as the pages, and revalidation (ETag) on every use,
    so an upgraded server never runs an old module next to a new one."""

    def file_response(self, *args, **kwargs) -> Response:
        response = super().file_response(*args, **kwargs)
        response.headers["x-content-type-options"] = "nosniff"
        response.headers["cache-control"] = "no-cache"
        return response


def page_routes() -> list[BaseRoute]:
    return [
        Route("/", officer_page, methods=["GET", "HEAD"]),
        Mount("/static", app=_StaticAssets(directory=STATIC_DIR), name="static"),
    ]
