"""Both pages in a real browser load everything from the server itself: every request a page makes
starts with the server's base URL (the `context` fixture also aborts and reports any other)."""
from __future__ import annotations

import re

import pytest

from tests.ui.support import open_page

expect = pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright package").expect
pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("path", ["/", "/graphql"])
def test_a_page_requests_nothing_but_its_own_server(page, watch, server, path):
    open_page(page, path)
    # Let the page finish its start-up look-ups (registry version / schema) before counting requests.
    if path == "/":
        expect(page.locator("#registry-version")).to_have_text(re.compile(r"^Registry version \d+$"))
    else:
        expect(page.locator("#docs .docs__field").first).to_be_visible()
    assert watch.requests, "the page made no request at all?"
    foreign = [url for url in watch.requests if not url.startswith(server + "/")]
    assert not foreign, f"requests that left the server: {foreign}"
    assert watch.foreign == []
    assert any(url.endswith("/static/css/app.css") for url in watch.requests)
    assert any(url.endswith("/static/js/graphql.js" if path == "/" else "/static/js/explorer.js") for url in watch.requests)
