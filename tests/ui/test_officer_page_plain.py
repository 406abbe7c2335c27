"""Issue 13, officer page: no verdict left on screen after Clear or a refused submission; every field error at
once with a summary linking to each; every code the page can show has a plain label and an explanation on
hover and keyboard focus (checked against the schema's enums); the footer's note on the scenario data only
when it is loaded; the whole task by keyboard alone."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.conftest_server import ROOT, start_server
from tests.scenario_cases import case
from tests.ui.support import fill_clearance, open_page

expect = pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright package").expect
pytestmark = pytest.mark.e2e

# The enums whose values the officer's page shows (decisions, declaration table, registry browser).
DISPLAYED_ENUMS = ["Outcome", "ReasonCode", "WarningCode", "CheckCode", "RouteKind", "ArrangementKind",
                   "SignatoryStatus", "Activity", "AttestationType", "PathLinkKind", "Assurance", "Confidence",
                   "CabKind"]
ENUM_VALUES = """query EnumValues($name: String!) { __type(name: $name) { enumValues(includeDeprecated: true) { name } } }"""
VOCABULARY = """async () => (await import('/static/js/vocabulary.js')).VOCABULARY"""


def decide(page, case_id: str):
    fill_clearance(page, case(case_id))
    page.get_by_role("button", name="Decide").click()
    decision = page.locator("#decision")
    expect(decision.locator(".verdict")).to_have_attribute("data-outcome", case(case_id).outcome.value)
    return decision


def test_clear_takes_the_verdict_away_and_says_so(page):
    open_page(page)
    decision = decide(page, "S03")
    expect(decision.get_by_role("heading", name="RECOGNISED")).to_be_visible()
    page.get_by_role("button", name="Clear").click()
    expect(decision).to_be_hidden()
    expect(page.locator(".verdict")).to_have_count(0)
    expect(page.locator("#verdict-live")).to_have_text("Form cleared. No decision is shown.")


def test_a_refused_submission_leaves_no_stale_verdict(page):
    open_page(page)
    decide(page, "S03")
    page.get_by_label("HS code").fill("0406")
    page.get_by_role("button", name="Decide").click()
    expect(page.locator(".verdict")).to_have_count(0)
    expect(page.locator("#decision")).to_be_hidden()
    expect(page.locator("#verdict-live")).to_have_text("No decision: 1 field to correct.")
    # Nor after the server refuses an input: the earlier verdict does not come back.
    page.get_by_label("HS code").fill("040690")
    page.get_by_label("Exporting economy").fill("XX")
    page.get_by_role("button", name="Decide").click()
    expect(page.locator("#clearance-status")).to_contain_text("The registry could not decide")
    expect(page.locator(".verdict")).to_have_count(0)
    expect(page.locator("#verdict-live")).to_have_text("No decision: the registry could not decide.")


def test_every_field_error_at_once_each_tied_to_its_field_with_a_summary(page, watch):
    open_page(page)
    fill_clearance(page, case("S03"))
    page.get_by_label("Exporting economy").fill("FRA")
    page.get_by_label("Importing economy").fill("J")
    page.get_by_label("HS code").fill("0406")
    page.get_by_role("button", name="Decide").click()
    expected = {
        "Exporting economy": "exporter: 'FRA' is not an ISO 3166-1 alpha-2 country code",
        "Importing economy": "importer: 'J' is not an ISO 3166-1 alpha-2 country code",
        "HS code": "hs_code: '0406' is not an HS code of 6 to 10 digits",
    }
    for label, message in expected.items():
        field = page.get_by_label(label)
        expect(field).to_have_attribute("aria-invalid", "true")
        # The message is the field's description: a screen reader reads it with the field.
        expect(field).to_have_accessible_description(message)
    summary = page.locator("#clearance-errors")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("There are 3 problems")
    links = summary.get_by_role("link")
    expect(links).to_have_text(list(expected.values()))
    links.nth(1).click()
    expect(page.get_by_label("Importing economy")).to_be_focused()
    assert watch.operations_named("Clearance") == []
    # Corrected, the errors and the summary go.
    page.get_by_label("Exporting economy").fill("FR")
    page.get_by_label("Importing economy").fill("JP")
    page.get_by_label("HS code").fill("040690")
    page.get_by_role("button", name="Decide").click()
    expect(page.locator("#decision .verdict")).to_have_attribute("data-outcome", "RECOGNISED")
    expect(summary).to_be_hidden()
    expect(page.locator("#clearance-form [aria-invalid]")).to_have_count(0)


def test_server_errors_go_next_to_their_fields_together(page):
    open_page(page)
    fill_clearance(page, case("S03"))
    page.get_by_label("Exporting economy").fill("XX")
    page.get_by_label("Importing economy").fill("YY")
    page.get_by_role("button", name="Decide").click()
    expect(page.get_by_label("Exporting economy")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Importing economy")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#f-exporter-error")).to_contain_text("'XX' is not an ISO 3166-1 alpha-2 country code")
    expect(page.locator("#f-importer-error")).to_contain_text("'YY' is not an ISO 3166-1 alpha-2 country code")
    expect(page.locator("#clearance-errors").get_by_role("link")).to_have_count(2)


def engine_path_states() -> set[str]:
    """The states the engine writes on path links (strings, not an enum): read from its source."""
    states = set()
    domain = ROOT / "mra_registry" / "domain"
    wording = (domain / "wording.py").read_text(encoding="utf-8")
    for text in ((domain / "path_links.py").read_text(encoding="utf-8"), wording[wording.index("def in_force"):]):
        states |= set(re.findall(r'"([A-Z][A-Z_]{3,})"', text))
    from mra_registry.domain.codes import SignatoryStatus
    return states | {status.value for status in SignatoryStatus}


def test_every_code_the_page_can_show_has_a_plain_label_checked_against_the_schema(page):
    open_page(page)
    vocabulary = page.evaluate(VOCABULARY)
    missing, unexplained = [], []
    for enum in DISPLAYED_ENUMS:
        answer = page.evaluate("""async ([query, name]) => (await (await fetch('/graphql', { method: 'POST',
            headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables: { name } }) })).json())""",
                               [ENUM_VALUES, enum])
        values = [value["name"] for value in answer["data"]["__type"]["enumValues"]]
        assert values, f"the schema has no enum {enum}"
        for value in values:
            entry = vocabulary.get(enum, {}).get(value)
            if not entry:
                missing.append(f"{enum}.{value}")
            elif not (entry[0].strip() and entry[1].strip()):
                unexplained.append(f"{enum}.{value}")
    for state in sorted(engine_path_states()):
        if state not in vocabulary["PathState"]:
            missing.append(f"PathState.{state}")
    assert not missing, f"codes the page can show without a plain label: {missing}"
    assert not unexplained, f"codes without a label and an explanation: {unexplained}"
    # The new codes named by the issue are among them.
    for code in ["NO_POLICY_RECORDED", "CAB_NOT_RECORDED", "OFFICIAL_CERTIFICATE_ROUTE", "LIST_ROUTE", "ANY_ROUTE",
                 "NOT_COMPETENT_AUTHORITY", "NOT_ON_ACCEPTANCE_LIST", "LISTING_NOT_RECORDED"]:
        assert code in vocabulary["ReasonCode"]
    for code in ["BORDER_CHECKS", "ATTESTATION_NOT_REQUIRED", "STATUS_START_UNKNOWN"]:
        assert code in vocabulary["WarningCode"]


def test_a_code_explains_itself_on_hover_and_on_keyboard_focus(page):
    open_page(page)
    decision = decide(page, "S08")
    reason = decision.locator(".verdict__code .term[data-code=AB_SUSPENDED_AT_ISSUE]")
    # The code stays visible for reference, next to its plain label.
    expect(reason.locator(".term__label")).to_have_text("Accreditation body suspended at issue")
    code = reason.get_by_role("button", name="AB_SUSPENDED_AT_ISSUE")
    tip = reason.get_by_role("tooltip")
    expect(tip).to_be_hidden()
    code.hover()
    expect(tip).to_be_visible()
    expect(tip).to_have_text(
        "Accreditation body suspended at issue: The accreditation body was suspended in the arrangement on the issue date.")
    page.mouse.move(0, 0)
    expect(tip).to_be_hidden()
    code.focus()
    expect(tip).to_be_visible()
    expect(code).to_have_accessible_description(re.compile("^Accreditation body suspended at issue: "))
    page.keyboard.press("Escape")
    expect(tip).to_be_hidden()
    # Path states, link kinds, confidences and statuses are codes with words too.
    failing = decision.locator(".chain__link--fails")
    expect(failing.locator(".term[data-kind=PathState][data-code=SUSPENDED] .term__label")).to_have_count(1)
    expect(failing.locator(".term[data-kind=PathLinkKind]")).to_have_attribute("data-code", "SIGNATORY_STATUS")
    # Every code in the decision is such a term: no code left bare as jargon.
    bare = decision.evaluate("""(card) => [...card.querySelectorAll('code')].map((element) => element.textContent)""")
    assert bare == []
    for kind in decision.locator(".term").evaluate_all("(terms) => terms.map((term) => term.dataset.kind)"):
        assert kind


def test_the_fixtures_note_shows_only_with_the_scenario_data(page):
    open_page(page)
    note = page.locator("#fixtures-note")
    expect(note).to_be_visible()
    expect(note).to_contain_text("L01")


def test_no_fixtures_note_on_a_registry_without_the_scenario_data(chromium, tmp_path):
    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    subprocess.run([sys.executable, "-m", "mra_registry", "--database", url, "migrate"], cwd=ROOT, check=True,
                   capture_output=True, text=True)
    with start_server(url, log_path=tmp_path / "server.log") as live:
        context = chromium.new_context(base_url=live.base_url)
        try:
            page = context.new_page()
            open_page(page)
            expect(page.locator("#registry-version")).to_contain_text("Registry version")
            page.wait_for_load_state("networkidle")
            expect(page.locator("#fixtures-note")).to_be_hidden()
            expect(page.locator(".site-footer")).not_to_contain_text("L01", use_inner_text=True)
            expect(page.locator(".site-footer")).not_to_contain_text("L23", use_inner_text=True)
        finally:
            context.close()


def press_tab_until(page, locator, limit: int = 60) -> None:
    """Tabs forward until `locator` has the focus, as a keyboard user would."""
    for _ in range(limit):
        if locator.evaluate("(element) => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{locator} never received the focus by Tab")


def type_date(page, field, year: str, month: str, day: str) -> None:
    """Types a date into a focused date field by its segments, in the order the browser's locale shows them
    (month first, or day first); the arrow keys move back to the first segment between tries."""
    for order in ((month, day, year), (day, month, year)):
        for segment in order:
            page.keyboard.type(segment)
        if field.input_value() == f"{year}-{month}-{day}":
            return
        page.keyboard.press("ArrowLeft")
        page.keyboard.press("ArrowLeft")


def test_keyboard_only_fill_submit_read_explain_and_clear(page):
    open_page(page)
    page.keyboard.press("Tab")  # the skip link
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    press_tab_until(page, page.get_by_label("Exporting economy"))
    s03 = case("S03")
    typed = [("Exporting economy", "FR"), ("Importing economy", "JP"), ("HS code", "040690"), ("Consignment lot", "A1")]
    for index, (label, text) in enumerate(typed):
        expect(page.get_by_label(label)).to_be_focused()
        page.keyboard.type(text)
        page.keyboard.press("Tab")
    expect(page.get_by_label("Clearance date")).to_be_focused()
    type_date(page, page.get_by_label("Clearance date"), "2025", "09", "15")
    expect(page.get_by_label("Clearance date")).to_have_value("2025-09-15")
    press_tab_until(page, page.get_by_label("Issuer code"))
    page.keyboard.type("L02")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Issue date")).to_be_focused()
    type_date(page, page.get_by_label("Issue date"), "2025", "08", "10")
    expect(page.get_by_label("Issue date")).to_have_value(s03.issue_date.isoformat())
    page.keyboard.press("Tab")
    page.keyboard.type("COFRAC")
    press_tab_until(page, page.get_by_label("Tests listed"))
    page.keyboard.type("ISO 11290-1, ISO 6579-1, ISO 14501")
    page.keyboard.press("Enter")
    decision = page.locator("#decision")
    expect(decision.locator(".verdict")).to_have_attribute("data-outcome", "RECOGNISED")
    expect(page.locator("#verdict-live")).to_have_text(re.compile(r"^RECOGNISED: accepted, no retest\."))
    # Read on by keyboard: the reason's code explains itself on focus.
    code = decision.locator(".verdict__code").get_by_role("button", name="ARRANGEMENT_ROUTE")
    press_tab_until(page, code)
    expect(decision.locator(".verdict__code .term[data-code=ARRANGEMENT_ROUTE] [role=tooltip]")).to_be_visible()
    page.keyboard.press("Escape")
    expect(decision.locator(".verdict__code .term[data-code=ARRANGEMENT_ROUTE] [role=tooltip]")).to_be_hidden()
    # Back to the form (Shift+Tab) and Clear by keyboard.
    clear = page.get_by_role("button", name="Clear")
    for _ in range(40):
        if clear.evaluate("(element) => element === document.activeElement"):
            break
        page.keyboard.press("Shift+Tab")
    expect(clear).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".verdict")).to_have_count(0)
    expect(page.get_by_label("Exporting economy")).to_have_value("")
    expect(page.locator("#verdict-live")).to_have_text("Form cleared. No decision is shown.")
