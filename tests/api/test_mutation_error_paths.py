"""Issue 13: a mutation error's `field` points at the offending value: its camelCase path from the mutation's
argument, with list indexes (`input.scope[1].hsPrefixes`, `input.requirements[1].routes[0].list`,
`input.document.arrangements[2].sectors[0].operations[1].parties`), as a bad input value's `extensions.field` does;
null when the problem concerns the whole input or none of its values.

A write is checked as a one-entity registry document, where the value the input gives sits inside the entity
(`$.conformityAssessmentBodies[0].accreditations[1].suspensions[1].to`), at the place the writer's ordering gives it.
Each family of mutations below is refused on such a value, placed after the entity's other items so that the
document index differs from 0; the refusal names the input's path and changes nothing."""
from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from mra_registry.api.errors import InputPaths
from mra_registry.api.schema import schema
from mra_registry.store.tokens import Role

from .support import document, error_codes, export, mutate, registry_version, version

BAD_SOURCES = {"sources": ["https://example.org/source", ""]}  # a source is at least one character
ZZ_TESTING_MRA = {"code": "ZZ_TESTING_MRA", "name": "Invented", "kind": "ACCREDITATION_GLOBAL",
                  "activities": ["TESTING"], "confidence": "fixture"}


@pytest.fixture
def admin(api) -> str:
    return api.token(Role.ADMINISTRATOR)


def refused(api, mutation: str, data: dict, token: str) -> list[tuple[str | None, str]]:
    """The (field, code) of each error of a write that must be refused and change nothing."""
    before = registry_version(api), export(api)
    payload = mutate(api, mutation, data, token, selection="")
    assert payload["errors"], f"{mutation} was applied"
    assert (registry_version(api), export(api)) == before
    return [(e["field"], e["code"]) for e in payload["errors"]]


def applied(api, mutation: str, data: dict, token: str) -> None:
    assert mutate(api, mutation, data, token, selection="")["errors"] == []


# -- bodies: the entity written whole ----------------------------------------------------------------------------
def test_a_body_update_names_the_source_at_fault(api, admin):
    data = {"code": "L02", "name": "Renamed", "provenance": BAD_SOURCES,
            "expectedVersion": version(api, "ConformityAssessmentBody", "L02")}
    assert refused(api, "conformityAssessmentBodyUpdate", data, admin) == [("input.provenance.sources[1]", "INVALID")]


def test_a_body_create_names_the_field_the_loader_refuses(api, admin):
    data = {"code": "ZZ-AB", "name": "Invented", "region": "R" * 33}  # longer than its column
    assert refused(api, "accreditationBodyCreate", data, admin) == [("input.region", "INVALID")]


def test_a_body_update_taking_away_the_kind_its_competences_need_names_the_kinds(api, admin):
    data = {"code": "AUTH-EG", "kinds": ["LABORATORY"], "expectedVersion": version(api, "ConformityAssessmentBody",
                                                                                  "AUTH-EG")}
    assert refused(api, "conformityAssessmentBodyUpdate", data, admin) == [("input.kinds", "INCONSISTENT")]


# -- signatory statuses: the input is one status among the body's ------------------------------------------------
def test_a_status_event_names_its_own_source_whatever_its_place_among_the_bodys_statuses(api, admin):
    # COFRAC's ILAC testing status (standard: none) is written first; this one, for a standard, second
    data = {"accreditationBody": "COFRAC", "arrangement": "ILAC_MRA", "activity": "TESTING",
            "standard": "ZZ-STANDARD", "status": "SIGNATORY", "validFrom": "2025-08-01", "provenance": BAD_SOURCES,
            "expectedVersion": version(api, "AccreditationBody", "COFRAC")}
    assert refused(api, "signatoryStatusRecord", data, admin) == [("input.provenance.sources[1]", "INVALID")]


def test_a_status_event_names_the_arrangement_the_loader_does_not_know(api, admin):
    data = {"accreditationBody": "COFRAC", "arrangement": "ZZ-NOPE", "activity": "TESTING", "status": "SIGNATORY",
            "validFrom": "2025-08-01", "expectedVersion": version(api, "AccreditationBody", "COFRAC")}
    assert refused(api, "signatoryStatusRecord", data, admin) == [("input.arrangement", "UNKNOWN_REFERENCE")]


