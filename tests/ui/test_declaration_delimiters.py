"""Declaration mode reads semicolon- and tab-separated files as `mra-registry check --csv` does: the delimiter
is read from the header (comma, semicolon or tab, whichever names the most columns), quoted cells may hold it,
and tests within a cell are split at '|' or the one of ';' and ',' that is not the delimiter. The lines the
page sends are the ones the CLI's reader makes of the same file."""
from __future__ import annotations

import pytest

from mra_registry.checking.lines import read_csv
from tests.ui.support import open_page

expect = pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright package").expect
pytestmark = pytest.mark.e2e

COLUMNS = ["exporter", "importer", "hs_code", "lot", "clearance_date", "type", "issuer", "issue_date",
           "accreditation_body", "accreditation_number", "attestation_lot", "tests", "under_accreditation"]
ALL_TESTS = ["ISO 11290-1", "ISO 6579-1", "ISO 14501"]
# S03, S08, S02 and S35 of SCENARIOS.md, as a spreadsheet in most of Europe saves them: ';' between cells,
# ',' (or '|') between tests, a byte-order mark and CRLF line ends; quoted lots hold the delimiter (and a
# doubled quote), a quoted issuer has spaces around it, and every cell of the last line is quoted.
SEMICOLON = ("\ufeff" + ";".join(COLUMNS) + "\r\n"
             "FR;JP;0406.90;S03-LOT;2025-09-15;TESTING;L02;2025-08-10;COFRAC;;;ISO 11290-1,ISO 6579-1,ISO 14501;yes\r\n"
             'KG;AU;040690;"S08; quoted";2018-11-15;TESTING;L06;2018-10-01;KCA;;;;\r\n'
             'FR;DE;040690;S02-LOT;2026-09-01;TESTING;" L02 ";2026-08-20;COFRAC;;;"ISO 11290-1|ISO 6579-1";\r\n'
             '"FR";"JP";"040690";"S35 ""lab""; quoted";2026-05-20;TESTING;LAB-X-9999;2026-05-01;;;;;\r\n')
# The same lines tab-separated, as a spreadsheet's "text (tab-delimited)" saves them: ';' or '|' between
# tests; a quoted lot holds ',' and ';', a quoted tests cell ';', and every cell of the last line is quoted.
# (A tab or a line break inside a cell would be read, but the registry refuses control characters in a lot.)
TAB = ("\t".join(COLUMNS) + "\n"
       'FR\tJP\t040690\tS03-LOT\t2025-09-15\tTESTING\tL02\t2025-08-10\tCOFRAC\t\t\t"ISO 11290-1;ISO 6579-1|ISO 14501"'
       "\tyes\n"
       'KG\tAU\t040690\t"S08, quoted; too"\t2018-11-15\tTESTING\tL06\t2018-10-01\tKCA\t\t\t\t\n'
       "FR\tDE\t0406 90\tS02-LOT\t2026-09-01\tTESTING\tL02\t2026-08-20\tCOFRAC\t\t\t\t\n"
       + "\t".join(f'"{cell}"' for cell in ["FR", "JP", "040690", "S35", "2026-05-20", "TESTING", "LAB-X-9999",
                                          "2026-05-01", "", "", "", "", ""]) + "\n")
VERDICTS = ["✔ RECOGNISED", "✖ RETEST REQUIRED", "✔ NOT REQUIRED", "? UNDETERMINED"]


def decide_uploaded(page, path):
    open_page(page, "/#declaration")
    page.get_by_label("Upload a CSV file").set_input_files(path)
    expect(page.get_by_label("or paste the CSV here")).not_to_have_value("")
    page.get_by_role("button", name="Decide all lines").click()


def sent_lines(watch) -> list[dict]:
    declarations = watch.operations_named("Declaration")
    assert len(declarations) == 1, "a declaration is decided in ONE clearances request"
    return declarations[0]["variables"]["inputs"]


def cli_lines(text: str) -> list[dict]:
    """The lines `mra-registry check --csv` makes of the same text (before any is decided)."""
    entries = read_csv(text)
    assert all(entry.error is None for entry in entries), [entry.error for entry in entries]
    return [entry.line for entry in entries]


