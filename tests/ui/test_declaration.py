"""Declaration mode end to end: CSV pasted or uploaded, decided in ONE `clearances` request, a table of
verdicts, the CSV download's content, and clear messages for malformed lines (nothing decided then)."""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from tests.ui.support import open_page

expect = pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright package").expect
pytestmark = pytest.mark.e2e

HEADER = ("exporter,importer,hs_code,lot,clearance_date,type,issuer,issue_date,accreditation_body,"
          "accreditation_number,attestation_lot,tests,under_accreditation")
# S03, S14, S08, S02, S35, S43, S42 of SCENARIOS.md, one line each; the test columns use ';' as the CLI does.
DECLARATION = f"""{HEADER}
FR,JP,040690,S03-LOT,2025-09-15,TESTING,L02,2025-08-10,COFRAC,,,ISO 11290-1;ISO 6579-1;ISO 14501,yes
GB,JP,040690,S14-LOT,2026-04-01,TESTING,L16,2026-03-01,UKAS,,,ISO 11290-1;ISO 6579-1;ISO 14501,
KG,AU,040690,S08-LOT,2018-11-15,testing,L06,2018-10-01,KCA,,,,
FR,DE,040690,S02-LOT,2026-09-01,TESTING,L02,2026-08-20,COFRAC,,,,
"FR",JP,040690,"S35, quoted",2026-05-20,TESTING,LAB-X-9999,2026-05-01,,,,,
ES,GB,040690,S43-LOT,2025-03-20,INSPECTION,L22,2025-03-01,ENAC,,,,
ES,JP,040690,S42-LOT,2023-07-01,TESTING,L21,2023-06-01,ENAC,,,ISO 11290-1;ISO 6579-1;ISO 14501,
"""
EXPECTED = [("RECOGNISED", "ARRANGEMENT_ROUTE"), ("RECOGNISED", "ARRANGEMENT_ROUTE"),
            ("RETEST_REQUIRED", "AB_SUSPENDED_AT_ISSUE"), ("NOT_REQUIRED", "INTRA_UNION"),
            ("UNDETERMINED", "CAB_NOT_RECORDED"), ("UNDETERMINED", "STATUS_NOT_RECORDED"),
            ("RECOGNISED", "ARRANGEMENT_ROUTE")]


def open_declaration(page):
    open_page(page, "/#declaration")
    expect(page.get_by_role("heading", name="Declaration: many lines at once")).to_be_visible()