# -- accreditations: the input is one accreditation of the CAB, or one suspension of one ------------------------
def test_a_grant_names_the_scope_item_at_fault(api, admin):
    data = {"cab": "L02", "accreditationBody": "COFRAC", "number": "ZZ-N2", "activity": "TESTING",
            "validFrom": "2025-01-01",
            "scope": [{"identifier": "ISO 11290-1"}, {"identifier": "ISO 6579-1", "hsPrefixes": ["0406", "0406"]}],
            "expectedVersion": version(api, "ConformityAssessmentBody", "L02")}
    assert refused(api, "accreditationGrant", data, admin) == [("input.scope[1].hsPrefixes", "INVALID")]


def test_a_blank_scope_identifier_is_named_with_its_index(api, admin):
    data = {"cab": "L02", "accreditationBody": "COFRAC", "number": "COFRAC-T-L02",
            "scope": [{"identifier": "ISO 11290-1"}, {"identifier": " "}],
            "expectedVersion": version(api, "ConformityAssessmentBody", "L02")}
    assert refused(api, "accreditationScopeSet", data, admin) == [("input.scope[1].identifier", "INVALID")]


def test_a_suspension_names_its_last_day_inside_the_second_accreditations_second_suspension(api, admin):
    # given: L02's COFRAC-T-L02 written second (COFRAC-A sorts first), already suspended in August
    applied(api, "accreditationGrant", {
        "cab": "L02", "accreditationBody": "COFRAC", "number": "COFRAC-A", "activity": "CALIBRATION",
        "validFrom": "2025-01-01", "expectedVersion": version(api, "ConformityAssessmentBody", "L02")}, admin)
    key = {"cab": "L02", "accreditationBody": "COFRAC", "number": "COFRAC-T-L02"}
    applied(api, "accreditationSuspend", key | {
        "validFrom": "2025-08-01", "validTo": "2025-08-31",
        "expectedVersion": version(api, "ConformityAssessmentBody", "L02")}, admin)

    # when: a suspension that ends before it starts ($...accreditations[1].suspensions[1].to in the document)
    errors = refused(api, "accreditationSuspend", key | {
        "validFrom": "2025-10-01", "validTo": "2025-09-01",
        "expectedVersion": version(api, "ConformityAssessmentBody", "L02")}, admin)

    # then
    assert errors == [("input.validTo", "INVALID_DATE_RANGE")]


def test_an_overlapping_suspension_concerns_the_whole_input(api, admin):
    key = {"cab": "L02", "accreditationBody": "COFRAC", "number": "COFRAC-T-L02"}
    applied(api, "accreditationSuspend", key | {
        "validFrom": "2025-08-01", "validTo": "2025-08-31",
        "expectedVersion": version(api, "ConformityAssessmentBody", "L02")}, admin)
    errors = refused(api, "accreditationSuspend", key | {
        "validFrom": "2025-08-15", "validTo": "2025-09-15",
        "expectedVersion": version(api, "ConformityAssessmentBody", "L02")}, admin)
    assert errors == [(None, "OVERLAPPING_INTERVAL")]


# -- designations: the input is one designation among the CAB's --------------------------------------------------
def test_a_designation_names_its_source_between_the_cabs_other_designations(api):
    # L04's designations: EU-AU-LVE, EU-US-TEL; this one (EU-US-EMC) is written between them
    data = {"cab": "L04", "arrangement": "EU_US_MRA", "sector": "EU-US-EMC", "forParty": "US",
            "validFrom": "2026-01-01", "provenance": BAD_SOURCES,
            "expectedVersion": version(api, "ConformityAssessmentBody", "L04")}
    errors = refused(api, "designationCreate", data, api.token(Role.DESIGNATING_AUTHORITY, "EU"))
    assert errors == [("input.provenance.sources[1]", "INVALID")]


def test_a_designation_names_the_sector_the_arrangement_lacks(api, admin):
    data = {"cab": "L04", "arrangement": "EU_US_MRA", "sector": "ZZ-NOPE", "forParty": "US",
            "validFrom": "2026-01-01", "expectedVersion": version(api, "ConformityAssessmentBody", "L04")}
    assert refused(api, "designationCreate", data, admin) == [("input.sector", "UNKNOWN_REFERENCE")]


