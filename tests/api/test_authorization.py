"""Who may write what (docs/security.md): a matrix of every mutation against every kind of sender - the owner
of the fact, the same role scoped to something else, every other role (scoped to the owner's code, so that
only the role differs), an administrator, and no token at all. Then the edges where ownership is decided by the
objects a write touches, and the reads: public, and never revealing a token.

Codes starting with ZZ- are invented for these tests."""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from graphql import (
    get_named_type,
    is_input_object_type,
    is_interface_type,
    is_object_type,
)
from graphql_relay import to_global_id
from sqlalchemy import select
from sqlalchemy.orm import Session

from mra_registry.api.schema import schema
from mra_registry.domain.credentials import encode_status_list
from mra_registry.store import models as m
from mra_registry.store.tokens import Role

from .support import document, error_codes, mutate, registry_version, version

AB, SECRETARIAT, AUTHORITY, REGULATOR, ADMIN = (Role.ACCREDITATION_BODY, Role.ARRANGEMENT_SECRETARIAT,
                                                Role.DESIGNATING_AUTHORITY, Role.IMPORT_REGULATOR,
                                                Role.ADMINISTRATOR)
SCOPED = (AB, SECRETARIAT, AUTHORITY, REGULATOR)


@dataclass(frozen=True)
class Write:
    mutation: str
    data: Callable[[Any], dict]
    owner: tuple[Role, str] | None  # None: administrators only
    peer: tuple[Role, str] | None = None  # the owner's role, scoped to something else
    peer_allowed: bool = False  # e.g. any accreditation body may register a CAB
    given: Callable[[Any], None] | None = None  # a write an administrator makes first


def suspend_cofrac(api) -> None:
    payload = mutate(api, "signatoryStatusSuspend", COFRAC_TESTING | {
        "validFrom": "2025-08-01", "expectedVersion": version(api, "AccreditationBody", "COFRAC")},
        api.token(Role.ADMINISTRATOR), selection="")
    assert payload["errors"] == []


def register_zz_lab(api, body: str, economy: str = "FR") -> None:
    payload = mutate(api, "conformityAssessmentBodyCreate", {
        "code": "ZZ-LAB", "name": "Invented lab", "economy": economy, "kinds": ["LABORATORY"]},
        api.token(Role.ACCREDITATION_BODY, body), selection="")
    assert payload["errors"] == []


ZZ_PUBLIC_JWK = {"kty": "OKP", "crv": "Ed25519", "x": "Fsx64OW_JfIzGum3SS_2fuAWf-1nfaaCjljnM02KS_Y"}
ZZ_STATUS_LIST = encode_status_list([])  # 131,072 bits, none set


def register_zz_lab_with_a_key(api) -> None:
    register_zz_lab(api, "COFRAC")
    payload = mutate(api, "cabVerificationKeyRecord", {
        "cab": "ZZ-LAB", "keyId": "did:web:zz-lab.example#key-1", "jwk": ZZ_PUBLIC_JWK,
        "expectedVersion": version(api, "ConformityAssessmentBody", "ZZ-LAB")}, api.token(Role.ADMINISTRATOR),
        selection="")
    assert payload["errors"] == []


def versioned(kind: str, code: str, data: dict) -> Callable[[Any], dict]:
    return lambda api: data | {"expectedVersion": version(api, kind, code)}


COFRAC_TESTING = {"accreditationBody": "COFRAC", "arrangement": "ILAC_MRA", "activity": "TESTING"}
L02_COFRAC = {"cab": "L02", "accreditationBody": "COFRAC", "number": "COFRAC-T-L02"}
L04_TEL = {"cab": "L04", "arrangement": "EU_US_MRA", "sector": "EU-US-TEL", "forParty": "US"}

