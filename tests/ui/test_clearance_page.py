"""The officer's clearance form on a real server: SCENARIOS.md cases typed in, the verdict, the reason in
words and the recognition path read back from the page, warnings, the print view, input problems, and a
360 px wide screen."""
from __future__ import annotations

import re

import pytest

from tests.scenario_cases import case
from tests.ui.support import ARTIFACTS, fill_clearance, open_page

expect = pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright package").expect
pytestmark = pytest.mark.e2e


def decide(page, case_id: str):
    open_page(page)
    fill_clearance(page, case(case_id))
    page.get_by_label("Tests listed").press("Enter")  # Enter in any field submits, as in any form
    return page.locator("#decision")


def path_links(decision):
    return decision.locator(".chain__link")


def test_s03_recognised_through_the_ilac_mra(page):
    decision = decide(page, "S03")
    expect(decision.locator(".verdict")).to_have_attribute("data-outcome", "RECOGNISED")
    expect(decision.get_by_role("heading", name="RECOGNISED")).to_be_visible()
    expect(decision.locator(".verdict__gloss")).to_have_text("accepted, no retest")
    expect(decision.locator(".reasons__message")).to_contain_text(
        "COFRAC, which accredits L02 for testing, was a signatory of ILAC_MRA for testing on 2025-08-10")
    expect(decision.locator(".decision__summary")).to_contain_text("ARRANGEMENT ILAC_MRA")
    expect(decision.locator(".decision__summary")).to_contain_text("P-JP-0406")
    links = path_links(decision)
    expect(links).to_have_count(4)
    expect(links.nth(0)).to_have_attribute("data-kind", "POLICY")
    expect(links.nth(2)).to_contain_text("COFRAC accreditation COFRAC-T-L02 for testing")
    expect(links.nth(2)).to_contain_text("2019-01-01 – 2028-12-31")
    expect(links.nth(3)).to_contain_text("COFRAC in ILAC_MRA for testing: SIGNATORY")
    expect(decision.locator(".chain__link--fails")).to_have_count(0)
    expect(decision.locator(".chain__holds")).to_have_text(["✓ holds"] * 4)
    # The verdict is announced to screen readers in words, with the reason.
    expect(page.locator("#verdict-live")).to_have_text(re.compile(r"^RECOGNISED: accepted, no retest\. COFRAC"))


def test_s14_recognised_through_the_global_aci_mra_with_the_succession_warning(page):
    decision = decide(page, "S14")
    expect(decision.locator(".verdict")).to_have_attribute("data-outcome", "RECOGNISED")
    expect(decision.locator(".reasons__message")).to_contain_text(
        "was a signatory of GLOBAL_ACI_MRA (the policy names ILAC_MRA)")
    expect(decision.locator(".decision__summary")).to_contain_text("ARRANGEMENT GLOBAL_ACI_MRA")
    warning = decision.locator(".warnings__item")
    expect(warning).to_have_count(1)
    expect(warning).to_have_attribute("data-code", "SUCCESSION_APPLIED")
    expect(warning).to_contain_text("SUCCESSION APPLIED")
    expect(warning).to_contain_text("evaluated in GLOBAL_ACI_MRA, which succeeded it")
    links = path_links(decision)
    expect(links.locator(".chain__kind")).to_have_text(
        ["Import policy", "Conformity assessment body", "Accreditation", "Succession of arrangements", "Signatory status"])
    succession = links.nth(3)
    expect(succession).to_contain_text("ILAC_MRA superseded by GLOBAL_ACI_MRA on 2026-01-01")
    expect(succession.locator(".sources a").first).to_have_attribute("href", re.compile(r"^https://ilac\.org/"))
    signatory = links.nth(4)
    expect(signatory).to_contain_text("UKAS in GLOBAL_ACI_MRA for testing: SIGNATORY")
    expect(signatory).to_contain_text("On the issue date (2026-03-01)")
    expect(signatory).to_contain_text("On the clearance date (2026-04-01)")
    expect(signatory).to_contain_text("confirmed")
    page.locator("#decision").screenshot(path=ARTIFACTS / "S14-decision.png")


