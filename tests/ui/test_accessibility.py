"""Accessibility checks measured in the browser: every control has a label, and every visible text has
enough contrast against what is behind it (WCAG 2 AA: 4.5:1, 3:1 for large text), on each view with
content: decisions (recognised with a warning, retest with a failing link), the declaration table, the
registry browser's timeline and tables, and the explorer."""
from __future__ import annotations

import pytest

from tests.scenario_cases import case
from tests.ui.support import fill_clearance, open_page

expect = pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright package").expect
pytestmark = pytest.mark.e2e

# Runs in the page: each visible element with its own text, its colour against the background behind it
# (gradients: every stop is checked; translucent layers are composed over what is below them).
CONTRAST_AUDIT = """() => {
  const parse = (text) => (text.match(/rgba?\\([^)]*\\)/g) || []).map((value) => {
    const [r, g, b, a = 1] = value.match(/[\\d.]+/g).map(Number);
    return { r, g, b, a };
  });
  const over = (top, below) => ({ r: top.r * top.a + below.r * (1 - top.a), g: top.g * top.a + below.g * (1 - top.a),
                                  b: top.b * top.a + below.b * (1 - top.a), a: 1 });
  const backgrounds = (element) => {
    if (!element || element === document.documentElement) return [{ r: 255, g: 255, b: 255, a: 1 }];
    const style = getComputedStyle(element);
    if (style.backgroundImage.includes("gradient")) return parse(style.backgroundImage).map((stop) => over(stop, { r: 255, g: 255, b: 255, a: 1 }));
    const [color] = parse(style.backgroundColor);
    const below = backgrounds(element.parentElement);
    if (!color || color.a === 0) return below;
    return below.map((under) => over(color, under));
  };
  const luminance = ({ r, g, b }) => {
    const channel = (value) => { value /= 255; return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const ratio = (one, two) => { const [a, b] = [luminance(one), luminance(two)].sort((x, y) => y - x); return (a + 0.05) / (b + 0.05); };
  const failures = [];
  for (const element of document.querySelectorAll("body *")) {
    const ownText = [...element.childNodes].some((node) => node.nodeType === 3 && node.textContent.trim());
    if (!ownText || !element.checkVisibility() || element.closest(".visually-hidden")) continue;
    const style = getComputedStyle(element);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    const needed = large ? 3 : 4.5;
    const [text] = parse(style.color);
    for (const background of backgrounds(element)) {
      const measured = ratio(over(text, background), background);
      if (measured < needed) {
        failures.push(`${element.tagName.toLowerCase()}.${element.className}: "${element.textContent.trim().slice(0, 40)}" ${measured.toFixed(2)}:1 < ${needed}:1`);
        break;
      }
    }
  }
  return failures;
}"""

UNLABELLED = """() => [...document.querySelectorAll('input, select, textarea')]
  .filter((control) => control.type !== 'hidden' && !control.labels?.length && !control.getAttribute('aria-label'))
  .map((control) => control.id || control.name)"""


def assert_readable(page) -> None:
    assert page.evaluate(UNLABELLED) == []
    failures = page.evaluate(CONTRAST_AUDIT)
    assert failures == [], "text with too little contrast:\n" + "\n".join(failures)


@pytest.mark.parametrize("case_id", ["S14", "S08", "S02", "S35", "S43", "S42"])
def test_a_decision_is_labelled_and_readable(page, case_id):
    open_page(page)
    fill_clearance(page, case(case_id))
    page.get_by_role("button", name="Decide").click()
    expect(page.locator("#decision .verdict")).to_have_attribute("data-outcome", case(case_id).outcome.value)
    # The form is grouped: each group has a legend a screen reader announces with its fields.
    expect(page.locator("#clearance-form fieldset > legend")).to_have_text(
        ["Consignment", "Document presented (attestation)"])
    assert_readable(page)


def test_the_declaration_table_is_readable(page):
    open_page(page, "/#declaration")
    page.get_by_role("button", name="Insert an example declaration").click()
    page.get_by_role("button", name="Decide all lines").click()
    expect(page.locator(".table--verdicts tbody tr.table__line")).to_have_count(5)
    expect(page.locator(".table--verdicts .table__checks-row")).to_have_count(1)  # the UNDETERMINED line's checks
    assert_readable(page)


@pytest.mark.parametrize("path, ready", [
    ("/#registry/ab/KCA", ".timeline__bar--suspended"),
    ("/#registry/cab/L18", ".card"),
    ("/#registry/arrangement/ILAC_MRA?on=2018-06-01&activity=TESTING", ".table--signatories"),
])
def test_the_registry_views_are_readable(page, path, ready):
    open_page(page, path)
    expect(page.locator(ready).first).to_be_visible()
    assert_readable(page)


def test_the_explorer_is_labelled_and_readable(page):
    open_page(page, "/graphql")
    page.get_by_role("button", name="Run").click()
    expect(page.locator("#result-status")).to_have_text("HTTP 200 OK · data")
    expect(page.locator("#docs .docs__field").first).to_be_visible()
    assert_readable(page)


def test_the_skip_link_is_first_and_keeps_the_view(page):
    open_page(page, "/#registry/ab/KCA")
    expect(page.locator(".timeline")).to_be_visible()
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()  # hidden until focused, then shown
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
    expect(page.locator("#registry")).to_be_visible()
    expect(page.locator(".timeline")).to_be_visible()