WRITES = [
    Write("accreditationBodyCreate", lambda api: {"code": "ZZ-AB", "name": "Invented body", "economy": "FR"}, None),
    Write("accreditationBodyUpdate", versioned("AccreditationBody", "COFRAC", {"code": "COFRAC", "name": "renamed"}),
          (AB, "COFRAC"), peer=(AB, "DAkkS")),
    Write("conformityAssessmentBodyCreate",
          lambda api: {"code": "ZZ-LAB", "name": "Invented lab", "economy": "FR", "kinds": ["LABORATORY"]},
          (AB, "COFRAC"), peer=(AB, "DAkkS"), peer_allowed=True),
    # ZZ-LAB is registered by COFRAC through the API (the given): its record is COFRAC's
    Write("conformityAssessmentBodyUpdate", versioned("ConformityAssessmentBody", "ZZ-LAB", {"code": "ZZ-LAB",
                                                                                          "name": "renamed"}),
          (AB, "COFRAC"), peer=(AB, "DAkkS"), given=lambda api: register_zz_lab(api, "COFRAC")),
    Write("signatoryStatusRecord", versioned("AccreditationBody", "COFRAC", COFRAC_TESTING | {
        "status": "SUSPENDED", "validFrom": "2025-08-01"}), (SECRETARIAT, "ILAC_MRA"), peer=(SECRETARIAT, "IAF_MLA")),
    Write("signatoryStatusSuspend", versioned("AccreditationBody", "COFRAC", COFRAC_TESTING | {"validFrom": "2025-08-01"}),
          (SECRETARIAT, "ILAC_MRA"), peer=(SECRETARIAT, "EA_MLA")),
    Write("signatoryStatusReinstate", versioned("AccreditationBody", "COFRAC", COFRAC_TESTING | {"validFrom": "2025-09-01"}),
          (SECRETARIAT, "ILAC_MRA"), peer=(SECRETARIAT, "IAF_MLA"), given=suspend_cofrac),
    Write("signatoryStatusWithdraw", versioned("AccreditationBody", "COFRAC", COFRAC_TESTING | {"validFrom": "2025-08-01"}),
          (SECRETARIAT, "ILAC_MRA"), peer=(SECRETARIAT, "IAF_MLA")),
    Write("accreditationGrant", versioned("ConformityAssessmentBody", "L02", L02_COFRAC | {
        "number": "ZZ-COFRAC-C-L02", "activity": "CALIBRATION", "validFrom": "2025-01-01"}),
          (AB, "COFRAC"), peer=(AB, "DAkkS")),
    Write("accreditationSuspend", versioned("ConformityAssessmentBody", "L02", L02_COFRAC | {"validFrom": "2025-08-01"}),
          (AB, "COFRAC"), peer=(AB, "DAkkS")),
    Write("accreditationExtend", versioned("ConformityAssessmentBody", "L02", L02_COFRAC | {"validTo": "2030-12-31"}),
          (AB, "COFRAC"), peer=(AB, "DAkkS")),
    Write("accreditationWithdraw", versioned("ConformityAssessmentBody", "L02", L02_COFRAC | {"withdrawnOn": "2026-01-01"}),
          (AB, "COFRAC"), peer=(AB, "DAkkS")),
    Write("accreditationScopeSet", versioned("ConformityAssessmentBody", "L02", L02_COFRAC | {
        "scope": [{"identifier": "ISO 11290-1", "hsPrefixes": ["04"]}]}), (AB, "COFRAC"), peer=(AB, "DAkkS")),
    # L04 is a German laboratory: the EU's designating authority is on its side, the US's is not
    Write("designationCreate", versioned("ConformityAssessmentBody", "L04", L04_TEL | {
        "sector": "EU-US-EMC", "validFrom": "2026-01-01"}), (AUTHORITY, "EU"), peer=(AUTHORITY, "US")),
    Write("designationEnd", versioned("ConformityAssessmentBody", "L04", L04_TEL | {"validTo": "2026-03-31"}),
          (AUTHORITY, "EU"), peer=(AUTHORITY, "US")),
    Write("importPolicyCreate", lambda api: {
        "code": "ZZ-P-JP-0401", "importer": "JP", "hsPrefixes": ["0401"], "requiredType": "TESTING"},
          (REGULATOR, "JP"), peer=(REGULATOR, "KR")),
    Write("importPolicyAmend", versioned("ImportPolicy", "P-JP-0406", {"code": "P-JP-0406", "maxAgeDays": 10}),
          (REGULATOR, "JP"), peer=(REGULATOR, "US")),
    Write("completenessDeclarationRecord", lambda api: {
        "code": "ZZ-DECL-JP-22", "kind": "IMPORT_POLICIES", "importer": "JP", "hsPrefixes": ["22"],
        "validFrom": "2000-01-01"}, (REGULATOR, "JP"), peer=(REGULATOR, "KR")),
    Write("completenessDeclarationEnd", versioned("CompletenessDeclaration", "DECL-IMPORT-JP", {
        "code": "DECL-IMPORT-JP", "validTo": "2030-12-31"}), (REGULATOR, "JP"), peer=(REGULATOR, "KR")),
    Write("registryDocumentLoad", lambda api: {"document": json.dumps(document(accreditationBodies=[
        {"code": "ZZ-AB", "name": "Invented body", "confidence": "fixture"}]))}, None),
    # an acceptance list is its owner's importing regulator's; competences are administrators' only
    Write("acceptanceListCreate", lambda api: {"code": "ZZ-US-LIST", "name": "Invented list", "owner": "US"},
          (REGULATOR, "US"), peer=(REGULATOR, "CA")),
    Write("acceptanceListEntryRecord", versioned("AcceptanceList", "US-TOY-LABS", {
        "list": "US-TOY-LABS", "cab": "L23", "activity": "TESTING", "validFrom": "2026-01-01",
        "scope": [{"identifier": "ISO 8124-1", "hsPrefixes": ["9503"]}]}), (REGULATOR, "US"), peer=(REGULATOR, "CA")),
    Write("acceptanceListEntryEnd", versioned("AcceptanceList", "US-TOY-LABS", {
        "list": "US-TOY-LABS", "cab": "L17", "activity": "TESTING", "validTo": "2026-12-31"}),
          (REGULATOR, "US"), peer=(REGULATOR, "CA")),
    Write("competenceRecord", versioned("ConformityAssessmentBody", "AUTH-EG", {
        "cab": "AUTH-EG", "kind": "OFFICIAL_CERTIFICATE", "hsPrefixes": ["08"], "validFrom": "2020-01-01"}), None),
    Write("competenceEnd", versioned("ConformityAssessmentBody", "AUTH-EG", {
        "cab": "AUTH-EG", "kind": "OFFICIAL_CERTIFICATE", "hsPrefixes": ["12"], "validTo": "2026-12-31"}), None),
    # a CAB's credential records (issue 14) are its record's: the accreditation body that registered ZZ-LAB
    Write("cabIdentifierSet", versioned("ConformityAssessmentBody", "ZZ-LAB", {
        "cab": "ZZ-LAB", "identifier": "did:web:zz-lab.example"}),
          (AB, "COFRAC"), peer=(AB, "DAkkS"), given=lambda api: register_zz_lab(api, "COFRAC")),
    Write("cabVerificationKeyRecord", versioned("ConformityAssessmentBody", "ZZ-LAB", {
        "cab": "ZZ-LAB", "keyId": "did:web:zz-lab.example#key-2", "jwk": ZZ_PUBLIC_JWK}),
          (AB, "COFRAC"), peer=(AB, "DAkkS"), given=lambda api: register_zz_lab(api, "COFRAC")),
    Write("cabVerificationKeyRevoke", versioned("ConformityAssessmentBody", "ZZ-LAB", {
        "cab": "ZZ-LAB", "keyId": "did:web:zz-lab.example#key-1", "revokedOn": "2026-01-01"}),
          (AB, "COFRAC"), peer=(AB, "DAkkS"), given=lambda api: register_zz_lab_with_a_key(api)),
    Write("cabStatusListUpload", versioned("ConformityAssessmentBody", "ZZ-LAB", {
        "cab": "ZZ-LAB", "url": "https://zz-lab.example/status/1", "encodedList": ZZ_STATUS_LIST}),
          (AB, "COFRAC"), peer=(AB, "DAkkS"), given=lambda api: register_zz_lab(api, "COFRAC")),
]