def test_an_uploaded_semicolon_separated_declaration_is_decided(page, watch, tmp_path):
    path = tmp_path / "declaration.csv"
    path.write_bytes(SEMICOLON.encode("utf-8"))
    decide_uploaded(page, path)

    rows = page.locator(".table--verdicts tbody tr.table__line")
    expect(rows).to_have_count(4)
    expect(rows.locator("td:nth-child(5)")).to_have_text(VERDICTS)
    expect(rows.locator("td:nth-child(2)")).to_have_text(["2", "3", "4", "5"])
    expect(rows.nth(1).locator("td:nth-child(3)")).to_contain_text("lot S08; quoted")
    expect(rows.nth(3).locator("td:nth-child(3)")).to_contain_text('lot S35 "lab"; quoted')
    expect(page.locator("#declaration-problems li")).to_have_count(0)

    lines = sent_lines(watch)
    assert lines[0]["attestation"]["tests"] == ALL_TESTS  # ',' between tests in a ';' file
    assert lines[0]["hsCode"] == "040690"  # '0406.90', as the CLI reads it
    assert lines[1]["lot"] == "S08; quoted"
    assert lines[2]["attestation"]["tests"] == ALL_TESTS[:2]  # '|' too
    assert lines[3]["lot"] == 'S35 "lab"; quoted'
    assert lines == cli_lines(SEMICOLON)


def test_an_uploaded_tab_separated_declaration_is_decided(page, watch, tmp_path):
    path = tmp_path / "declaration.tsv"
    path.write_text(TAB, encoding="utf-8")
    decide_uploaded(page, path)

    rows = page.locator(".table--verdicts tbody tr.table__line")
    expect(rows).to_have_count(4)
    expect(rows.locator("td:nth-child(5)")).to_have_text(VERDICTS)
    expect(rows.locator("td:nth-child(2)")).to_have_text(["2", "3", "4", "5"])
    expect(rows.nth(1).locator("td:nth-child(3)")).to_contain_text("lot S08, quoted; too")

    lines = sent_lines(watch)
    assert lines[0]["attestation"]["tests"] == ALL_TESTS  # ';' and '|' between tests in a tab file
    assert lines[1]["lot"] == "S08, quoted; too"
    assert lines[2]["hsCode"] == "040690"  # '0406 90', as the CLI reads it
    assert lines[3]["lot"] == "S35"
    assert lines == cli_lines(TAB)


def test_a_comma_in_a_quoted_cell_of_a_comma_separated_file_still_is_one_cell(page, watch):
    text = (",".join(COLUMNS) + "\n"
            'FR,JP,040690,"S03, quoted; too",2025-09-15,TESTING,L02,2025-08-10,COFRAC,,,'
            '"ISO 11290-1;ISO 6579-1;ISO 14501",yes\n')
    open_page(page, "/#declaration")
    page.get_by_label("or paste the CSV here").fill(text)
    page.get_by_role("button", name="Decide all lines").click()
    expect(page.locator(".table--verdicts tbody tr.table__line td:nth-child(5)")).to_have_text(["✔ RECOGNISED"])
    lines = sent_lines(watch)
    assert lines[0]["lot"] == "S03, quoted; too" and lines[0]["attestation"]["tests"] == ALL_TESTS
    assert lines == cli_lines(text)


def test_a_bad_header_names_the_delimiter_read_and_an_unclosed_quote_its_line(page, watch):
    open_page(page, "/#declaration")
    text = page.get_by_label("or paste the CSV here")
    text.fill("exporter;importer;hs_code;colour\nFR;JP;040690;red\n")
    page.get_by_role("button", name="Decide all lines").click()
    expect(page.locator("#declaration-problems li")).to_have_text(
        "The header (semicolon-separated) must name columns among exporter, importer, hs_code, lot, clearance_date, "
        "type, issuer, issue_date, accreditation_body, accreditation_number, attestation_lot, tests, "
        "under_accreditation; unknown: colour")
    text.fill("exporter\timporter\ths_code\tlot\nFR\tJP\t040690\tA1\nFR\tJP\t040690\t\"A2\n")
    page.get_by_role("button", name="Decide all lines").click()
    expect(page.locator("#declaration-problems li")).to_have_text("CSV line 3: a quoted cell is never closed")
    assert watch.operations_named("Declaration") == []
