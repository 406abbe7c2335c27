"""A CAB's credential records over the API (issue 14): `identifier`, `verificationKeys(asOf)` and `statusLists` on
ConformityAssessmentBody, and the four mutations that write them (cabIdentifierSet, cabVerificationKeyRecord,
cabVerificationKeyRevoke, cabStatusListUpload) through the loader: validation, the change log with before and
after, expectedVersion, and what a decision then says of L02's credentials (tests/credentials)."""
from __future__ import annotations

import json

import pytest

from mra_registry.domain.credentials import encode_status_list
from mra_registry.store.tokens import Role
from tests.credentials import factory
from tests.credentials import keys as K
from tests.credentials.cases import clearance_input

from .support import changes, error_codes, mutate, registry_version, version

CAB = ("conformityAssessmentBody { code version identifier "
       "verificationKeys(first: 100) { edges { node { keyId jwk validFrom validTo revokedOn confidence } } } "
       "statusLists { edges { node { url purpose asOf size setCount isSet3: isSet(index: 3) "
       "isSet40: isSet(index: 40) confidence sources } } } }")
CLEARANCE = """query($input: ClearanceInput!) { clearance(input: $input) {
  outcome reason reasons { code } warnings { code } checks { code } } }"""
NEW_KEY_ID = f"{K.L02_IDENTIFIER}#key-2"


def admin(api) -> str:
    return api.token(Role.ADMINISTRATOR)


def write(api, mutation: str, data: dict, token: str | None = None, code: str = "L02") -> dict:
    data = {"cab": code, "expectedVersion": version(api, "ConformityAssessmentBody", code)} | data
    return mutate(api, mutation, data, token or admin(api), selection=CAB)


def decide(api, credential: str, lot: str = "S03-LOT") -> dict:
    result = api(CLEARANCE, {"input": clearance_input(credential, lot)})
    assert not result.errors, result.errors
    return result.data["clearance"]


def keys_of(payload) -> dict[str, dict]:
    return {k["keyId"]: k for k in payload["conformityAssessmentBody"]["verificationKeys"]}


# -- reading ---------------------------------------------------------------------------------------------------
def test_l02_shows_its_identifier_keys_and_status_list(api):
    result = api("""{ conformityAssessmentBody(code: "L02") { identifier
      all: verificationKeys { totalCount edges { node { keyId jwk validFrom revokedOn } } }
      then: verificationKeys(asOf: "2025-08-10") { edges { node { keyId } } }
      before: verificationKeys(asOf: "2025-05-31") { edges { node { keyId } } }
      statusLists { totalCount edges { node { url purpose asOf size setCount
        revoked: isSet(index: 40) clear: isSet(index: 3) outside: isSet(index: 99999999) } } } } }""")
    assert not result.errors, result.errors
    cab = result.data["conformityAssessmentBody"]
    assert cab["identifier"] == K.L02_IDENTIFIER
    keys = {e["node"]["keyId"]: e["node"] for e in cab["all"]["edges"]}
    assert set(keys) == {K.L02_KEY_0_ID, K.L02_KEY_1_ID}
    assert keys[K.L02_KEY_1_ID]["jwk"] == K.public(K.L02_KEY_1)  # the JSON scalar, public members only
    assert keys[K.L02_KEY_0_ID]["revokedOn"] == "2025-06-01"
    assert [e["node"]["keyId"] for e in cab["then"]["edges"]] == [K.L02_KEY_1_ID]
    assert [e["node"]["keyId"] for e in cab["before"]["edges"]] == [K.L02_KEY_0_ID, K.L02_KEY_1_ID]
    (listed,) = [e["node"] for e in cab["statusLists"]["edges"]]
    assert listed["url"] == K.L02_STATUS_LIST and listed["purpose"] == "revocation"
    assert listed["size"] == 131_072 and listed["setCount"] == 1
    assert (listed["revoked"], listed["clear"], listed["outside"]) == (True, False, False)


def test_the_keys_page_like_any_nested_connection(api):
    first = api('{ conformityAssessmentBody(code: "L02") { verificationKeys(first: 1) { totalCount '
                'pageInfo { hasNextPage endCursor } edges { node { keyId } } } } }').data
    page = first["conformityAssessmentBody"]["verificationKeys"]
    assert page["totalCount"] == 2 and page["pageInfo"]["hasNextPage"]
    rest = api('query($after: String) { conformityAssessmentBody(code: "L02") { verificationKeys(first: 1, '
               'after: $after) { pageInfo { hasNextPage } edges { node { keyId } } } } }',
               {"after": page["pageInfo"]["endCursor"]}).data["conformityAssessmentBody"]["verificationKeys"]
    assert [e["node"]["keyId"] for e in page["edges"] + rest["edges"]] == [K.L02_KEY_0_ID, K.L02_KEY_1_ID]
    assert not rest["pageInfo"]["hasNextPage"]