def senders(write: Write) -> list[tuple[str, tuple[Role, str | None] | None, str | None]]:
    """(label, (role, scope) or None for no token, expected error code or None when allowed)."""
    rows: list = [("administrator", (ADMIN, None), None), ("no-token", None, "UNAUTHENTICATED")]
    if write.owner is None:
        rows += [(f"{role.value.lower()}", (role, "EU" if role is AUTHORITY else "COFRAC"), "FORBIDDEN")
                 for role in SCOPED]
        return rows
    owner_role, owner_scope = write.owner
    rows.append(("owner", write.owner, None))
    if write.peer:
        rows.append(("same-role-other-scope", write.peer, None if write.peer_allowed else "FORBIDDEN"))
    rows += [(f"{role.value.lower()}-scoped-{owner_scope}", (role, owner_scope), "FORBIDDEN")
             for role in SCOPED if role is not owner_role]
    return rows


MATRIX = [pytest.param(write, who, expected, id=f"{write.mutation}-{label}")
          for write in WRITES for label, who, expected in senders(write)]


# not registry writes: clearanceRecord (a signed decision receipt) is open to any valid token and moves no version
# (tests/receipts/test_receipts.py checks every role and no token)
NOT_REGISTRY_WRITES = {"clearanceRecord"}


def test_the_matrix_covers_every_mutation():
    assert {w.mutation for w in WRITES} == set(schema.graphql_schema.mutation_type.fields) - NOT_REGISTRY_WRITES