def test_a_pasted_declaration_is_decided_in_one_request_and_downloads_as_csv(page, watch):
    open_declaration(page)
    page.get_by_label("or paste the CSV here").fill(DECLARATION)
    page.get_by_role("button", name="Decide all lines").click()

    rows = page.locator(".table--verdicts tbody tr.table__line")
    expect(rows).to_have_count(7)
    expect(page.locator(".table--verdicts caption")).to_contain_text("7 lines")
    expect(page.locator(".table--verdicts thead th")).to_have_text(
        ["#", "CSV line", "Consignment", "Document", "Verdict", "Reason", "Route", "Warnings", "Assurance"])
    expect(rows.locator("td:nth-child(5)")).to_have_text(
        ["✔ RECOGNISED", "✔ RECOGNISED", "✖ RETEST REQUIRED", "✔ NOT REQUIRED", "? UNDETERMINED", "? UNDETERMINED",
         "✔ RECOGNISED"])
    # UNDETERMINED has its own badge: neither the recognised nor the retest one, nor the same colour.
    undetermined = rows.nth(4).locator("td:nth-child(5) .badge")
    expect(undetermined).to_have_class("badge badge--undetermined")
    expect(undetermined).to_have_attribute("data-outcome", "UNDETERMINED")
    colour = lambda badge: badge.evaluate("(element) => getComputedStyle(element).backgroundColor")  # noqa: E731
    assert colour(undetermined) not in {colour(rows.nth(0).locator("td:nth-child(5) .badge")),
                                        colour(rows.nth(2).locator("td:nth-child(5) .badge"))}
    expect(rows.nth(4)).to_have_attribute("data-outcome", "UNDETERMINED")
    expect(rows.locator("td:nth-child(9)")).to_have_text(["FIXTURE"] * 7, use_inner_text=True)
    expect(rows.nth(0).locator("td:nth-child(9) .badge")).to_have_attribute("data-assurance", "FIXTURE")
    # What to verify before acting: a full-width row right under each line that has checks (S35, S43, S42).
    checks = page.locator(".table--verdicts tbody tr.table__checks-row")
    expect(checks).to_have_count(3)
    expect(checks.locator(".table__checks-title")).to_have_text([
        "? Before acting, verify (line 5, CSV line 6):", "? Before acting, verify (line 6, CSV line 7):",
        "? Before acting, verify (line 7, CSV line 8):"])
    following = "xpath=following-sibling::tr[1]"
    expect(rows.nth(0).locator(following)).to_have_class("table__line table__line--recognised")
    expect(rows.nth(4).locator(following)).to_have_class(re.compile(r"\btable__checks-row--undetermined\b"))
    expect(checks.nth(0).locator(".table__checks > li")).to_have_attribute("data-code", "CAB_NOT_RECORDED")
    expect(checks.nth(0)).to_contain_text("Verify LAB-X-9999's accreditation")
    expect(checks.nth(1).locator(".table__checks > li")).to_have_attribute("data-code", "STATUS_NOT_RECORDED")
    expect(checks.nth(1).locator("a").first).to_have_attribute("href", re.compile(r"^https://ilac\.org/"))
    expect(checks.nth(2).locator(".table__checks > li")).to_have_attribute("data-code", "STATUS_START_UNKNOWN")
    expect(checks.nth(2)).not_to_have_class(re.compile(r"undetermined"))
    expect(rows.nth(6).locator("td:nth-child(8) li")).to_have_attribute("data-code", "STATUS_START_UNKNOWN")
    expect(rows.nth(1).locator("td:nth-child(8) li")).to_have_attribute("data-code", "SUCCESSION_APPLIED")
    expect(rows.nth(1).locator("td:nth-child(8)")).to_contain_text("Successor arrangement used SUCCESSION_APPLIED")
    expect(rows.nth(2).locator("td:nth-child(6)")).to_contain_text("KCA was suspended in ILAC_MRA")
    expect(rows.nth(4).locator("td:nth-child(3)")).to_contain_text("lot S35, quoted")
    expect(page.locator("#declaration-live")).to_have_text(
        "7 lines decided: 3 RECOGNISED, 1 RETEST REQUIRED, 1 NOT REQUIRED, 2 UNDETERMINED. "
        "3 lines to verify before acting.")

    # On a desktop screen the whole table is seen at once, without scrolling sideways.
    assert page.evaluate("""() => { const wrap = document.querySelector('#declaration-result .table-wrap');
        return wrap.querySelector('table').scrollWidth <= wrap.clientWidth; }""")

    declarations = watch.operations_named("Declaration")
    assert len(declarations) == 1, "a declaration is decided in ONE clearances request"
    assert len(declarations[0]["variables"]["inputs"]) == 7
    assert declarations[0]["variables"]["inputs"][2]["attestation"]["type"] == "TESTING"  # 'testing' read as the CLI does
    assert watch.operations_named("Clearance") == []

    with page.expect_download() as downloaded:
        page.get_by_role("button", name="Download verdicts as CSV").click()
    download = downloaded.value
    assert download.suggested_filename.startswith("verdicts-") and download.suggested_filename.endswith(".csv")
    content = Path(download.path()).read_text(encoding="utf-8")
    records = list(csv.DictReader(io.StringIO(content)))
    # The columns `mra-registry check --csv --output csv` writes, so both files can be handled alike.
    assert list(records[0]) == ["line", "exporter", "importer", "hs_code", "lot", "issuer", "type", "issue_date",
                                "outcome", "reason", "route", "policy", "warnings", "clearance_date",
                                "registry_version", "assurance", "checks", "explanation"]
    assert [(record["outcome"], record["reason"]) for record in records] == EXPECTED
    assert records[0]["route"] == "ARRANGEMENT ILAC_MRA" and records[0]["policy"] == "P-JP-0406"
    assert records[1]["route"] == "ARRANGEMENT GLOBAL_ACI_MRA" and records[1]["warnings"] == "SUCCESSION_APPLIED"
    assert records[4]["lot"] == "S35, quoted"
    assert records[4]["explanation"].startswith("The registry does not hold the issuer LAB-X-9999")
    assert {record["assurance"] for record in records} == {"FIXTURE"}
    assert records[0]["checks"] == ""
    assert records[4]["checks"].startswith("CAB_NOT_RECORDED: Verify LAB-X-9999's accreditation")
    assert records[5]["checks"].startswith("STATUS_NOT_RECORDED: Verify that ENAC was a signatory of ILAC_MRA")
    assert records[6]["checks"].startswith("STATUS_START_UNKNOWN: Verify that ENAC held SIGNATORY status")
    assert records[6]["warnings"] == "STATUS_START_UNKNOWN"
    assert {record["registry_version"] for record in records} == {"1"}