def test_s08_retest_because_the_body_was_suspended_on_the_issue_date(page):
    decision = decide(page, "S08")
    expect(decision.locator(".verdict")).to_have_attribute("data-outcome", "RETEST_REQUIRED")
    expect(decision.get_by_role("heading", name="RETEST REQUIRED")).to_be_visible()
    expect(decision.locator(".verdict__code")).to_contain_text("AB_SUSPENDED_AT_ISSUE")
    expect(decision.locator(".reasons__message")).to_contain_text(
        "KCA was suspended in ILAC_MRA for testing on 2018-10-01, the issue date")
    failing = decision.locator(".chain__link--fails")
    expect(failing).to_have_count(1)
    expect(failing).to_have_attribute("data-kind", "SIGNATORY_STATUS")
    expect(failing.locator(".chain__holds")).to_have_text("✗ does not hold")
    expect(failing).to_contain_text("2018-01-01 – 2018-10-01")
    expect(failing).to_contain_text("SUSPENDED")
    expect(decision.locator(".decision__summary")).to_contain_text("Route that passed")
    expect(decision.locator(".decision__summary")).to_contain_text("none")


def test_s35_invalid_when_the_issuer_is_not_in_the_registry(page):
    decision = decide(page, "S35")
    expect(decision.locator(".verdict")).to_have_attribute("data-outcome", "INVALID")
    expect(decision.get_by_role("heading", name="INVALID")).to_be_visible()
    expect(decision.locator(".verdict__gloss")).to_have_text("the document cannot be relied on")
    expect(decision.locator(".reasons__message")).to_contain_text(
        "The issuer 'LAB-X-9999' is not a conformity assessment body in the registry")
    expect(path_links(decision)).to_have_count(0)
    expect(decision.locator(".chain__empty")).to_be_visible()


def test_s02_not_required_inside_the_eu(page):
    decision = decide(page, "S02")
    expect(decision.locator(".verdict")).to_have_attribute("data-outcome", "NOT_REQUIRED")
    expect(decision.get_by_role("heading", name="NOT REQUIRED")).to_be_visible()
    expect(decision.locator(".verdict__code")).to_contain_text("INTRA_UNION")
    expect(path_links(decision).first).to_be_visible()


def test_s15_recognised_through_a_government_arrangement_sector(page):
    decision = decide(page, "S15")
    expect(decision.locator(".verdict")).to_have_attribute("data-outcome", "RECOGNISED")
    expect(decision.locator(".decision__summary")).to_contain_text("GOVERNMENT EU_US_MRA / EU-US-TEL")
    expect(decision.locator('.chain__link[data-kind="DESIGNATION"]')).to_contain_text("L04")


def test_the_print_view_states_the_version_dates_inputs_and_path(page):
    decision = decide(page, "S14")
    expect(decision.get_by_role("button", name="Print this decision")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator("#clearance-form")).to_be_hidden()
    expect(page.locator(".site-header")).to_be_hidden()
    expect(decision.get_by_role("button", name="Print this decision")).to_be_hidden()
    expect(decision.locator(".print-title")).to_be_visible()
    summary = decision.locator(".decision__summary")
    expect(summary).to_contain_text("Registry version")
    expect(summary).to_contain_text("2026-03-01")
    expect(summary).to_contain_text("2026-04-01")
    inputs = decision.locator(".decision__inputs")
    expect(inputs).to_be_visible()
    expect(inputs).to_contain_text("GB → JP")
    expect(inputs).to_contain_text("040690")
    expect(inputs).to_contain_text("L16")
    expect(path_links(decision)).to_have_count(5)
    expect(decision.locator(".print-footer")).to_contain_text("registry version")
    page.screenshot(path=ARTIFACTS / "print-view-S14.png", full_page=True)