@pytest.mark.parametrize(("write", "who", "expected"), MATRIX)
def test_who_may_write_what(api, write, who, expected):
    # given
    if write.given is not None:
        write.given(api)
    token = api.token(*who) if who is not None else None
    data = write.data(api)
    before = registry_version(api)

    # when
    payload = mutate(api, write.mutation, data, token, selection="")

    # then
    if expected is None:
        assert payload["errors"] == []
        assert payload["registryVersion"] == before + 1
    else:
        assert error_codes(payload) == [expected]
        assert payload["registryVersion"] is None
        assert registry_version(api) == before


# -- ownership decided by the objects a write touches ---------------------------------------------------------
def test_an_accreditation_body_cannot_reach_another_bodys_accreditation_by_naming_itself(api):
    # COFRAC asks to suspend L04's DAkkS accreditation, giving its own code as the granting body
    token = api.token(AB, "COFRAC")
    payload = mutate(api, "accreditationSuspend", {
        "cab": "L04", "accreditationBody": "COFRAC", "number": "DAkkS-T-L04", "validFrom": "2025-08-01",
        "expectedVersion": version(api, "ConformityAssessmentBody", "L04")}, token, selection="")
    assert error_codes(payload) == ["NOT_FOUND"]
    # and naming the real granting body is refused
    payload = mutate(api, "accreditationSuspend", {
        "cab": "L04", "accreditationBody": "DAkkS", "number": "DAkkS-T-L04", "validFrom": "2025-08-01",
        "expectedVersion": version(api, "ConformityAssessmentBody", "L04")}, token, selection="")
    assert error_codes(payload) == ["FORBIDDEN"]


def test_an_accreditation_body_may_grant_its_own_accreditation_to_any_cab(api):
    # DAkkS accredits the French L02 (a second accreditation, DAkkS's own)
    token = api.token(AB, "DAkkS")
    payload = mutate(api, "accreditationGrant", {
        "cab": "L02", "accreditationBody": "DAkkS", "number": "ZZ-DAkkS-T-L02", "activity": "TESTING",
        "validFrom": "2025-01-01", "expectedVersion": version(api, "ConformityAssessmentBody", "L02")}, token,
        selection="")
    assert payload["errors"] == []


def cab_record(api, code: str) -> dict:
    result = api(f'{{ conformityAssessmentBody(code: "{code}") {{ name economy {{ code }} kinds version }} }}')
    assert not result.errors, result.errors
    return result.data["conformityAssessmentBody"]


