"""Signed decision receipts (issue 14): clearanceRecord records and signs; a receipt verifies offline with only
the published key and a tampered one does not; every recorded receipt, re-decided at its registry version
after a hundred later writes, gives the signed decision back; the CLI's verify-receipt says so by its exit
status, offline and against a database or a server."""
from __future__ import annotations

import base64
import dataclasses
import json

import pytest
import requests
from joserfc.jwk import OKPKey
from sqlalchemy.orm import Session

from mra_registry.checking.decision_json import DECISION_SELECTION
from mra_registry.cli import main
from mra_registry.receipt_keys import (
    WELL_KNOWN_PATH,
    ReceiptInvalid,
    canonical_json,
    input_sha256,
    load_receipt,
    signer_for,
    verify,
)
from mra_registry.store.receipts import all_receipts
from mra_registry.store.tokens import Role
from tests.api.support import registry_version
from tests.conftest_server import live_server  # noqa: F401
from tests.scenario_cases import CASES, case, to_clearance_input

from .writes import make_writes

RECORD = """
mutation($input: ClearanceInput!) {
  clearanceRecord(input: $input) {
    errors { field message code }
    registryVersion
    receipt { id jws keyId registryVersion issuedAt inputSha256 input decision }
    decision { %s }
  }
}
""" % DECISION_SELECTION

DECIDE = "query($input: ClearanceInput!, $v: Int) { clearance(input: $input, asOfRegistryVersion: $v) { %s } }" % (
    DECISION_SELECTION)


def new_key(kid: str | None = None) -> OKPKey:
    return OKPKey.generate_key("Ed25519", parameters={"kid": kid} if kid else None, private=True)


def jwk_text(key: OKPKey) -> str:
    return json.dumps(key.as_dict(private=True))


@pytest.fixture
def signed(api):
    """The API with a signing key of its own (on both backends: PostgreSQL gets no development key)."""
    key = new_key("test-key-1")
    api.configure(dataclasses.replace(api.settings, receipt_signing_key=jwk_text(key)))
    api.jwks = signer_for(jwk_text(key), api.settings.database_url).jwks()
    return api


def record(api, token: str | None, data: dict) -> dict:
    result = api(RECORD, {"input": data}, token=token)
    assert not result.errors, result.errors
    return result.data["clearanceRecord"]


def receipt_of(payload: dict) -> dict:
    assert payload["errors"] == [], payload["errors"]
    receipt = payload["receipt"]
    return receipt | {"input": json.loads(receipt["input"]), "decision": json.loads(receipt["decision"])}


def decide(api, data: dict, version: int | None = None) -> dict:
    result = api(DECIDE, {"input": data, "v": version})
    assert not result.errors, result.errors
    return result.data["clearance"]


def payload_of(compact: str) -> dict:
    body = compact.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


# -- recording -----------------------------------------------------------------------------------------------
def test_a_receipt_holds_the_decision_as_the_api_gives_it_signed_and_verifiable_offline(signed):
    token = signed.token(Role.IMPORT_REGULATOR, "JP")  # any valid token
    data = to_clearance_input(case("S03"))
    version = registry_version(signed)

    payload = record(signed, token, data)
    receipt = receipt_of(payload)

    # the decision is the API's, at the current version, and the registry did not move
    assert receipt["decision"] == decide(signed, data) == payload["decision"]
    assert receipt["registryVersion"] == payload["registryVersion"] == version == registry_version(signed)
    assert receipt["input"] == data  # the case gives every field; the date was given
    assert receipt["inputSha256"] == input_sha256(data)
    # verified with only the published key set; the payload is what the receipt shows, in canonical form
    verified = verify(receipt["jws"], signed.jwks, receipt["input"])
    assert verified.kid == receipt["keyId"] == "test-key-1" and verified.input_checked
    assert verified.payload == {"receiptId": receipt["id"], "issuedAt": receipt["issuedAt"],
                                "registryVersion": version, "inputSha256": receipt["inputSha256"],
                                "decision": receipt["decision"]}
    # stored with its input and the asking token
    with Session(signed.services.engine) as session:
        [stored] = list(all_receipts(session))
    assert (stored.id, stored.jws, stored.input, stored.decision) == (
        receipt["id"], receipt["jws"], data, receipt["decision"])
    assert stored.token_id == token.split("_", 2)[1]


def test_the_clearance_date_is_resolved_into_the_signed_input(signed):
    data = to_clearance_input(case("S03"))
    del data["clearanceDate"]
    receipt = receipt_of(record(signed, signed.token(Role.ADMINISTRATOR), data))
    assert receipt["input"]["clearanceDate"] == receipt["decision"]["clearanceDate"]
    assert receipt["inputSha256"] == input_sha256(receipt["input"])