# -- cabIdentifierSet ------------------------------------------------------------------------------------------
def test_cab_identifier_set_writes_the_identifier_and_logs_before_and_after(api):
    before = registry_version(api)
    payload = write(api, "cabIdentifierSet", {"identifier": "https://lab.example.org/l03", "message": "ours"},
                    code="L03")
    assert payload["errors"] == [] and payload["registryVersion"] == before + 1
    assert payload["conformityAssessmentBody"]["identifier"] == "https://lab.example.org/l03"
    change = changes(api, "L03", first=1)[0]
    assert (change["entityType"], change["facet"], change["action"]) == ("ConformityAssessmentBody", "", "UPDATE")
    assert "identifier" not in change["before"] and change["after"]["identifier"] == "https://lab.example.org/l03"
    assert change["message"] == "ours"
    # other records of the CAB are kept
    assert api('{ conformityAssessmentBody(code: "L03") { name } }').data["conformityAssessmentBody"]["name"]


@pytest.mark.parametrize(("identifier", "code"), [
    ("did:key:z6Mk", "INVALID"), ("http://lab.example.org", "INVALID"), ("not an identifier", "INVALID"),
    (K.L02_IDENTIFIER, "ALREADY_EXISTS"),  # L02's already
])
def test_cab_identifier_set_refuses(api, identifier, code):
    before = registry_version(api)
    payload = write(api, "cabIdentifierSet", {"identifier": identifier}, code="L03")
    assert error_codes(payload) == [code] and payload["errors"][0]["field"] == "input.identifier"
    assert registry_version(api) == before


def test_cab_identifier_set_removes_it_and_the_credential_is_refused(api):
    assert write(api, "cabIdentifierSet", {"identifier": None})["errors"] == []
    assert decide(api, factory.valid())["reason"] == "CREDENTIAL_INVALID"


def test_a_stale_version_is_refused(api):
    payload = mutate(api, "cabIdentifierSet", {"cab": "L03", "identifier": "did:web:lab.example.org",
                                               "expectedVersion": version(api, "ConformityAssessmentBody", "L03") - 1},
                     admin(api), selection="")
    assert error_codes(payload) == ["STALE_OBJECT"]


# -- cabVerificationKeyRecord ----------------------------------------------------------------------------------
def test_cab_verification_key_record_registers_a_key_that_then_verifies(api):
    # the forger's key becomes L02's key-2: a credential it signs under key-2 is L02's now
    payload = write(api, "cabVerificationKeyRecord", {
        "keyId": NEW_KEY_ID, "jwk": K.public(K.FORGER_KEY), "validFrom": "2025-07-01",
        "provenance": {"confidence": "CONFIRMED", "sources": ["https://lab.example.org/keys"]}})
    assert payload["errors"] == []
    key = keys_of(payload)[NEW_KEY_ID]
    assert key == {"keyId": NEW_KEY_ID, "jwk": K.public(K.FORGER_KEY), "validFrom": "2025-07-01", "validTo": None,
                   "revokedOn": None, "confidence": "CONFIRMED"}
    change = changes(api, "L02", first=1)[0]
    assert (change["facet"], change["action"]) == (f"verificationKeys {NEW_KEY_ID}", "CREATE")
    assert change["before"] is None and change["after"][0]["keyId"] == NEW_KEY_ID
    assert "d" not in change["after"][0]["jwk"]
    credential = factory.sign(factory.dcc(), K.FORGER_KEY, NEW_KEY_ID)
    assert decide(api, credential)["outcome"] == "RECOGNISED"


def test_a_key_as_json_text_is_accepted(api):
    payload = write(api, "cabVerificationKeyRecord", {"keyId": NEW_KEY_ID, "jwk": json.dumps(K.public(K.FORGER_KEY))})
    assert payload["errors"] == [] and keys_of(payload)[NEW_KEY_ID]["jwk"] == K.public(K.FORGER_KEY)


