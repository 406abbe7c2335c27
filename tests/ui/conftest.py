"""Browser tests: Debian's chromium, driven by Playwright for Python (sync API), against a real
`mra-registry serve` on the scenario registry. Skipped, saying why, when chromium or playwright is missing.

Every page a test opens is watched: a request to anything but the server fails the test (the pages must
work offline), and so does a script error or a console error (a CSP refusal shows up there). Each test
leaves a full-page screenshot in test-artifacts/ui/.
"""
from __future__ import annotations

import json
import re
from typing import Iterator

import pytest

from tests.conftest_server import start_server
from tests.ui.support import ARTIFACTS, launch_chromium, make_scenario_database, missing_requirement


# Package scope, not session: Playwright's sync API keeps an asyncio loop marked as running in this thread
# while it is started, and tests elsewhere that call asyncio.run() would fail after this package ran.
@pytest.fixture(scope="package")
def chromium() -> Iterator[object]:
    reason = missing_requirement()
    if reason:
        pytest.skip(f"browser tests skipped: {reason}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture(scope="package")
def server(tmp_path_factory, chromium) -> Iterator[str]:
    """One real server for these tests: the pages only read, so tests cannot disturb each other.
    (The same `start_server` the live_server fixture uses, kept for the package to spare a start per test.)"""
    directory = tmp_path_factory.mktemp("ui")
    url = make_scenario_database(directory)
    with start_server(url, log_path=directory / "server.log") as live:
        yield live.base_url


class PageWatch:
    """What a page did that a test may check: every request URL, the foreign ones, GraphQL requests, errors."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.requests: list[str] = []
        self.foreign: list[str] = []
        self.errors: list[str] = []
        self.operations: list[dict] = []

    def console(self, message) -> None:
        # Chromium logs every 4xx/5xx as "Failed to load resource"; responses are judged in response() instead,
        # since /graphql answers a refused query with 400 by design (graphql-response+json).
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.errors.append(f"console error: {message.text}")

    def response(self, response) -> None:
        if response.status >= 400 and not response.url.endswith("/graphql"):
            self.errors.append(f"{response.status} for {response.url}")

    def record(self, request) -> None:
        self.requests.append(request.url)
        if request.method == "POST" and request.url == f"{self.base_url}/graphql":
            self.operations.append(json.loads(request.post_data or "{}"))

    def operations_named(self, name: str) -> list[dict]:
        """The GraphQL requests the page sent for the operation `name` (e.g. "Clearance", "Declaration")."""
        return [body for body in self.operations if re.match(rf"query {name}\b", body.get("query", ""))]


@pytest.fixture
def watch(server) -> PageWatch:
    return PageWatch(server)


@pytest.fixture
def context(chromium, server, watch):
    context = chromium.new_context(base_url=server, viewport={"width": 1000, "height": 900}, locale="en-GB",
                                   accept_downloads=True)

    def guard(route):
        url = route.request.url
        if url.startswith(server + "/") or url == server:
            route.continue_()
        else:  # never let it out: record it and fail the test below
            watch.foreign.append(url)
            route.abort()

    context.route("**/*", guard)
    context.on("request", watch.record)
    yield context
    context.close()


@pytest.fixture
def page(context, watch, request):
    page = context.new_page()
    page.on("pageerror", lambda error: watch.errors.append(f"page error: {error}"))
    page.on("console", lambda message: watch.console(message))
    page.on("response", lambda response: watch.response(response))
    yield page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)
    assert not watch.foreign, f"requests left the server (the pages must work offline): {watch.foreign}"
    assert not watch.errors, f"the page reported errors: {watch.errors}"

