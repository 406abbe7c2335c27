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
    expect(warning).to_contain_text("Successor arrangement used SUCCESSION_APPLIED")
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
    expect(signatory).to_contain_text("Confirmed CONFIRMED")
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


# The background a verdict of each outcome gets, read from the page's own stylesheet.
VERDICT_BACKGROUNDS = """() => Object.fromEntries(["recognised", "not-required", "retest-required", "invalid", "undetermined"]
  .map((name) => { const probe = document.createElement("div"); probe.className = `verdict verdict--${name}`;
    document.body.append(probe); const colour = getComputedStyle(probe).backgroundColor; probe.remove();
    return [name, colour]; }))"""


def assert_neutral_verdict(page, decision) -> None:
    """UNDETERMINED is drawn as itself: its own class, not the recognised or retest look, in its own colour."""
    verdict = decision.locator(".verdict")
    expect(verdict).to_have_attribute("data-outcome", "UNDETERMINED")
    expect(verdict).to_have_class(re.compile(r"\bverdict--undetermined\b"))
    classes = verdict.get_attribute("class")
    for other in ("recognised", "not-required", "retest-required", "invalid"):
        assert f"verdict--{other}" not in classes
    backgrounds = page.evaluate(VERDICT_BACKGROUNDS)
    shown = verdict.evaluate("(element) => getComputedStyle(element).backgroundColor")
    assert shown == backgrounds["undetermined"]
    assert shown not in {backgrounds["recognised"], backgrounds["not-required"], backgrounds["retest-required"],
                         backgrounds["invalid"]}
    # Not by colour alone: a "?" mark, a headline that says what to do, and what it means in words.
    expect(decision.locator(".verdict__symbol")).to_have_text("?")
    expect(decision.get_by_role("heading", name="UNDETERMINED: verify before acting")).to_be_visible()
    expect(decision.locator(".verdict__gloss")).to_have_text(
        "the registry does not know a fact this decision needs; this is not a refusal and not an approval")


def test_s35_undetermined_when_the_issuer_is_not_in_the_registry(page):
    decision = decide(page, "S35")
    assert_neutral_verdict(page, decision)
    expect(decision.locator(".verdict__code")).to_contain_text("CAB_NOT_RECORDED")
    expect(decision.locator(".reasons__message")).to_contain_text("The registry does not hold the issuer LAB-X-9999")
    checks = decision.locator(".checks")
    expect(checks.get_by_role("heading", name="Before acting, verify:")).to_be_visible()
    expect(checks).to_have_class(re.compile(r"\bchecks--undetermined\b"))
    item = checks.locator(".checks__item")
    expect(item).to_have_count(1)
    expect(item).to_have_attribute("data-code", "CAB_NOT_RECORDED")
    expect(item).to_contain_text("Issuer not recorded CAB_NOT_RECORDED")
    expect(item).to_contain_text("Verify LAB-X-9999's accreditation (the document names no accreditation body)")
    expect(item.locator(".checks__where--none")).to_have_text("The registry records no place to verify this.")
    expect(decision.locator(".assurance .badge")).to_have_attribute("data-assurance", "FIXTURE")
    expect(decision.locator(".assurance")).to_contain_text("FIXTURE")
    expect(decision.locator(".assurance")).to_contain_text("it rests on invented test data")
    # The policy is the one fact the decision got as far as: it is shown; no issuer to link.
    expect(path_links(decision)).to_have_count(1)
    expect(path_links(decision).first).to_have_attribute("data-kind", "POLICY")
    expect(page.locator("#verdict-live")).to_have_text(re.compile(
        r"^UNDETERMINED: the registry does not know a fact this decision needs; this is not a refusal and not an "
        r"approval\. .*Before acting, verify 1 fact\. Assurance: FIXTURE\.$"))


def test_s43_undetermined_when_a_body_s_inspection_status_is_not_recorded(page):
    decision = decide(page, "S43")
    assert_neutral_verdict(page, decision)
    expect(decision.locator(".verdict__code")).to_contain_text("STATUS_NOT_RECORDED")
    item = decision.locator(".checks .checks__item")
    expect(item).to_have_count(1)
    expect(item).to_have_attribute("data-code", "STATUS_NOT_RECORDED")
    expect(item).to_contain_text("Verify that ENAC was a signatory of ILAC_MRA for inspection on 2025-03-01")
    # Where to verify: the arrangement's signatory list, as links an officer can follow (https only).
    links = item.locator(".checks__where a")
    expect(links.first).to_have_attribute(
        "href", "https://ilac.org/ilac-mra-and-signatories/accredited-conformity-assessment-bodies/")
    for href in links.evaluate_all("(anchors) => anchors.map((anchor) => anchor.href)"):
        assert href.startswith("https://")
    expect(decision.locator(".assurance .badge")).to_have_text("✎ FIXTURE", use_inner_text=True)
    # The checks come before the reasons and the path: they are what the officer must act on.
    order = decision.evaluate("""(card) => [...card.querySelectorAll('.verdict, .assurance, .checks, .decision__why, .decision__path')]
        .map((element) => element.className.split(' ')[0])""")
    assert order == ["verdict", "assurance", "checks", "decision__why", "decision__path"]
    page.locator("#decision").screenshot(path=ARTIFACTS / "S43-decision.png")


