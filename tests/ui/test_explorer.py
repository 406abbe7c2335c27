"""The query explorer a browser gets at GET /graphql: it runs a query, shows errors as a client gets them,
and lists the schema's root fields by introspection, all from this server."""
from __future__ import annotations

import json

import pytest

from tests.ui.support import ARTIFACTS, open_page

expect = pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright package").expect
pytestmark = pytest.mark.e2e


def test_the_explorer_runs_an_example_query(page, watch):
    open_page(page, "/graphql")
    expect(page).to_have_title("GraphQL explorer · mra-registry")
    page.get_by_label("Start from an example").select_option("officer")
    page.get_by_role("button", name="Run").click()
    expect(page.locator("#result-status")).to_have_text("HTTP 200 OK · data")
    result = json.loads(page.locator("#result").text_content())
    assert result["data"]["clearance"]["outcome"] == "RECOGNISED"
    assert result["data"]["clearance"]["warnings"][0]["code"] == "SUCCESSION_APPLIED"
    # The schema pane lists the root fields, read by introspection.
    docs = page.locator("#docs")
    expect(docs.locator(".docs__field").filter(has_text="clearances(inputs:")).to_have_count(1)
    expect(docs).to_contain_text("Mutations")
    docs.get_by_role("link", name="ClearanceDecision", exact=True).first.click()
    expect(docs.get_by_role("heading", name="ClearanceDecision object")).to_be_focused()
    page.screenshot(path=ARTIFACTS / "explorer.png", full_page=True)


def test_ctrl_enter_runs_and_errors_are_shown_as_sent(page):
    open_page(page, "/graphql")
    query = page.get_by_role("textbox", name="Query")
    query.fill("{ registryVersion nope }")
    page.get_by_label("Variables").fill("")
    query.press("Control+Enter")
    expect(page.locator("#result-status")).to_have_text("HTTP 400 Bad Request · 1 error(s)")
    expect(page.locator("#result")).to_contain_text("GRAPHQL_VALIDATION_FAILED")
    query.fill("{ registryVersion }")
    page.get_by_label("Variables").fill("[1]")
    page.get_by_role("button", name="Run").click()
    expect(page.locator("#result-status")).to_have_text("Variables must be a JSON object.")


def test_the_explorer_shows_the_request_as_curl(page, server):
    open_page(page, "/graphql")
    page.get_by_label("Start from an example").select_option("portal")
    page.get_by_role("button", name="Show as curl").click()
    expect(page.locator("#curl")).to_contain_text(f"curl -s {server}/graphql")
    expect(page.locator("#curl")).to_contain_text("clearances(inputs: $inputs)")