def test_the_takeover_sequence_is_refused_at_its_first_step_that_would_grant_rights(api):
    # Issue 11 item 3. DAkkS (any accreditation body) against L02, a French laboratory it neither registered nor
    # accredits: 1. grant itself a far-future accreditation on it; 2. withdraw it; 3. rewrite L02's economy,
    # name and kinds; a changed economy then opens L02 to another economy's designating authority.
    token = api.token(AB, "DAkkS")
    record_before = cab_record(api, "L02")

    # step 1: granting its own accreditation is DAkkS's own fact, and it is recorded - but it gives DAkkS no
    # right over L02's record any more (before the fix it made DAkkS an owner of L02)
    granted = mutate(api, "accreditationGrant", {
        "cab": "L02", "accreditationBody": "DAkkS", "number": "ZZ-DAkkS-FAR", "activity": "TESTING",
        "validFrom": "2099-01-01", "expectedVersion": version(api, "ConformityAssessmentBody", "L02")}, token,
        selection="")
    assert granted["errors"] == []
    # step 2: withdrawing its own accreditation likewise
    withdrawn = mutate(api, "accreditationWithdraw", {
        "cab": "L02", "accreditationBody": "DAkkS", "number": "ZZ-DAkkS-FAR", "withdrawnOn": "2099-01-02",
        "expectedVersion": version(api, "ConformityAssessmentBody", "L02")}, token, selection="")
    assert withdrawn["errors"] == []

    # step 3, the first that would exercise rights over L02's record: refused, before and after the grant
    before = registry_version(api)
    for change in ({"economy": "US"}, {"name": "Taken over"}, {"kinds": ["REGULATORY_AUTHORITY"]}):
        payload = mutate(api, "conformityAssessmentBodyUpdate", {
            "code": "L02", "expectedVersion": version(api, "ConformityAssessmentBody", "L02")} | change, token,
            selection="")
        assert error_codes(payload) == ["FORBIDDEN"], change
    assert registry_version(api) == before

    # and so L02 stays French: the US designating authority still may not designate it
    record = cab_record(api, "L02")
    assert (record["name"], record["economy"], record["kinds"]) == (
        record_before["name"], record_before["economy"], record_before["kinds"])
    designated = mutate(api, "designationCreate", L04_TEL | {
        "cab": "L02", "forParty": "EU", "validFrom": "2026-01-01",
        "expectedVersion": version(api, "ConformityAssessmentBody", "L02")}, api.token(AUTHORITY, "US"), selection="")
    assert error_codes(designated) == ["FORBIDDEN"]


def test_a_cab_record_belongs_to_the_body_that_registered_it_not_to_those_that_accredit_it(api):
    # given: DAkkS registers ZZ-LAB; COFRAC accredits it
    register_zz_lab(api, "DAkkS")
    cofrac, dakks = api.token(AB, "COFRAC"), api.token(AB, "DAkkS")
    granted = mutate(api, "accreditationGrant", {
        "cab": "ZZ-LAB", "accreditationBody": "COFRAC", "number": "ZZ-COFRAC-T", "activity": "TESTING",
        "validFrom": "2025-01-01", "expectedVersion": version(api, "ConformityAssessmentBody", "ZZ-LAB")}, cofrac,
        selection="")
    assert granted["errors"] == []

    def rename(token: str, name: str) -> dict:
        return mutate(api, "conformityAssessmentBodyUpdate", {
            "code": "ZZ-LAB", "name": name, "expectedVersion": version(api, "ConformityAssessmentBody", "ZZ-LAB")},
            token, selection="")

    # then: COFRAC, which accredits it, may not change its record; DAkkS, which registered it, and an
    # administrator may
    assert error_codes(rename(cofrac, "by COFRAC")) == ["FORBIDDEN"]
    assert rename(dakks, "by DAkkS")["errors"] == []
    assert rename(api.token(ADMIN), "by an administrator")["errors"] == []