@pytest.mark.parametrize(("data", "field", "code"), [
    ({"keyId": NEW_KEY_ID, "jwk": K.FORGER_KEY}, "input.jwk", "INVALID"),  # holds d
    ({"keyId": NEW_KEY_ID, "jwk": {"kty": "RSA", "n": "0vx7", "e": "AQAB"}}, "input.jwk", "INVALID"),
    ({"keyId": NEW_KEY_ID, "jwk": {"kty": "OKP", "crv": "X25519", "x": K.FORGER_KEY["x"]}}, "input.jwk", "INVALID"),
    ({"keyId": NEW_KEY_ID, "jwk": {"kty": "OKP", "crv": "Ed25519"}}, "input.jwk", "INVALID"),
    ({"keyId": NEW_KEY_ID, "jwk": "not json"}, "input.jwk", "INVALID"),
    ({"keyId": K.L02_KEY_1_ID, "jwk": K.public(K.FORGER_KEY)}, "input.keyId", "ALREADY_EXISTS"),  # duplicate kid
    ({"keyId": " ", "jwk": K.public(K.FORGER_KEY)}, "input.keyId", "INVALID"),
    ({"keyId": NEW_KEY_ID, "jwk": K.public(K.FORGER_KEY), "validFrom": "2025-07-01", "validTo": "2025-06-01"},
     "input.validTo", "INVALID_DATE_RANGE"),
], ids=["private-member", "rsa", "x25519", "no-x", "not-json", "duplicate-kid", "blank-kid", "backwards"])
def test_cab_verification_key_record_refuses(api, data, field, code):
    before = registry_version(api)
    payload = write(api, "cabVerificationKeyRecord", data)
    assert error_codes(payload) == [code] and payload["errors"][0]["field"] == field, payload["errors"]
    assert registry_version(api) == before
    if field == "input.jwk" and "d" in data["jwk"]:
        assert "private" in payload["errors"][0]["message"]


# -- cabVerificationKeyRevoke ----------------------------------------------------------------------------------
def test_cab_verification_key_revoke_refuses_what_the_key_signed_from_that_day(api):
    assert decide(api, factory.valid())["outcome"] == "RECOGNISED"
    payload = write(api, "cabVerificationKeyRevoke", {"keyId": K.L02_KEY_1_ID, "revokedOn": "2025-08-01"})
    assert payload["errors"] == [] and keys_of(payload)[K.L02_KEY_1_ID]["revokedOn"] == "2025-08-01"
    change = changes(api, "L02", first=1)[0]
    assert (change["facet"], change["action"]) == (f"verificationKeys {K.L02_KEY_1_ID}", "UPDATE")
    assert "revokedOn" not in change["before"][0] and change["after"][0]["revokedOn"] == "2025-08-01"
    decision = decide(api, factory.valid())
    assert (decision["outcome"], decision["reason"]) == ("INVALID", "CREDENTIAL_INVALID")


@pytest.mark.parametrize(("data", "field", "code"), [
    ({"keyId": NEW_KEY_ID, "revokedOn": "2025-08-01"}, "input.keyId", "NOT_FOUND"),
    # revoked on 2025-06-01 already
    ({"keyId": K.L02_KEY_0_ID, "revokedOn": "2025-07-01"}, "input.revokedOn", "INVALID_TRANSITION"),
])
def test_cab_verification_key_revoke_refuses(api, data, field, code):
    payload = write(api, "cabVerificationKeyRevoke", data)
    assert error_codes(payload) == [code] and payload["errors"][0]["field"] == field


def test_a_revocation_may_move_earlier(api):
    payload = write(api, "cabVerificationKeyRevoke", {"keyId": K.L02_KEY_0_ID, "revokedOn": "2025-05-01"})
    assert payload["errors"] == [] and keys_of(payload)[K.L02_KEY_0_ID]["revokedOn"] == "2025-05-01"


# -- cabStatusListUpload ---------------------------------------------------------------------------------------
def test_uploading_a_list_with_s03s_bit_set_revokes_its_credential_over_the_api(api):
    assert decide(api, factory.valid())["outcome"] == "RECOGNISED"
    before = registry_version(api)
    payload = write(api, "cabStatusListUpload", {
        "url": K.L02_STATUS_LIST, "encodedList": encode_status_list([K.VALID_STATUS_INDEX, K.S40_STATUS_INDEX]),
        "asOf": "2025-09-10", "provenance": {"confidence": "CONFIRMED", "sources": [K.L02_STATUS_LIST]}})
    assert payload["errors"] == [] and payload["registryVersion"] == before + 1
    (held,) = [e for e in payload["conformityAssessmentBody"]["statusLists"]]
    assert (held["asOf"], held["setCount"], held["isSet3"], held["isSet40"]) == ("2025-09-10", 2, True, True)
    change = changes(api, "L02", first=1)[0]
    assert (change["facet"], change["action"]) == (f"statusLists {K.L02_STATUS_LIST}/revocation", "UPDATE")
    assert change["before"][0]["asOf"] != change["after"][0]["asOf"] == "2025-09-10"
    decision = decide(api, factory.valid())
    assert (decision["outcome"], decision["reason"]) == ("INVALID", "CREDENTIAL_REVOKED")
    assert [r["code"] for r in decision["reasons"]][:1] == ["CREDENTIAL_REVOKED"]


