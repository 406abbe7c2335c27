"""Makes docs/images/decision.png, the README's picture of a decision: SCENARIOS.md case S14 (recognised
through the Global ACI MRA, with the succession warning) decided on the officer's page of a real server.

    python -m tests.ui.readme_screenshot [OUTPUT]

Needs what the browser tests need (playwright and /usr/bin/chromium). The picture is 1000 px wide.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from tests.conftest_server import ROOT, start_server
from tests.scenario_cases import case
from tests.ui.support import fill_clearance, launch_chromium, make_scenario_database, missing_requirement, open_page

OUTPUT = ROOT / "docs" / "images" / "decision.png"


def main(output: Path = OUTPUT) -> None:
    reason = missing_requirement()
    if reason:
        sys.exit(f"cannot take the screenshot: {reason}")
    from playwright.sync_api import expect, sync_playwright

    with tempfile.TemporaryDirectory() as directory, sync_playwright() as playwright:
        url = make_scenario_database(Path(directory))
        with start_server(url, log_path=Path(directory) / "server.log") as server:
            browser = launch_chromium(playwright)
            page = browser.new_page(base_url=server.base_url, viewport={"width": 1000, "height": 800}, locale="en-GB")
            open_page(page)
            fill_clearance(page, case("S14"))
            page.get_by_role("button", name="Decide").click()
            expect(page.locator("#decision .verdict")).to_have_attribute("data-outcome", "RECOGNISED")
            output.parent.mkdir(parents=True, exist_ok=True)
            # The decision itself, without the form above it, down to the end of the recognition path: the
            # verdict, the reason, the warning, the decision record and the chain of links.
            # Page coordinates, not the viewport's: the page scrolls to the decision when it arrives.
            clip = page.evaluate("""() => {
                const card = document.querySelector('#decision').getBoundingClientRect();
                const path = document.querySelector('#decision .decision__path').getBoundingClientRect();
                return { x: card.left + scrollX, y: card.top + scrollY, width: card.width,
                         height: path.bottom - card.top + 16 };
            }""")
            page.screenshot(path=output, clip=clip, full_page=True, animations="disabled")
            browser.close()
    print(f"wrote {output}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUTPUT)