def test_a_cab_from_a_registry_document_is_updated_by_administrators_only(api):
    # L02 came from data/fixtures/scenarios.json (the loader, not a token): COFRAC accredits it, owns nothing of it
    payload = mutate(api, "conformityAssessmentBodyUpdate", {
        "code": "L02", "name": "x", "expectedVersion": version(api, "ConformityAssessmentBody", "L02")},
        api.token(AB, "COFRAC"), selection="")
    assert error_codes(payload) == ["FORBIDDEN"]


@pytest.mark.parametrize(("scope", "expected"), [("EU", None), ("DE", None), ("US", "FORBIDDEN"), ("FR", "FORBIDDEN")])
def test_a_designating_authority_designates_only_cabs_on_its_own_side(api, scope, expected):
    # L04 is in DE, a member of the EU
    token = api.token(AUTHORITY, scope)
    payload = mutate(api, "designationCreate", L04_TEL | {
        "sector": "EU-US-EMC", "validFrom": "2026-01-01",
        "expectedVersion": version(api, "ConformityAssessmentBody", "L04")}, token, selection="")
    assert error_codes(payload) == ([] if expected is None else [expected])


@pytest.mark.parametrize(("day", "expected"), [("2020-06-01", None), ("2021-06-01", "FORBIDDEN")])
def test_the_union_side_is_decided_on_the_designation_date(api, day, expected):
    # L16 is in GB, an EU member (for these rules) until 2020-12-31
    token = api.token(AUTHORITY, "EU")
    payload = mutate(api, "designationCreate", L04_TEL | {
        "cab": "L16", "validFrom": day, "expectedVersion": version(api, "ConformityAssessmentBody", "L16")}, token,
        selection="")
    assert error_codes(payload) == ([] if expected is None else [expected])


def test_a_us_authority_designates_us_cabs(api):
    token = api.token(AUTHORITY, "US")
    payload = mutate(api, "designationCreate", L04_TEL | {
        "cab": "L03", "forParty": "EU", "validFrom": "2026-01-01",
        "expectedVersion": version(api, "ConformityAssessmentBody", "L03")}, token, selection="")
    assert payload["errors"] == []


@pytest.mark.parametrize("scope", ["CH", "EU", "US"])
def test_nobody_but_an_administrator_designates_a_cab_whose_side_is_not_a_party(api, scope):
    # L12 is Swiss: Switzerland is no party of the EU-US MRA, so no designating authority has it on its side
    token = api.token(AUTHORITY, scope)
    data = L04_TEL | {"cab": "L12", "validFrom": "2026-01-01",
                      "expectedVersion": version(api, "ConformityAssessmentBody", "L12")}
    before = registry_version(api)
    payload = mutate(api, "designationCreate", data, token, selection="")
    assert error_codes(payload) == ["FORBIDDEN"]
    assert registry_version(api) == before


def test_designating_under_an_unknown_arrangement_is_an_unknown_reference(api):
    token = api.token(AUTHORITY, "EU")
    payload = mutate(api, "designationCreate", L04_TEL | {
        "arrangement": "ZZ-NOPE", "validFrom": "2026-01-01",
        "expectedVersion": version(api, "ConformityAssessmentBody", "L04")}, token, selection="")
    assert error_codes(payload) == ["UNKNOWN_REFERENCE"]


def test_an_import_regulator_writes_only_its_own_importers_policies(api):
    token = api.token(REGULATOR, "JP")
    create_for_korea = mutate(api, "importPolicyCreate", {
        "code": "ZZ-P-KR-0401", "importer": "KR", "hsPrefixes": ["0401"], "requiredType": "TESTING"}, token,
        selection="")
    amend_korea = mutate(api, "importPolicyAmend", {
        "code": "P-KR-0406", "maxAgeDays": 1, "expectedVersion": version(api, "ImportPolicy", "P-KR-0406")}, token,
        selection="")
    assert error_codes(create_for_korea) == ["FORBIDDEN"]
    assert error_codes(amend_korea) == ["FORBIDDEN"]


def test_a_union_regulator_writes_the_unions_policies(api):
    token = api.token(REGULATOR, "EU")
    payload = mutate(api, "importPolicyAmend", {
        "code": "P-EU-0406", "maxAgeDays": 30, "expectedVersion": version(api, "ImportPolicy", "P-EU-0406")}, token,
        selection="")
    assert payload["errors"] == []