def test_an_uploaded_file_is_shown_then_decided(page, tmp_path):
    declaration = tmp_path / "declaration.csv"
    declaration.write_text("\ufeff" + DECLARATION.replace("\n", "\r\n"), encoding="utf-8")  # as a spreadsheet saves it
    open_declaration(page)
    page.get_by_label("Upload a CSV file").set_input_files(declaration)
    # What will be decided is shown first (a text area holds LF line ends; the byte-order mark is not text).
    expect(page.get_by_label("or paste the CSV here")).to_have_value(DECLARATION)
    page.get_by_role("button", name="Decide all lines").click()
    expect(page.locator(".table--verdicts tbody tr.table__line")).to_have_count(7)


def test_malformed_lines_are_each_named_and_nothing_is_decided(page, watch):
    open_declaration(page)
    page.get_by_label("or paste the CSV here").fill(
        f"{HEADER}\n"
        "FR,JP,040690,A1,2025-09-15,TESTING,L02,2025-08-10,COFRAC,,,,\n"
        "FR,JP,0406,A2,2025-09-15,TESTING,L02,2025-08-10,COFRAC,,,,\n"
        "FR,JP,040690,A3,2025-09-15,TESTING,L02,,COFRAC,,,,\n"
        "FR,JP,040690,A4,2025-02-30,TESTING,L02,2025-01-10,COFRAC,,,,\n"
        "FR,JP,040690,A5,2025-09-15,TESTING,L02,2025-08-10,COFRAC,,,,maybe\n"
        "FR,JP,040690,A6,2025-09-15,TESTING,L02,2025-08-10,COFRAC,,,,yes,extra\n")
    page.get_by_role("button", name="Decide all lines").click()
    problems = page.locator("#declaration-problems")
    expect(problems.locator(".problems__title")).to_contain_text("Nothing was decided")
    expect(problems.locator("li")).to_have_text([
        "CSV line 3: hs_code: '0406' is not an HS code of 6 to 10 digits",
        "CSV line 4: a document needs its type, issuer and issue date together",
        "CSV line 5: clearance_date: '2025-02-30' is not a date (YYYY-MM-DD)",
        "CSV line 6: under_accreditation: 'maybe' is not yes or no",
        "CSV line 7: 14 cells but the header names 13 columns",
    ])
    expect(page.get_by_role("button", name="Download verdicts as CSV")).to_be_disabled()
    expect(page.locator("#declaration-result")).to_be_hidden()
    assert watch.operations_named("Declaration") == []


def test_a_bad_header_and_a_line_the_server_refuses_are_explained(page):
    open_declaration(page)
    text = page.get_by_label("or paste the CSV here")
    text.fill("exporter,importer,hs,colour\nFR,JP,040690,red\n")
    page.get_by_role("button", name="Decide all lines").click()
    expect(page.locator("#declaration-problems li")).to_have_text(
        "The header (comma-separated) must name columns among exporter, importer, hs_code, lot, clearance_date, type, issuer, issue_date, "
        "accreditation_body, accreditation_number, attestation_lot, tests, under_accreditation; unknown: hs, colour; "
        "missing: hs_code")
    # XX looks like a country code; only the server knows it is none: its refusal names the CSV line.
    text.fill(f"{HEADER}\nFR,JP,040690,,2025-09-15,,,,,,,,\nXX,JP,040690,,2025-09-15,,,,,,,,\n")
    page.get_by_role("button", name="Decide all lines").click()
    expect(page.locator("#declaration-problems li")).to_have_text(
        "CSV line 3: exporter: 'XX' is not an ISO 3166-1 alpha-2 country code")