def test_recording_needs_a_valid_token_and_refuses_bad_input_as_data(signed):
    data = to_clearance_input(case("S03"))
    assert [e["code"] for e in record(signed, None, data)["errors"]] == ["UNAUTHENTICATED"]
    assert [e["code"] for e in record(signed, "mra_nope_nope", data)["errors"]] == ["INVALID_TOKEN"]
    bad = data | {"hsCode": "0406"}
    result = signed(RECORD, {"input": bad}, token=signed.token(Role.ADMINISTRATOR))
    assert result.errors or record(signed, signed.token(Role.ADMINISTRATOR), bad)["errors"]
    with Session(signed.services.engine) as session:
        assert list(all_receipts(session)) == []


def test_without_a_key_postgresql_refuses_receipts_and_sqlite_keeps_a_development_key(api, tmp_path):
    if api.settings.database_url.startswith("sqlite"):
        receipt = receipt_of(record(api, api.token(Role.ADMINISTRATOR), to_clearance_input(case("S03"))))
        database = api.settings.database_url.removeprefix("sqlite:///")
        key_file = f"{database}.receipt-key.jwk"
        with open(key_file, encoding="utf-8") as handle:
            kid = json.load(handle)["kid"]
        assert receipt["keyId"] == kid
        import os
        import stat
        assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    else:
        payload = record(api, api.token(Role.ADMINISTRATOR), to_clearance_input(case("S03")))
        assert [e["code"] for e in payload["errors"]] == ["SERVICE_UNAVAILABLE"]
        assert "MRA_RECEIPT_SIGNING_KEY" in payload["errors"][0]["message"]


# -- tampering -----------------------------------------------------------------------------------------------
@pytest.fixture
def one_receipt(signed) -> dict:
    return receipt_of(record(signed, signed.token(Role.ADMINISTRATOR), to_clearance_input(case("S03"))))


def _flip(text: str, index: int) -> str:
    return text[:index] + ("A" if text[index] != "A" else "B") + text[index + 1:]


def test_a_receipt_with_one_character_of_its_payload_changed_does_not_verify(signed, one_receipt):
    header, body, signature = one_receipt["jws"].split(".")
    for index in (0, len(body) // 2, len(body) - 2):
        with pytest.raises(ReceiptInvalid):
            verify(".".join([header, _flip(body, index), signature]), signed.jwks)
    # and a changed decision, re-encoded whole, does not verify either
    forged = payload_of(one_receipt["jws"]) | {"decision": one_receipt["decision"] | {"outcome": "RECOGNISED",
                                                                                     "reason": "ANY_ROUTE"}}
    body = base64.urlsafe_b64encode(canonical_json(forged)).rstrip(b"=").decode()
    with pytest.raises(ReceiptInvalid, match="signature"):
        verify(".".join([header, body, signature]), signed.jwks)


def test_a_receipt_with_its_kid_swapped_or_checked_with_a_wrong_key_does_not_verify(signed, one_receipt):
    header, body, signature = one_receipt["jws"].split(".")
    other = new_key("test-key-2")
    both = {"keys": signed.jwks["keys"] + [other.as_dict(private=False) | {"alg": "Ed25519"}]}

    def with_kid(kid: str) -> str:
        decoded = json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))
        return base64.urlsafe_b64encode(canonical_json(decoded | {"kid": kid})).rstrip(b"=").decode()

    assert verify(one_receipt["jws"], both).kid == "test-key-1"
    with pytest.raises(ReceiptInvalid, match="signature"):  # names another published key
        verify(".".join([with_kid("test-key-2"), body, signature]), both)
    with pytest.raises(ReceiptInvalid, match="key id"):  # names no published key
        verify(".".join([with_kid("nobody"), body, signature]), signed.jwks)
    wrong = {"keys": [other.as_dict(private=False) | {"kid": "test-key-1"}]}  # a wrong key under the right kid
    with pytest.raises(ReceiptInvalid, match="signature"):
        verify(one_receipt["jws"], wrong)
    with pytest.raises(ReceiptInvalid, match="inputSha256"):
        verify(one_receipt["jws"], signed.jwks, one_receipt["input"] | {"lot": "OTHER"})


# -- reproducing ---------------------------------------------------------------------------------------------
def test_every_recorded_receipt_is_decided_again_as_signed_after_a_hundred_writes(signed):
    # given: a receipt for every scenario, and more after some of the writes (so receipts span versions)
    token = signed.token(Role.ADMINISTRATOR)
    for c in CASES:
        receipt_of(record(signed, token, to_clearance_input(c)))
    first = registry_version(signed)
    make_writes(signed, count=40)
    for c in CASES[:10]:
        receipt_of(record(signed, token, to_clearance_input(c)))
    make_writes(signed, count=62, start=40)
    assert registry_version(signed) == first + 102

    # then: each, verified with the published keys and re-decided at its version, gives the signed decision back
    with Session(signed.services.engine) as session:
        receipts = list(all_receipts(session))
    assert len(receipts) == len(CASES) + 10 and len({r.registry_version for r in receipts}) == 2
    moved = 0
    for stored in receipts:
        signed_payload = verify(stored.jws, signed.jwks, stored.input).payload
        assert decide(signed, stored.input, stored.registry_version) == signed_payload["decision"], stored.input
        moved += decide(signed, stored.input) != signed_payload["decision"]
    assert moved >= 3, "the later writes should have moved some of these decisions"