def test_a_secretariat_writes_only_statuses_of_its_arrangement(api):
    token = api.token(SECRETARIAT, "ILAC_MRA")
    payload = mutate(api, "signatoryStatusRecord", {
        "accreditationBody": "COFRAC", "arrangement": "IAF_MLA", "activity": "MS_CERTIFICATION", "status": "SIGNATORY",
        "validFrom": "2025-01-01", "expectedVersion": version(api, "AccreditationBody", "COFRAC")}, token,
        selection="")
    assert error_codes(payload) == ["FORBIDDEN"]


def test_forbidden_comes_before_stale(api):
    # a stranger learns nothing about versions: its write is forbidden whatever version it sends
    token = api.token(AB, "DAkkS")
    payload = mutate(api, "accreditationBodyUpdate", {"code": "COFRAC", "name": "x", "expectedVersion": 99}, token,
                     selection="")
    assert error_codes(payload) == ["FORBIDDEN"]


# -- completeness declarations: the owner of what is declared complete ---------------------------------------
DECLARATIONS_BY_OWNER = [
    # (declaration, the owner allowed, another sender refused)
    ({"kind": "SIGNATORIES", "arrangement": "ILAC_MRA", "activities": ["TESTING"]},
     (SECRETARIAT, "ILAC_MRA"), (SECRETARIAT, "IAF_MLA")),
    ({"kind": "ACCREDITATIONS", "accreditationBody": "COFRAC"}, (AB, "COFRAC"), (AB, "DAkkS")),
    ({"kind": "IMPORT_POLICIES", "importer": "EU", "hsPrefixes": ["22"]}, (REGULATOR, "EU"), (REGULATOR, "FR")),
    ({"kind": "DESIGNATIONS", "arrangement": "EU_US_MRA", "sector": "EU-US-TEL"}, None, (AUTHORITY, "EU")),
    ({"kind": "DESIGNATIONS", "arrangement": "EU_US_MRA", "sector": "EU-US-TEL"}, None, (AUTHORITY, "US")),
    ({"kind": "LIST_ENTRIES", "list": "US-TOY-LABS"}, None, (REGULATOR, "US")),
    ({"kind": "ACCREDITATION_BODIES"}, None, (SECRETARIAT, "ILAC_MRA")),
    ({"kind": "CABS"}, None, (AB, "COFRAC")),
]


@pytest.mark.parametrize(("declared", "owner", "other"), DECLARATIONS_BY_OWNER,
                         ids=[f"{d['kind']}-{o[0].value if o else 'admin'}-vs-{x[0].value}-{x[1]}"
                              for d, o, x in DECLARATIONS_BY_OWNER])
def test_a_completeness_declaration_is_written_by_the_owner_of_what_it_declares(api, declared, owner, other):
    data = {"code": "ZZ-DECL", "validFrom": "2000-01-01"} | declared
    refused = mutate(api, "completenessDeclarationRecord", data, api.token(*other), selection="")
    allowed = mutate(api, "completenessDeclarationRecord", data, api.token(*(owner or (ADMIN, None))), selection="")
    assert error_codes(refused) == ["FORBIDDEN"]
    assert allowed["errors"] == []


def test_an_owner_cannot_take_over_another_owners_declaration(api):
    # the JP regulator may not rewrite KR's declaration as its own, nor end it
    token = api.token(REGULATOR, "JP")
    taken = mutate(api, "completenessDeclarationRecord", {
        "code": "DECL-IMPORT-KR", "kind": "IMPORT_POLICIES", "importer": "JP",
        "expectedVersion": version(api, "CompletenessDeclaration", "DECL-IMPORT-KR")}, token, selection="")
    ended = mutate(api, "completenessDeclarationEnd", {"code": "DECL-IMPORT-KR", "validTo": "2030-01-01"}, token,
                   selection="")
    assert error_codes(taken) == ["FORBIDDEN"]
    assert error_codes(ended) == ["FORBIDDEN"]