def test_malformed_input_is_named_next_to_its_field_and_nothing_is_sent(page, watch):
    open_page(page)
    fill_clearance(page, case("S03"))
    page.get_by_label("HS code").fill("0406")
    page.get_by_role("button", name="Decide").click()
    hs = page.get_by_label("HS code")
    expect(hs).to_have_attribute("aria-invalid", "true")
    expect(hs).to_be_focused()
    expect(page.locator("#f-hs-error")).to_have_text("hs_code: '0406' is not an HS code of 6 to 10 digits")
    expect(page.locator("#decision")).to_be_hidden()
    assert watch.operations_named("Clearance") == []


def test_an_input_the_server_refuses_is_shown_next_to_its_field(page):
    open_page(page)
    fill_clearance(page, case("S03"))
    page.get_by_label("Exporting economy").fill("XX")  # two letters, but no ISO 3166-1 country
    page.get_by_role("button", name="Decide").click()
    expect(page.locator("#f-exporter-error")).to_contain_text("'XX' is not an ISO 3166-1 alpha-2 country code")
    expect(page.locator("#clearance-status")).to_contain_text("The registry could not decide")


def test_keyboard_only_tab_order_and_enter(page):
    open_page(page)
    page.get_by_label("Exporting economy").focus()
    page.keyboard.type("FR")
    order = ["Importing economy", "HS code", "Consignment lot", "Clearance date"]
    for label, text in zip(order, ["JP", "040690", "A1", None]):
        page.keyboard.press("Tab")
        expect(page.get_by_label(label)).to_be_focused()
        if text:
            page.keyboard.type(text)
    page.get_by_label("Clearance date").fill("2025-09-15")
    for label, text in [("Issuer code", "L02"), ("Issue date", "2025-08-10"), ("Accreditation body named", "COFRAC"),
                        ("Tests listed", "ISO 11290-1, ISO 6579-1, ISO 14501")]:
        page.get_by_label(label).fill(text)
    page.get_by_label("HS code").press("Enter")
    expect(page.locator("#decision .verdict")).to_have_attribute("data-outcome", "RECOGNISED")
    # The focus ring is drawn (outline) on the element a keyboard user is on.
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"


def test_usable_at_360_pixels_wide(page):
    page.set_viewport_size({"width": 360, "height": 740})
    decision = decide(page, "S14")
    expect(decision.locator(".verdict")).to_have_attribute("data-outcome", "RECOGNISED")
    # Nothing wider than the screen: no sideways scrolling to read the verdict or the path.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=ARTIFACTS / "narrow-360-S14.png", full_page=True)


@pytest.mark.parametrize("path, ready", [
    ("/#registry/ab/KCA", ".timeline"),
    ("/#registry/cab/L18", ".card"),
    ("/#registry/arrangement/ILAC_MRA?on=2018-06-01", ".table--signatories"),
    ("/graphql", "#docs .docs__field"),
], ids=["ab", "cab", "arrangement", "explorer"])
def test_other_views_fit_360_pixels(page, path, ready):
    page.set_viewport_size({"width": 360, "height": 740})
    open_page(page, path)
    expect(page.locator(ready).first).to_be_visible()
    # Wide tables scroll inside their own frame; the page itself never scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_path_link_opens_the_record_in_the_registry_browser(page):
    decision = decide(page, "S14")
    decision.locator('.chain__link[data-kind="SIGNATORY_STATUS"]').get_by_role("link", name="UKAS", exact=True).click()
    expect(page.locator("#registry")).to_be_visible()
    expect(page.get_by_role("heading", name="UKAS — United Kingdom Accreditation Service")).to_be_visible()
    expect(page.locator(".timeline__row")).to_contain_text(["GLOBAL_ACI_MRA · TESTING"])