def test_s42_recognised_with_a_status_start_unknown_shows_the_warning_the_check_and_the_assurance(page):
    decision = decide(page, "S42")
    verdict = decision.locator(".verdict")
    expect(verdict).to_have_attribute("data-outcome", "RECOGNISED")
    expect(verdict).to_have_class(re.compile(r"\bverdict--recognised\b"))
    expect(decision.get_by_role("heading", name="RECOGNISED", exact=True)).to_be_visible()
    warning = decision.locator(".warnings__item")
    expect(warning).to_have_attribute("data-code", "STATUS_START_UNKNOWN")
    expect(warning).to_contain_text("Status start unknown STATUS_START_UNKNOWN")
    expect(warning).to_contain_text("ENAC's SIGNATORY status in ILAC_MRA for testing has no recorded start")
    checks = decision.locator(".checks")
    expect(checks.get_by_role("heading", name="Before acting, verify:")).to_be_visible()
    expect(checks).not_to_have_class(re.compile(r"\bchecks--undetermined\b"))
    item = checks.locator(".checks__item")
    expect(item).to_have_count(1)
    expect(item).to_have_attribute("data-code", "STATUS_START_UNKNOWN")
    expect(item).to_contain_text("Verify that ENAC held SIGNATORY status in ILAC_MRA for testing on 2023-06-01")
    expect(item.locator(".checks__where a").first).to_have_attribute("href", re.compile(r"^https://ilac\.org/"))
    expect(decision.locator(".assurance .badge")).to_have_attribute("data-assurance", "FIXTURE")
    expect(decision.locator(".decision__summary")).to_contain_text("FIXTURE: it rests on invented test data")
    expect(page.locator("#verdict-live")).to_have_text(re.compile(
        r"^RECOGNISED: accepted, no retest\. .*1 warning\. Before acting, verify 1 fact\. Assurance: FIXTURE\.$"))


def test_a_decision_without_checks_shows_none_but_still_its_assurance(page):
    decision = decide(page, "S03")
    expect(decision.locator(".checks")).to_have_count(0)
    expect(decision.locator(".assurance .badge")).to_be_visible()
    expect(decision.locator(".assurance")).to_contain_text("Assurance")


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
    expect(decision.locator(".assurance")).to_be_visible()
    expect(decision.locator(".assurance .badge")).to_be_visible()
    expect(decision.locator(".print-footer")).to_contain_text("registry version")
    page.screenshot(path=ARTIFACTS / "print-view-S14.png", full_page=True)


def test_the_print_view_of_an_undetermined_decision_keeps_the_verdict_checks_and_assurance(page):
    decision = decide(page, "S43")
    page.emulate_media(media="print")
    expect(page.locator("#clearance-form")).to_be_hidden()
    expect(decision.get_by_role("heading", name="UNDETERMINED: verify before acting")).to_be_visible()
    expect(decision.locator(".verdict__gloss")).to_be_visible()
    expect(decision.locator(".checks .checks__item")).to_be_visible()
    expect(decision.locator(".checks .checks__item")).to_contain_text("ilac.org")
    expect(decision.locator(".assurance")).to_be_visible()
    expect(decision.locator(".assurance")).to_contain_text("FIXTURE")
    page.screenshot(path=ARTIFACTS / "print-view-S43.png", full_page=True)


def test_malformed_input_is_named_next_to_its_field_and_nothing_is_sent(page, watch):
    open_page(page)
    fill_clearance(page, case("S03"))
    page.get_by_label("HS code").fill("0406")
    page.get_by_role("button", name="Decide").click()
    hs = page.get_by_label("HS code")
    expect(hs).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#f-hs-error")).to_have_text("hs_code: '0406' is not an HS code of 6 to 10 digits")
    # The summary above the form takes the focus and links to the field.
    summary = page.locator("#clearance-errors")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name="hs_code: '0406' is not an HS code of 6 to 10 digits").click()
    expect(hs).to_be_focused()
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


@pytest.mark.parametrize("case_id", ["S14", "S43"])
def test_usable_at_360_pixels_wide(page, case_id):
    page.set_viewport_size({"width": 360, "height": 740})
    decision = decide(page, case_id)
    expect(decision.locator(".verdict")).to_have_attribute("data-outcome", case(case_id).outcome.value)
    # Nothing wider than the screen: no sideways scrolling to read the verdict, the checks (long source
    # addresses) or the path.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=ARTIFACTS / f"narrow-360-{case_id}.png", full_page=True)


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