# -- import policies: written whole, a one-requirement policy in the document's flat form -----------------------
POLICY = {"code": "ZZ-P-JP-0401", "importer": "JP", "hsPrefixes": ["0401"]}
FIRST = {"type": "TESTING", "routes": [{"kind": "ARRANGEMENT", "arrangements": ["ILAC_MRA"]}]}


@pytest.mark.parametrize(("requirements", "field", "code"), [
    ([FIRST, {"type": "TESTING", "requiredTests": ["ISO 11290-1", ""], "routes": []}],
     "input.requirements[1].requiredTests[1]", "INVALID"),
    ([FIRST, {"type": "TESTING", "routes": [FIRST["routes"][0], {"kind": "LIST", "list": "ZZ-NO-LIST"}]}],
     "input.requirements[1].routes[1].list", "UNKNOWN_REFERENCE"),
    # one requirement: the document writes it in the flat form, the error names it as given
    ([{"type": "TESTING", "routes": [{"kind": "ARRANGEMENT", "arrangements": ["ILAC_MRA", "ZZ-NOPE"]}]}],
     "input.requirements[0].routes[0].arrangements[1]", "UNKNOWN_REFERENCE"),
], ids=["empty-required-test", "unknown-list", "one-requirement"])
def test_a_policy_names_the_requirement_value_at_fault(api, admin, requirements, field, code):
    errors = refused(api, "importPolicyCreate", POLICY | {"requirements": requirements}, admin)
    assert errors[:1] == [(field, code)], errors


@pytest.mark.parametrize(("change", "field", "code"), [
    ({"requiredType": "TESTING"}, "input.routes[0].arrangements[0]", "UNKNOWN_REFERENCE"),
    ({}, "input.routes[0]", "INCONSISTENT"),  # the first requirement is an official certificate's
], ids=["unknown-arrangement", "route-of-a-certificate"])
def test_an_amendment_of_the_first_requirements_routes_names_them_as_given(api, change, field, code):
    # P-EU-1202-EG has two requirements (the document's `requirements` form); the amendment gives the flat fields
    data = {"code": "P-EU-1202-EG", "routes": [{"kind": "ARRANGEMENT", "arrangements": ["ZZ-NOPE"]}],
            "expectedVersion": version(api, "ImportPolicy", "P-EU-1202-EG")} | change
    errors = refused(api, "importPolicyAmend", data, api.token(Role.IMPORT_REGULATOR, "EU"))
    assert errors == [(field, code)]


@pytest.mark.parametrize(("code", "importer", "kept", "change", "field", "error"), [
    # the policy's last day is kept: the first day sent after it is at fault, not a validTo never sent
    ("P-JP-0406", "JP", {"validTo": "2025-06-30"}, {"validFrom": "2025-09-01"}, "input.validFrom",
     "INVALID_DATE_RANGE"),
    ("P-JP-0406", "JP", {"validFrom": "2025-09-01"}, {"validTo": "2025-06-30"}, "input.validTo", "INVALID_DATE_RANGE"),
    ("P-JP-0406", "JP", None, {"validFrom": "2025-09-01", "validTo": "2025-06-30"}, "input.validTo",
     "INVALID_DATE_RANGE"),
    # the age limit in months is kept: the limit in days sent beside it is at fault
    ("P-JP-0406", "JP", {"maxAgeDays": None, "maxAgeMonths": 6}, {"maxAgeDays": 30}, "input.maxAgeDays",
     "INCONSISTENT"),
    # the same, the first requirement written in the document's `requirements` (maxAgeMonths: 4) and sent flat
    ("P-EU-1202-EG", "EU", None, {"maxAgeDays": 30}, "input.maxAgeDays", "INCONSISTENT"),
], ids=["validFrom-after-kept-validTo", "validTo-before-kept-validFrom", "both-sent", "days-beside-kept-months",
        "days-beside-kept-months-in-requirements"])
