"""The registry browser: an accreditation body's status history as a timeline (KCA's suspension), a CAB's
accreditations, scope and designations (L18), an arrangement's signatories on a chosen date (ILAC_MRA)."""
from __future__ import annotations

import pytest

from tests.ui.support import ARTIFACTS, open_page

expect = pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright package").expect
pytestmark = pytest.mark.e2e


def open_registry(page):
    open_page(page)
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Registry").click()
    # The navigation moves the keyboard focus to the section it opens.
    expect(page.get_by_role("heading", name="Registry", exact=True)).to_be_focused()


def test_an_accreditation_body_timeline_shows_its_suspension(page):
    open_registry(page)
    form = page.locator("#ab-form")
    form.get_by_label("Code").fill("KCA")
    form.get_by_label("Code").press("Enter")
    expect(page.get_by_role("heading", name="KCA — Kyrgyz Center of Accreditation")).to_be_visible()
    expect(page).to_have_url(page.url.split("#")[0] + "#registry/ab/KCA")
    row = page.locator(".timeline__row")
    expect(row).to_have_count(1)
    expect(row.locator(".timeline__label")).to_have_text("ILAC_MRA · TESTING")
    bars = row.locator(".timeline__bar")
    expect(bars).to_have_count(3)
    suspended = row.locator(".timeline__bar--suspended")
    expect(suspended).to_have_count(1)
    # Told in words as well as by colour and pattern: the bar's text and tooltip name the status and dates.
    expect(suspended).to_have_text("SUSPENDED 2018-01-01 – 2018-10-01")
    expect(suspended).to_have_attribute("title", "SUSPENDED 2018-01-01 – 2018-10-01")
    expect(row.locator(".timeline__bar--signatory")).to_have_count(2)
    expect(row.locator(".timeline__bar--open-end")).to_have_text("SIGNATORY 2018-10-02 – open")
    # A suspended bar does not look like a signatory one even without colour: it has another background.
    looks = page.evaluate("""() => [...document.querySelectorAll('.timeline__bar')]
        .map((bar) => getComputedStyle(bar).backgroundImage)""")
    assert looks[1] != looks[0] and "repeating-linear-gradient" in looks[1]
    expect(page.locator(".timeline__legend")).to_contain_text("Suspended (SUSPENDED)")
    expect(page.locator("table").filter(has_text="Status records").locator("tbody tr")).to_have_count(3)
    page.locator(".record").screenshot(path=ARTIFACTS / "registry-KCA-timeline.png")


def test_a_cab_shows_its_accreditations_scope_and_designations(page):
    open_page(page, "/#registry/cab/L18")
    expect(page.get_by_role("heading", name="L18 — Hsinchu Telecom Test Lab")).to_be_visible()
    expect(page.locator("#cab-code")).to_have_value("L18")
    cards = page.locator(".card")
    expect(cards).to_have_count(2)
    testing = page.locator('.card[data-number="TAF-T-L18"]')
    expect(testing.locator(".card__title")).to_have_text("TAF TAF-T-L18 · Testing TESTING", use_inner_text=True)
    expect(testing).to_contain_text("2015-01-01 – 2028-12-31")
    expect(testing.locator(".card__state")).to_contain_text("active today")
    expect(testing.locator("tbody td")).to_have_text(["FCC Part 15", "8517"])
    expect(page.locator('.card[data-number="TAF-P-L18"] tbody td')).to_have_text(["TELECOM-EQ-CERT", "8517"])
    designations = page.locator("h3:has-text('Designations') + .table-wrap tbody tr")
    expect(designations).to_have_count(1)
    expect(designations).to_contain_text("APEC_TEL_MRA")
    expect(designations).to_contain_text("US")
    expect(designations).to_contain_text("2005-01-01 – open")


def test_an_arrangement_signatories_on_a_chosen_date(page):
    open_registry(page)
    form = page.locator("#arrangement-form")
    form.get_by_label("Arrangement").select_option("ILAC_MRA")
    form.get_by_label("Activity").select_option("TESTING")
    form.get_by_label("On").fill("2018-06-01")
    form.get_by_role("button", name="Show").click()
    signatories = page.locator(".table--signatories")
    expect(signatories.locator("caption")).to_contain_text("Status on 2018-06-01 for testing")
    kca = signatories.locator("tbody tr").filter(has_text="KCA")
    expect(kca.locator(".badge")).to_have_text("SUSPENDED", use_inner_text=True)
    expect(signatories.locator("tbody tr").filter(has_text="UKAS").locator(".badge")).to_have_text("SIGNATORY", use_inner_text=True)
    expect(signatories.locator("tbody tr").filter(has_text="PNGLAS").locator(".badge")).to_have_text("SUSPENDED", use_inner_text=True)

    # The same arrangement a year later: KCA was reinstated on 2018-10-02.
    form.get_by_label("On").fill("2019-06-01")
    form.get_by_label("On").press("Enter")
    expect(signatories.locator("caption")).to_contain_text("Status on 2019-06-01")
    expect(kca.locator(".badge")).to_have_text("SIGNATORY", use_inner_text=True)
    # Each body links to its own history.
    kca.get_by_role("link").click()
    expect(page.get_by_role("heading", name="KCA — Kyrgyz Center of Accreditation")).to_be_visible()
    page.go_back()
    expect(signatories.locator("caption")).to_contain_text("Status on 2019-06-01")


def test_an_unknown_code_says_so(page):
    open_page(page, "/#registry/ab/NOPE")
    expect(page.locator(".notice")).to_contain_text("There is no accreditation body with the code “NOPE”")
