"""Issue 12 on the officer's page: several documents per consignment (Add a document, sent as
`ClearanceInput.attestations`), the decision per requirement with its routes and the new warnings, and a
declaration whose lines carry further documents in the CLI's _2 … _9 columns."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.support import open_page

expect = pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright package").expect
pytestmark = pytest.mark.e2e


def fill_consignment(page, exporter, importer, hs, lot, clearance):
    page.get_by_label("Exporting economy").fill(exporter)
    page.get_by_label("Importing economy").fill(importer)
    page.get_by_label("HS code").fill(hs)
    page.get_by_label("Consignment lot").fill(lot)
    page.get_by_label("Clearance date").fill(clearance)


def fill_document(group, *, type, issuer, issued, body="", tests=""):
    group.get_by_label("Type of document").select_option(type)
    group.get_by_label("Issuer code").fill(issuer)
    group.get_by_label("Issue date").fill(issued)
    group.get_by_label("Accreditation body named").fill(body)
    group.get_by_label("Tests listed").fill(tests)


def first_document(page):
    return page.get_by_role("group", name="Document presented (attestation)")


def add_document(page, number: int):
    page.get_by_role("button", name="Add a document").click()
    group = page.get_by_role("group", name=f"Document {number}", exact=True)
    expect(group.get_by_label("Type of document")).to_be_focused()
    return group


def test_a_test_report_and_an_unneeded_inspection_report_fr_to_jp(page, watch):
    open_page(page)
    fill_consignment(page, "FR", "JP", "040690", "A-1", "2025-09-15")
    fill_document(first_document(page), type="TESTING", issuer="L02", issued="2025-08-10", body="COFRAC",
                  tests="ISO 11290-1, ISO 6579-1, ISO 14501")
    second = add_document(page, 2)
    fill_document(second, type="INSPECTION", issuer="L08", issued="2025-08-01")
    page.get_by_role("button", name="Decide").click()
    decision = page.locator("#decision")
    expect(decision.locator(".verdict")).to_have_attribute("data-outcome", "RECOGNISED")
    warning = decision.locator(".warnings__item")
    expect(warning).to_have_count(1)
    expect(warning).to_have_attribute("data-code", "ATTESTATION_NOT_REQUIRED")
    expect(warning).to_contain_text("Document not needed ATTESTATION_NOT_REQUIRED")
    inputs = decision.locator(".decision__inputs")
    expect(inputs).to_contain_text("Issuer (document 1)L02")
    expect(inputs).to_contain_text("Issuer (document 2)L08")
    sent = watch.operations_named("Clearance")[-1]["variables"]["input"]
    assert "attestation" not in sent
    assert [(document["type"], document["issuer"], document["issueDate"]) for document in sent["attestations"]] == [
        ("TESTING", "L02", "2025-08-10"), ("INSPECTION", "L08", "2025-08-01")]
    assert sent["attestations"][1]["lot"] == "A-1"  # a document names the consignment's lot unless it says otherwise


def test_s44_official_certificate_and_laboratory_report_each_requirement_with_its_route(page):
    open_page(page)
    fill_consignment(page, "EG", "FR", "120242", "G-1", "2026-03-01")
    fill_document(first_document(page), type="OFFICIAL_CERTIFICATE", issuer="AUTH-EG", issued="2026-02-01")
    fill_document(add_document(page, 2), type="TESTING", issuer="LAB-EG-0042", issued="2026-01-20",
                  tests="AFLATOXINS-B1-TOTAL")
    page.get_by_role("button", name="Decide").click()
    decision = page.locator("#decision")
    expect(decision.locator(".verdict")).to_have_attribute("data-outcome", "RECOGNISED")
    expect(decision.locator(".verdict__code")).to_contain_text("Accepted as an official certificate OFFICIAL_CERTIFICATE_ROUTE")
    expect(decision.locator(".warnings__item")).to_have_attribute("data-code", "BORDER_CHECKS")
    # Reasons and path under each requirement, with the route it passed (no arrangement for these kinds).
    why = decision.locator(".decision__why .requirement")
    expect(why).to_have_count(2)
    expect(why.locator(".requirement__title")).to_have_text(
        ["Requirement 1: met through Official certificate OFFICIAL_CERTIFICATE",
         "Requirement 2: met through Any issuer ANY"], use_inner_text=True)
    expect(why.nth(0).locator(".reasons__item")).to_have_attribute("data-code", "OFFICIAL_CERTIFICATE_ROUTE")
    expect(why.nth(1).locator(".reasons__item")).to_have_attribute("data-code", "ANY_ROUTE")
    path = decision.locator(".decision__path")
    expect(path.locator(".requirement").first.locator(".chain__link[data-kind=COMPETENCE]")).to_have_count(1)
    expect(path.locator(".requirement").first.locator(".chain__link[data-kind=COMPETENCE] .chain__kind")).to_have_text("Competence")
    summary = decision.locator(".decision__summary")
    expect(summary).to_contain_text("Routes that passed")
    expect(summary.locator(".routes li")).to_have_text(
        ["requirement 1: Official certificate OFFICIAL_CERTIFICATE", "requirement 2: Any issuer ANY"], use_inner_text=True)


def test_a_document_can_be_removed_and_clear_keeps_one(page):
    open_page(page)
    add_document(page, 2)
    third = add_document(page, 3)
    page.get_by_role("group", name="Document 2", exact=True).get_by_role("button", name="Remove document 2").click()
    expect(page.get_by_role("button", name="Add a document")).to_be_focused()
    expect(third).to_have_count(0)  # the former third is now the second
    expect(page.get_by_role("group", name="Document 2", exact=True)).to_have_count(1)
    page.get_by_role("button", name="Clear").click()
    expect(page.locator("fieldset.document")).to_have_count(1)


def test_a_further_document_s_problems_are_named_on_its_own_fields(page, watch):
    open_page(page)
    fill_consignment(page, "FR", "JP", "040690", "A-1", "2025-09-15")
    fill_document(first_document(page), type="TESTING", issuer="L02", issued="2025-08-10")
    second = add_document(page, 2)
    second.get_by_label("Issuer code").fill("L08")
    page.get_by_role("button", name="Decide").click()
    expect(second.get_by_label("Type of document")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#clearance-errors")).to_contain_text("document 2: a document needs its type, issuer and issue date together")
    assert watch.operations_named("Clearance") == []


DECLARATION = """exporter,importer,hs_code,lot,clearance_date,type,issuer,issue_date,accreditation_body,tests,type_2,issuer_2,issue_date_2,tests_2
FR,JP,040690,A-1,2025-09-15,TESTING,L02,2025-08-10,COFRAC,ISO 11290-1;ISO 6579-1;ISO 14501,INSPECTION,L08,2025-08-01,
EG,FR,120242,G-1,2026-03-01,OFFICIAL_CERTIFICATE,AUTH-EG,2026-02-01,,,TESTING,LAB-EG-0042,2026-01-20,AFLATOXINS-B1-TOTAL
FR,JP,040690,A-2,2025-09-15,TESTING,L02,2025-08-10,COFRAC,ISO 11290-1;ISO 6579-1;ISO 14501,,,,
"""


def test_a_declaration_with_two_documents_a_line_in_the_cli_s_columns(page, watch):
    open_page(page, "/#declaration")
    page.get_by_label("or paste the CSV here").fill(DECLARATION)
    page.get_by_role("button", name="Decide all lines").click()
    rows = page.locator(".table--verdicts tbody tr.table__line")
    expect(rows).to_have_count(3)
    expect(rows.locator("td:nth-child(5)")).to_have_text(["✔ RECOGNISED"] * 3)
    expect(rows.nth(0).locator("td:nth-child(4) li")).to_have_text(
        ["TESTING from L02, issued 2025-08-10", "INSPECTION from L08, issued 2025-08-01"])
    expect(rows.nth(0).locator("td:nth-child(8) li")).to_have_attribute("data-code", "ATTESTATION_NOT_REQUIRED")
    expect(rows.nth(1).locator("td:nth-child(7) li")).to_have_text(
        ["Official certificate OFFICIAL_CERTIFICATE", "Any issuer ANY"], use_inner_text=True)
    expect(rows.nth(1).locator("td:nth-child(8) li")).to_have_attribute("data-code", "BORDER_CHECKS")
    inputs = watch.operations_named("Declaration")[-1]["variables"]["inputs"]
    assert [len(line.get("attestations", [])) for line in inputs] == [2, 2, 0]
    assert "attestation" in inputs[2]
    assert inputs[1]["attestations"][1]["tests"] == ["AFLATOXINS-B1-TOTAL"]

    with page.expect_download() as downloaded:
        page.get_by_role("button", name="Download verdicts as CSV").click()
    text = Path(downloaded.value.path()).read_text(encoding="utf-8")
    assert "OFFICIAL_CERTIFICATE; ANY" in text  # each requirement's route, as the CLI writes them