# -- reads are public and never reveal tokens -------------------------------------------------------------------
SECRET_WORDS = ("token", "digest", "secret", "password", "apikey", "hmac")


def test_no_type_of_the_schema_exposes_tokens_or_digests(api):
    result = api("""{ __schema { types { name fields(includeDeprecated: true) { name }
                                        inputFields { name } } } }""")
    assert not result.errors, result.errors
    for type_ in result.data["__schema"]["types"]:
        assert not any(word in type_["name"].lower() for word in SECRET_WORDS), type_["name"]
        names = [f["name"] for f in (type_["fields"] or [])] + [f["name"] for f in (type_["inputFields"] or [])]
        for name in names:
            assert not any(word in name.lower() for word in SECRET_WORDS), f"{type_['name']}.{name}"


def test_no_type_of_the_schema_is_backed_by_the_token_table():
    # the same from the Python side: no object type or field resolves from ApiToken rows
    for type_ in schema.graphql_schema.type_map.values():
        named = get_named_type(type_)
        if is_object_type(named) or is_interface_type(named) or is_input_object_type(named):
            assert "token" not in named.name.lower()


def test_node_does_not_resolve_token_ids(api):
    token = api.token(ADMIN)
    token_id = token.split("_", 2)[1]
    for type_name in ("ApiToken", "Token", "api_tokens"):
        result = api("query($id: ID!) { node(id: $id) { id } }", {"id": to_global_id(type_name, token_id)})
        assert result.data == {"node": None}
    # and nothing in a node answer carries the secret or the digest
    with Session(api.services.engine) as session:
        digest = session.scalar(select(m.ApiToken.digest).where(m.ApiToken.id == token_id))
    mutate(api, "accreditationBodyUpdate", {"code": "COFRAC", "name": "renamed", "expectedVersion": 1}, token)
    everything = json.dumps([
        api("{ changes(last: 100) { edges { node { version entityType entityCode facet action before after at "
            "actor role requestId message } } } }").data,
        api("query($id: ID!) { node(id: $id) { id ... on AccreditationBody { code name version "
            "statuses { edges { node { status } } } } } }",
            {"id": to_global_id("AccreditationBody", "COFRAC")}).data,
    ])
    assert token.split("_", 2)[2] not in everything
    assert digest not in everything
    assert token_id in everything  # the public id is who wrote it, by design


def test_node_and_code_look_ups_answer_the_same_public_data(api):
    for type_name, field, code, selection in [
        ("AccreditationBody", "accreditationBody", "COFRAC",
         "code name version economy { code } statuses { totalCount edges { node { status } } }"),
        ("ConformityAssessmentBody", "conformityAssessmentBody", "L04",
         "code name version accreditations { edges { node { number } } } "
         "designations { edges { node { forParty sector { code } } } }"),
        ("ImportPolicy", "importPolicy", "P-JP-0406", "code version importer maxAgeDays routes { label }"),
        ("Arrangement", "arrangement", "EU_US_MRA", "code name kind parties sectors { edges { node { code } } }"),
        ("Economy", "economy", "DE", "code name unionMemberships { edges { node { union { code } } } }"),
        ("Union", "union", "EU", "code name memberships(first: 100) { edges { node { economy { code } validTo } } }"),
    ]:
        by_code = api(f'{{ {field}(code: "{code}") {{ id {selection} }} }}')
        by_node = api(f'query($id: ID!) {{ node(id: $id) {{ id ... on {type_name} {{ {selection} }} }} }}',
                      {"id": to_global_id(type_name, code)})
        assert not by_code.errors and not by_node.errors, (by_code.errors, by_node.errors)
        assert by_code.data[field] == by_node.data["node"]


def test_reads_ignore_any_token_sent_with_them(api):
    # reads are public: a bad or revoked token on a read is not an error (only writes check it)
    for token in (None, "not-a-token", "mra_0123456789abcdef_secret"):
        result = api('{ accreditationBody(code: "COFRAC") { code } registryVersion }', token=token)
        assert not result.errors
        assert result.data["accreditationBody"] == {"code": "COFRAC"}
