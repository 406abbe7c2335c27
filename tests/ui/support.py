"""What the browser tests share with the README screenshot script: Debian's chromium launched headless by
Playwright (never a browser Playwright downloads), the scenario registry made the way an operator makes one,
and form filling by the labels an officer reads."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest_server import ROOT
from tests.scenario_cases import ScenarioCase

CHROMIUM = Path("/usr/bin/chromium")
# Headless, and nothing that phones home: the pages must work on a machine with no network.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCENARIOS = ROOT / "data" / "fixtures" / "scenarios.json"
ARTIFACTS = ROOT / "test-artifacts" / "ui"


def missing_requirement() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[test]')"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install -y chromium; .ci/run installs it)"
    return None


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def make_scenario_database(directory: Path) -> str:
    """A SQLite registry made with `mra-registry migrate`, then `load data/fixtures/scenarios.json`."""
    url = f"sqlite:///{directory / 'registry.sqlite3'}"
    for command in (["migrate"], ["load", str(SCENARIOS)]):
        subprocess.run([sys.executable, "-m", "mra_registry", "--database", url, *command], cwd=ROOT, check=True,
                       capture_output=True, text=True)
    return url


def fill_clearance(page, case: ScenarioCase) -> None:
    """Types a SCENARIOS.md case into the clearance form, field by field, as an officer would."""
    page.get_by_label("Exporting economy").fill(case.exporter)
    page.get_by_label("Importing economy").fill(case.importer)
    page.get_by_label("HS code").fill(case.hs_code)
    page.get_by_label("Consignment lot").fill(case.shipped_lot or "")
    page.get_by_label("Clearance date").fill(case.clearance_date.isoformat())
    page.get_by_label("Type of document").select_option(case.type.value)
    page.get_by_label("Issuer code").fill(case.issuer)
    page.get_by_label("Issue date").fill(case.issue_date.isoformat())
    page.get_by_label("Accreditation body named").fill(case.accreditation_body or "")
    page.get_by_label("Lot named on the document").fill(case.lot or "")
    page.get_by_label("Tests listed").fill(", ".join(case.tests or ()))
    page.get_by_label("Issued under accreditation").set_checked(case.under_accreditation)


def open_page(page, path: str = "/") -> None:
    """Opens a page and waits until its script has set up every handler (main.js marks the body)."""
    page.goto(path)
    page.locator("body[data-ready=true]").wait_for()
