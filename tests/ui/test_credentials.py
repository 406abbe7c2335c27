"""Issue 14 on the officer's page: a document's signed credential, pasted or chosen as a file, sent as
`attestation.credential`; the decision names who signed it (the CAB and its identifier) and whether its
signature, issuer binding and status hold, beside the usual verdict. Over the real server (scenario fixtures:
L02's identifier, public keys and a status list with S40's entry set); credentials from tests/credentials."""
from __future__ import annotations

import pytest

from tests.credentials import factory
from tests.credentials import keys as K
from tests.ui.support import open_page

expect = pytest.importorskip("playwright.sync_api", reason="browser tests need the playwright package").expect
pytestmark = pytest.mark.e2e


def fill_consignment(page, lot: str) -> None:
    page.get_by_label("Exporting economy").fill("FR")
    page.get_by_label("Importing economy").fill("JP")
    page.get_by_label("HS code").fill("040690")
    page.get_by_label("Consignment lot").fill(lot)
    page.get_by_label("Clearance date").fill("2025-09-15")


def document_group(page):
    return page.get_by_role("group", name="Document presented (attestation)")


def credential_part(decision, label: str):
    return decision.locator(".credential .facts__row", has=decision.page.locator("dt", has_text=label)) \
        .locator(".credential__state")


def test_s03s_valid_credential_pasted_alone_is_recognised_and_holds(page, watch):
    open_page(page)
    fill_consignment(page, "S03-LOT")
    group = document_group(page)
    group.get_by_label("Issue date").fill("")  # the credential's validFrom fills it; its issuer names the CAB
    group.get_by_label("Signed credential").fill(factory.valid())
    page.get_by_role("button", name="Decide").click()
    decision = page.locator("#decision")
    expect(decision.locator(".verdict")).to_have_attribute("data-outcome", "RECOGNISED")
    expect(decision.locator(".verdict")).to_contain_text("ARRANGEMENT_ROUTE")
    signer = decision.locator(".credential__signer")
    expect(signer).to_contain_text("L02")
    expect(signer).to_contain_text(K.L02_IDENTIFIER)
    expect(signer).to_contain_text("Laboratoire Fromager de Lyon")
    for label in ("Signature", "Issuer binding", "Key and dates", "Status (revocation)"):
        expect(credential_part(decision, label)).to_have_attribute("data-state", "holds")
    sent = watch.operations_named("Clearance")[-1]["variables"]["input"]["attestation"]
    assert sent["credential"] == factory.valid()
    assert (sent["issuer"], sent["issueDate"], sent["type"]) == ("", "2025-08-10", "TESTING")


def test_s40s_revoked_credential_from_a_file_is_refused_as_revoked(page, watch, tmp_path):
    path = tmp_path / "s40.jwt"
    path.write_text(factory.revoked() + "\n")
    open_page(page)
    fill_consignment(page, "S40-LOT")
    group = document_group(page)
    group.get_by_label("Issuer code").fill("L02")
    group.get_by_label("Issue date").fill("2025-08-10")
    group.get_by_label("Or choose a credential file").set_input_files(str(path))
    expect(group.get_by_label("Signed credential")).to_have_value(factory.revoked())
    page.get_by_role("button", name="Decide").click()
    decision = page.locator("#decision")
    expect(decision.locator(".verdict")).to_have_attribute("data-outcome", "INVALID")
    expect(decision.locator(".verdict")).to_contain_text("CREDENTIAL_REVOKED")
    expect(decision.locator(".credential__signer")).to_contain_text(f"L02 (Laboratoire Fromager de Lyon SAS), "
                                                                    f"identifier {K.L02_IDENTIFIER}")
    expect(credential_part(decision, "Signature")).to_have_attribute("data-state", "holds")
    expect(credential_part(decision, "Issuer binding")).to_have_attribute("data-state", "holds")
    status = credential_part(decision, "Status (revocation)")
    expect(status).to_have_attribute("data-state", "fails")
    expect(status).to_contain_text("entry 40")
    sent = watch.operations_named("Clearance")[-1]["variables"]["input"]["attestation"]
    assert sent["credential"] == factory.revoked() and sent["issuer"] == "L02"


def test_s03s_valid_credential_from_a_file(page, tmp_path):
    path = tmp_path / "s03.jwt"
    path.write_text(factory.valid())
    open_page(page)
    fill_consignment(page, "S03-LOT")
    group = document_group(page)
    group.get_by_label("Issuer code").fill("L02")
    group.get_by_label("Issue date").fill("2025-08-10")
    group.get_by_label("Or choose a credential file").set_input_files(str(path))
    page.get_by_role("button", name="Decide").click()
    decision = page.locator("#decision")
    expect(decision.locator(".verdict")).to_have_attribute("data-outcome", "RECOGNISED")
    expect(credential_part(decision, "Status (revocation)")).to_have_attribute("data-state", "holds")


@pytest.mark.parametrize(("make", "failing"), [
    (factory.forged, "Signature"), (factory.wrong_issuer, "Issuer binding"), (factory.revoked_key, "Key and dates"),
], ids=["forged", "wrong-issuer", "revoked-key"])
def test_which_part_of_a_refused_credential_fails(page, make, failing):
    open_page(page)
    fill_consignment(page, "S03-LOT")
    group = document_group(page)
    group.get_by_label("Issuer code").fill("L02")
    group.get_by_label("Issue date").fill("2025-08-10")
    group.get_by_label("Signed credential").fill(make())
    page.get_by_role("button", name="Decide").click()
    decision = page.locator("#decision")
    expect(decision.locator(".verdict")).to_contain_text("CREDENTIAL_INVALID")
    expect(credential_part(decision, failing)).to_have_attribute("data-state", "fails")
    expect(credential_part(decision, "Status (revocation)")).to_have_attribute("data-state", "unchecked")


def test_an_unknown_status_list_shows_the_status_unknown_and_the_check(page):
    open_page(page)
    fill_consignment(page, "S03-LOT")
    document_group(page).get_by_label("Issuer code").fill("L02")
    document_group(page).get_by_label("Issue date").fill("2025-08-10")
    credential = factory.sign(factory.dcc(status_list="https://fixtures.invalid/l02/status/other"))
    document_group(page).get_by_label("Signed credential").fill(credential)
    page.get_by_role("button", name="Decide").click()
    decision = page.locator("#decision")
    expect(decision.locator(".verdict")).to_have_attribute("data-outcome", "RECOGNISED")
    expect(credential_part(decision, "Status (revocation)")).to_have_attribute("data-state", "unknown")
    expect(decision.locator(".checks__item")).to_have_attribute("data-code", "CREDENTIAL_STATUS_UNKNOWN")
    expect(decision.locator(".checks__item")).to_contain_text("Credential status unknown")