def test_an_amendment_names_the_half_of_a_pair_it_sent(api, code, importer, kept, change, field, error):
    token = api.token(Role.IMPORT_REGULATOR, importer)
    if kept is not None:
        applied(api, "importPolicyAmend", {"code": code, "expectedVersion": version(api, "ImportPolicy", code)} | kept,
                token)
    data = {"code": code, "expectedVersion": version(api, "ImportPolicy", code)} | change
    assert refused(api, "importPolicyAmend", data, token) == [(field, error)]


def test_a_negative_age_limit_in_requirements_is_named_with_its_index(api, admin):
    data = POLICY | {"requirements": [FIRST, {"type": "TESTING", "routes": [], "maxAgeDays": -1}]}
    assert refused(api, "importPolicyCreate", data, admin) == [("input.requirements[1].maxAgeDays", "INVALID")]


# -- completeness declarations: written whole ------------------------------------------------------------------
def test_a_declaration_names_the_activity_its_arrangement_does_not_cover(api, admin):
    applied(api, "registryDocumentLoad", {"document": json.dumps(document(arrangements=[ZZ_TESTING_MRA]))}, admin)
    data = {"code": "ZZ-DECL", "kind": "SIGNATORIES", "arrangement": "ZZ_TESTING_MRA",
            "activities": ["TESTING", "CALIBRATION"]}
    assert refused(api, "completenessDeclarationRecord", data, admin) == [("input.activities[1]", "INCONSISTENT")]


# -- acceptance lists and competences: the input is one entry, one competence ----------------------------------
def test_a_list_entry_names_the_scope_item_at_fault_after_the_lists_other_entries(api):
    data = {"list": "US-TOY-LABS", "cab": "L23", "activity": "TESTING", "validFrom": "2026-01-01",
            "scope": [{"identifier": "ISO 8124-1"}, {"identifier": "ISO 8124-2", "hsPrefixes": ["9503", "9503"]}],
            "expectedVersion": version(api, "AcceptanceList", "US-TOY-LABS")}
    errors = refused(api, "acceptanceListEntryRecord", data, api.token(Role.IMPORT_REGULATOR, "US"))
    assert errors == [("input.scope[1].hsPrefixes", "INVALID")]


def test_a_competence_names_its_last_day_after_the_authoritys_other_competence(api, admin):
    data = {"cab": "AUTH-EG", "kind": "OFFICIAL_CERTIFICATE", "hsPrefixes": ["13"], "validFrom": "2026-01-01",
            "validTo": "2025-01-01", "expectedVersion": version(api, "ConformityAssessmentBody", "AUTH-EG")}
    assert refused(api, "competenceRecord", data, admin) == [("input.validTo", "INVALID_DATE_RANGE")]


def test_a_competence_for_a_body_that_is_no_authority_concerns_the_whole_input(api, admin):
    data = {"cab": "L17", "kind": "OFFICIAL_CERTIFICATE", "hsPrefixes": ["12"], "validFrom": "2026-02-01",
            "expectedVersion": version(api, "ConformityAssessmentBody", "L17")}
    assert refused(api, "competenceRecord", data, admin) == [(None, "INCONSISTENT")]