# -- over HTTP and in the CLI --------------------------------------------------------------------------------
def test_verify_receipt_offline_against_a_database_and_against_a_server(scenario_db_url, live_server, tmp_path,
                                                                         capsys):
    from mra_registry.store.database import make_engine
    from mra_registry.store.tokens import create_token

    key = new_key("served-key")
    engine = make_engine(scenario_db_url)
    with Session(engine) as session, session.begin():
        token, _ = create_token(session, Role.IMPORT_REGULATOR, "JP")
    engine.dispose()
    base = live_server(scenario_db_url, env={"MRA_RECEIPT_SIGNING_KEY": jwk_text(key)})

    # the published keys: a JWK Set with the kid, no private part
    published = requests.get(base + WELL_KNOWN_PATH, timeout=10)
    assert published.status_code == 200 and published.headers["content-type"].startswith("application/jwk-set+json")
    [jwk] = published.json()["keys"]
    assert jwk["kid"] == "served-key" and jwk["alg"] == "Ed25519" and "d" not in jwk
    keys_file = tmp_path / "keys.json"
    keys_file.write_text(published.text)

    answer = requests.post(base + "/graphql", timeout=10, json={"query": RECORD, "variables": {
        "input": to_clearance_input(case("S03"))}}, headers={"Authorization": f"Bearer {token}"}).json()
    receipt_file = tmp_path / "receipt.json"
    receipt_file.write_text(json.dumps(answer["data"]["clearanceRecord"]["receipt"]))
    assert load_receipt(receipt_file.read_text())[1] == to_clearance_input(case("S03"))

    def cli(*args: str) -> tuple[int, str]:
        capsys.readouterr()
        code = main(["verify-receipt", *args])
        out = capsys.readouterr()
        return code, out.out + out.err

    assert cli(str(receipt_file), "--keys", str(keys_file))[0] == 0
    assert cli(str(receipt_file), "--keys", base + WELL_KNOWN_PATH)[0] == 0
    code, out = cli(str(receipt_file), "--server", base)
    assert code == 0 and "REPRODUCED" in out, out
    code, out = cli(str(receipt_file), "--keys", str(keys_file), "--reproduce", "--database", scenario_db_url)
    assert code == 0 and "REPRODUCED" in out, out

    # tampered: one character of the payload
    data = json.loads(receipt_file.read_text())
    header, body, signature = data["jws"].split(".")
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(data | {"jws": ".".join([header, _flip(body, 10), signature])}))
    assert cli(str(tampered), "--keys", str(keys_file))[0] == 1
    # a bare JWS verifies alone (no input to check)
    bare = tmp_path / "receipt.jws"
    bare.write_text(data["jws"])
    code, out = cli(str(bare), "--keys", str(keys_file))
    assert code == 0 and "not given" in out
    # a wrong key set
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"keys": [new_key("served-key").as_dict(private=False)]}))
    assert cli(str(receipt_file), "--keys", str(wrong))[0] == 1
    # a different decision at that version is not reproduced (the signed decision edited and re-signed with
    # the same key stands in for a registry that changed its past)
    from mra_registry.receipt_keys import ReceiptSigner, parse_keys
    forged_payload = payload_of(data["jws"])
    forged_payload["decision"] = forged_payload["decision"] | {"outcome": "RETEST_REQUIRED"}
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps(data | {"jws": ReceiptSigner.from_keys(parse_keys(jwk_text(key)), "t").sign(
        forged_payload)}))
    code, out = cli(str(forged), "--server", base)
    assert code == 1 and "NOT REPRODUCED" in out and "decision.outcome" in out, out
    # errors: no such file, unreachable keys, a version the database never had
    assert cli(str(tmp_path / "none.json"), "--keys", str(keys_file))[0] == 3
    assert cli(str(receipt_file), "--keys", "http://127.0.0.1:9/keys.json")[0] == 3
    assert cli(str(receipt_file))[0] == 3
    later = tmp_path / "later.json"
    later_payload = forged_payload | {"registryVersion": 999}
    later.write_text(json.dumps(data | {"jws": ReceiptSigner.from_keys(parse_keys(jwk_text(key)), "t").sign(
        later_payload)}))
    assert cli(str(later), "--keys", str(keys_file), "--reproduce", "--database", scenario_db_url)[0] == 3


@pytest.mark.parametrize("who", [(Role.ADMINISTRATOR, None), (Role.ACCREDITATION_BODY, "COFRAC"),
                                 (Role.ARRANGEMENT_SECRETARIAT, "ILAC_MRA"), (Role.DESIGNATING_AUTHORITY, "EU"),
                                 (Role.IMPORT_REGULATOR, "JP")])
def test_any_valid_token_may_record_and_the_registry_version_does_not_move(signed, who):
    before = registry_version(signed)
    receipt = receipt_of(record(signed, signed.token(*who), to_clearance_input(case("S05"))))
    assert receipt["registryVersion"] == before == registry_version(signed)