def status_list_credential(set_indexes, purpose: str = "revocation") -> dict:
    return {"@context": ["https://www.w3.org/ns/credentials/v2"], "id": K.L02_STATUS_LIST,
            "type": ["VerifiableCredential", "BitstringStatusListCredential"], "issuer": K.L02_IDENTIFIER,
            "validFrom": "2025-09-10T00:00:00Z",
            "credentialSubject": {"id": f"{K.L02_STATUS_LIST}#list", "type": "BitstringStatusList",
                                  "statusPurpose": purpose, "encodedList": encode_status_list(set_indexes)}}


@pytest.mark.parametrize("form", ["json", "signed"])
def test_a_status_list_credential_is_uploaded_as_json_or_signed(api, form):
    document = status_list_credential([K.VALID_STATUS_INDEX])
    credential = json.dumps(document) if form == "json" else factory.sign(document)
    payload = write(api, "cabStatusListUpload", {"url": K.L02_STATUS_LIST, "credential": credential})
    assert payload["errors"] == []
    (held,) = payload["conformityAssessmentBody"]["statusLists"]
    assert (held["isSet3"], held["isSet40"]) == (True, False)  # S40's bit is clear in this copy
    assert decide(api, factory.valid())["reason"] == "CREDENTIAL_REVOKED"
    assert decide(api, factory.revoked(), "S40-LOT")["outcome"] != "INVALID"


def test_a_second_purpose_is_held_beside_the_first(api):
    payload = write(api, "cabStatusListUpload", {"url": K.L02_STATUS_LIST, "purpose": "suspension",
                                                 "encodedList": encode_status_list([K.VALID_STATUS_INDEX])})
    assert payload["errors"] == []
    lists = payload["conformityAssessmentBody"]["statusLists"]
    assert sorted(s["purpose"] for s in lists) == ["revocation", "suspension"]
    assert decide(api, factory.valid())["outcome"] == "RECOGNISED"  # suspension changes no decision


@pytest.mark.parametrize(("data", "field"), [
    ({"encodedList": "uH4sInotgzip"}, "input.encodedList"),
    ({"encodedList": ""}, "input.encodedList"),
    ({}, "input.credential"),
    ({"encodedList": encode_status_list([1]), "credential": "{}"}, "input.credential"),
    ({"credential": "{\"credentialSubject\": {}}"}, "input.credential"),
    ({"credential": "not.a.jws"}, "input.credential"),
    ({"credential": factory.sign(status_list_credential([3]), K.FORGER_KEY)}, "input.credential"),  # not L02's key
    ({"credential": json.dumps(status_list_credential([3])), "purpose": "suspension"}, "input.purpose"),
    ({"encodedList": encode_status_list([1]), "purpose": "bogus"}, "input.purpose"),
    ({"encodedList": encode_status_list([1]), "url": "http://fixtures.invalid/l02"}, "input.url"),
], ids=["not-gzip", "empty", "neither", "both", "no-encoded-list", "not-a-jws", "forged", "purpose-differs",
        "unknown-purpose", "not-https"])
def test_cab_status_list_upload_refuses(api, data, field):
    before = registry_version(api)
    payload = write(api, "cabStatusListUpload", {"url": K.L02_STATUS_LIST} | data)
    assert error_codes(payload) == ["INVALID"] and payload["errors"][0]["field"] == field, payload["errors"]
    assert registry_version(api) == before
    assert decide(api, factory.valid())["outcome"] == "RECOGNISED"


# -- the CAB's owner -------------------------------------------------------------------------------------------
def test_the_accreditation_body_that_registered_a_cab_writes_its_credential_records(api):
    cofrac, dakks = api.token(Role.ACCREDITATION_BODY, "COFRAC"), api.token(Role.ACCREDITATION_BODY, "DAkkS")
    created = mutate(api, "conformityAssessmentBodyCreate", {
        "code": "ZZ-LAB", "name": "Invented lab", "economy": "FR", "kinds": ["LABORATORY"]}, cofrac, selection="")
    assert created["errors"] == []
    assert write(api, "cabIdentifierSet", {"identifier": "did:web:zz-lab.example"}, cofrac, "ZZ-LAB")["errors"] == []
    assert error_codes(write(api, "cabVerificationKeyRecord", {"keyId": "k", "jwk": K.public(K.FORGER_KEY)}, dakks,
                             "ZZ-LAB")) == ["FORBIDDEN"]
    # an accreditation body owns no CAB it did not register (L02 was loaded from a document: administrators only)
    assert error_codes(write(api, "cabStatusListUpload", {"url": K.L02_STATUS_LIST,
                                                          "encodedList": encode_status_list([3])}, cofrac)) \
        == ["FORBIDDEN"]