# -- a CAB's credential records: the input is one key, one status list -----------------------------------------
def test_a_verification_key_names_its_source_after_the_cabs_other_keys(api, admin):
    public_jwk = {"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}
    data = {"cab": "L02", "keyId": "did:web:fixtures.invalid:l02#key-2", "jwk": public_jwk, "provenance": BAD_SOURCES,
            "expectedVersion": version(api, "ConformityAssessmentBody", "L02")}
    assert refused(api, "cabVerificationKeyRecord", data, admin) == [("input.provenance.sources[1]", "INVALID")]


# -- the whole-document load: the full path inside the document -------------------------------------------------
def test_a_document_load_names_the_full_path_inside_the_document(api, admin):
    accreditation = {"name": "Invented", "kind": "ACCREDITATION_GLOBAL", "confidence": "fixture"}
    government = {
        "code": "ZZ_GOV_MRA", "name": "Invented", "kind": "GOVERNMENT", "parties": ["EU", "US"],
        "confidence": "fixture",
        "sectors": [{"code": "ZZ-S1", "name": "Invented sector", "attestationTypes": ["TESTING"], "operations": [
            {"parties": ["EU", "US"], "attestationType": "TESTING", "from": "2020-01-01"},
            {"parties": ["EU", "JP"], "attestationType": "TESTING", "from": "2020-01-01"}]}]}
    text = json.dumps(document(arrangements=[{"code": "ZZ_A1"} | accreditation, {"code": "ZZ_A2"} | accreditation,
                                             government]))
    errors = refused(api, "registryDocumentLoad", {"document": text}, admin)
    assert errors == [("input.document.arrangements[2].sectors[0].operations[1].parties", "UNKNOWN_REFERENCE")]


def test_a_document_that_is_not_json_is_the_document_at_fault(api, admin):
    assert refused(api, "registryDocumentLoad", {"document": json.dumps("{not json")}, admin) == [
        ("input.document", "MALFORMED_JSON")]


# -- no field -------------------------------------------------------------------------------------------------
def test_a_write_the_token_may_not_make_has_no_field(api):
    data = {"code": "COFRAC", "name": "x", "expectedVersion": version(api, "AccreditationBody", "COFRAC")}
    payload = mutate(api, "accreditationBodyUpdate", data, api.token(Role.ACCREDITATION_BODY, "DAkkS"), selection="")
    assert error_codes(payload) == ["FORBIDDEN"] and payload["errors"][0]["field"] is None


# -- the mapping itself --------------------------------------------------------------------------------------------
def argument(mutation: str):
    return schema.graphql_schema.mutation_type.fields[mutation].args["input"].type


STATUS = InputPaths(root="$.accreditationBodies[0].statuses[2]", renames={"from": "validFrom", "to": "validTo"},
                    outside={"$.accreditationBodies[0].code": "input.accreditationBody"})


@pytest.mark.parametrize(("path", "field"), [
    ("$.accreditationBodies[0].statuses[2].to", "input.validTo"),
    ("$.accreditationBodies[0].statuses[2].standard", "input.standard"),
    ("$.accreditationBodies[0].code", "input.accreditationBody"),
    ("$.accreditationBodies[0].statuses[2]", None),  # the status as a whole: the whole input
    ("$.accreditationBodies[0].statuses[1].to", None),  # another status of the body
    ("$.accreditationBodies[0].statuses[20].to", None),  # not a prefix match on the index
    ("$.accreditationBodies[0].name", None),  # the body's, not the input's
    ("$.accreditationBodies[0].statuses[2].reportedSince", None),  # no such input field
    ("$", None),
])
def test_a_document_path_maps_onto_the_input_or_nowhere(path, field):
    assert STATUS.field(path, argument("signatoryStatusSuspend")) == field


def test_renames_take_the_longest_prefix_and_a_scalar_holds_any_path():
    flat = InputPaths(root="$.importPolicies[0]", renames={"requirements[0].routes": "routes", "requirements": None})
    policy = argument("importPolicyAmend")
    assert flat.field("$.importPolicies[0].requirements[0].routes[1].list", policy) == "input.routes[1].list"
    assert flat.field("$.importPolicies[0].requirements[1].routes[0].list", policy) is None
    loaded = InputPaths(root="$", at="input.document")
    assert loaded.field("$.anything[3].at.all", argument("registryDocumentLoad")) == "input.document.anything[3].at.all"
    assert loaded.field("$", argument("registryDocumentLoad")) == "input.document"


# -- hand-written fields follow the convention ----------------------------------------------------------------------
def test_every_hand_written_field_is_a_path_from_the_argument():
    api_package = Path(__file__).resolve().parents[2] / "mra_registry" / "api"
    seen = 0
    for source in sorted(api_package.rglob("*.py")):
        for call in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if not (isinstance(call, ast.Call) and getattr(call.func, "id", None) == "WriteRefused"):
                continue
            for error in call.args:
                if not isinstance(error, ast.Tuple):
                    continue  # a generator of errors: its fields come from a function that makes paths
                first = error.elts[0]
                text = ast.unparse(first)
                seen += 1
                none = isinstance(first, ast.Constant) and first.value is None
                path = text.startswith(("'input.", '"input.', "f'input.", 'f"input.'))
                computed = isinstance(first, (ast.Call, ast.Subscript, ast.Name))  # made by a function that says so
                assert none or path or computed, \
                    f"{source.name}:{call.lineno}: field {text} is not a path from the argument (input.…)"
    assert seen > 50
