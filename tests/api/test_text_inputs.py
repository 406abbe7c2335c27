"""Text inputs (issue 11, item 5): no string input may hold a control character (tab and newline excepted in
free text: `message`, `note`), free text has a length limit, and a refused text stores nothing. Refused before
anything runs as BAD_USER_INPUT with the value's path; a write that bypasses the transport's check is refused as
data by the mutation itself (INVALID), and a registry document by the loader. Also: statuses only for
activities the arrangement covers (ACTIVITY_NOT_COVERED), and `mra-registry create-token` exits 0."""
from __future__ import annotations

import asyncio
import json
import subprocess
import sys

import pytest
from graphql import graphql
from sqlalchemy.orm import Session

from mra_registry.api.context import RequestContext
from mra_registry.api.schema import schema
from mra_registry.store.lengths import MESSAGE_MAX, NOTE_MAX, SOURCE_MAX
from mra_registry.store.tokens import Role, authenticate
from tests.conftest import ROOT

from .support import changes, document, export, input_type, mutate, registry_version, version

CONTROL = ["\x00", "\x01", "\x1b", "\x7f", "\x85", "\r"]
CAB_CREATE = ("mutation($input: ConformityAssessmentBodyCreateInput!) { conformityAssessmentBodyCreate(input: $input) "
              "{ errors { field code message } conformityAssessmentBody { code name } } }")


def codes(result) -> list[str]:
    return [str((e.get("extensions") or {}).get("code")) for e in result.errors]


def new_cab(**overrides) -> dict:
    return {"code": "ZZ-CAB", "name": "Invented laboratory", "economy": "FR", "kinds": ["LABORATORY"]} | overrides


def unchanged(api, before: tuple[int, str]) -> None:
    assert (registry_version(api), export(api)) == before


@pytest.fixture
def admin(api) -> str:
    return api.token(Role.ADMINISTRATOR)


# -- control characters --------------------------------------------------------------------------------------
@pytest.mark.parametrize("char", CONTROL, ids=[f"U+{ord(c):04X}" for c in CONTROL])
@pytest.mark.parametrize("where, data, field", [
    ("name", new_cab(name="Lab{c}oratory"), "$input.name"),
    ("code", new_cab(code="ZZ{c}"), "$input.code"),
    ("source", new_cab(provenance={"sources": ["https://example.org/a", "https://ex{c}ample.org"]}),
     "$input.provenance.sources[1]"),
    ("note", new_cab(provenance={"note": "see{c}here"}), "$input.provenance.note"),
    ("message", new_cab(message="why{c}"), "$input.message"),
])
def test_a_control_character_in_a_variable_is_refused_before_anything_runs(api, admin, char, where, data, field):
    # given
    before = (registry_version(api), export(api))
    sent = json.loads(json.dumps(data).replace("{c}", json.dumps(char)[1:-1]))

    # when
    result = api(CAB_CREATE, {"input": sent}, token=admin)

    # then
    assert result.data is None
    assert codes(result) == ["BAD_USER_INPUT"], result.errors
    assert result.errors[0]["extensions"]["field"] == field
    assert f"U+{ord(char):04X}" in result.errors[0]["message"]
    unchanged(api, before)


def test_a_control_character_written_in_the_document_is_refused_in_validation(api, admin):
    before = (registry_version(api), export(api))
    result = api('mutation { conformityAssessmentBodyCreate(input: {code: "ZZ-CAB", name: "Lab\\u0000", '
                 'economy: "FR", kinds: [LABORATORY], provenance: {sources: ["a", "b\\u001b"]}}) { errors { code } } }',
                 token=admin)
    assert result.data is None
    assert codes(result) == ["BAD_USER_INPUT", "BAD_USER_INPUT"]
    assert [e["extensions"]["field"] for e in result.errors] == ["input.name", "input.provenance.sources[1]"]
    unchanged(api, before)


@pytest.mark.parametrize("query, field", [
    ('{ conformityAssessmentBody(code: "L0\\u0000") { code } }', "code"),
    ('{ economies(search: "Fr\\u0000") { totalCount } }', "search"),
    ('{ clearance(input: {exporter: "FR", importer: "JP", hsCode: "040690", attestation: {type: TESTING, '
     'issuer: "L02\\u0000", issueDate: "2025-08-10"}}) { outcome } }', "input.attestation.issuer"),
])
def test_reads_refuse_control_characters_too(api, query, field):
    # a NUL reached PostgreSQL and came back as INTERNAL_SERVER_ERROR with a logged traceback
    result = api(query)
    assert result.data is None
    assert codes(result) == ["BAD_USER_INPUT"]
    assert result.errors[0]["extensions"]["field"] == field


def test_a_control_character_in_a_query_variable_is_refused(api):
    result = api("query($code: String!) { conformityAssessmentBody(code: $code) { code } }", {"code": "L02\x00"})
    assert codes(result) == ["BAD_USER_INPUT"]
    assert result.errors[0]["extensions"]["field"] == "$code"


def test_tab_and_newline_are_kept_in_free_text_only(api, admin):
    # given: a note and a message of two lines, one indented
    note, message = "first line\n\tsecond line", "registered\nafter review"

    # when
    payload = mutate(api, "conformityAssessmentBodyCreate", new_cab(provenance={"note": note}, message=message), admin)

    # then: both kept as sent
    assert payload["errors"] == []
    [record] = changes(api, "ZZ-CAB")
    assert record["message"] == message
    assert record["after"]["note"] == note  # the feed gives JSON, not JSON text
    # and a tab or newline anywhere else is refused
    for data, field in [(new_cab(code="ZZ-2", name="Lab\toratory"), "$input.name"),
                        (new_cab(code="ZZ-3", provenance={"sources": ["https://example.org/\n"]}),
                         "$input.provenance.sources[0]")]:
        result = api(CAB_CREATE, {"input": data}, token=admin)
        assert codes(result) == ["BAD_USER_INPUT"]
        assert result.errors[0]["extensions"]["field"] == field


# -- lengths: a problem of the write, refused as data as a text longer than its column always was ----------
@pytest.mark.parametrize("data, field, limit", [
    (lambda n: new_cab(message="m" * n), "input.message", MESSAGE_MAX),
    (lambda n: new_cab(provenance={"note": "n" * n}), "input.provenance.note", NOTE_MAX),
    (lambda n: new_cab(provenance={"sources": ["https://example.org/" + "s" * (n - 20)]}),
     "input.provenance.sources[0]", SOURCE_MAX),
    (lambda n: new_cab(name="x" * n), "input.name", 300),  # its column's length, through the loader
])
def test_free_text_has_a_length_limit(api, admin, data, field, limit):
    before = (registry_version(api), export(api))
    over = mutate(api, "conformityAssessmentBodyCreate", data(limit + 1), admin)
    assert [(e["field"], e["code"]) for e in over["errors"]] == [(field, "INVALID")]
    assert f"at most {limit}" in over["errors"][0]["message"]
    unchanged(api, before)

    at_limit = mutate(api, "conformityAssessmentBodyCreate", data(limit), admin, selection="")
    assert at_limit["errors"] == []


def test_a_megabyte_message_cannot_reach_the_public_change_feed(api, admin):
    # eight 1 MB messages made one public `changes` page 8 MB
    payload = mutate(api, "conformityAssessmentBodyCreate", new_cab(message="m" * 1_000_000), admin)
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("input.message", "INVALID")]
    assert len(payload["errors"][0]["message"]) < 200
    assert changes(api, "ZZ-CAB") == []


# -- the layers behind the transport -------------------------------------------------------------------------
def run_without_transport_checks(api, query: str, variables: dict, token: str) -> dict:
    """Execute as a caller that skips validation rules and request checks (graphql-core's own only)."""
    context = RequestContext(api.services, request_id="test-request", authorization=f"Bearer {token}")
    result = asyncio.run(graphql(schema.graphql_schema, query, variable_values=variables, context_value=context))
    assert not result.errors, result.errors
    return result.data


@pytest.mark.parametrize("data, field", [
    (new_cab(name="Lab\x00"), "input.name"),
    (new_cab(provenance={"sources": ["ok", "b\x00d"]}), "input.provenance.sources[1]"),
    (new_cab(message="m" * (MESSAGE_MAX + 1)), "input.message"),
])
def test_a_mutation_refuses_bad_text_itself(api, admin, data, field):
    before = (registry_version(api), export(api))
    payload = run_without_transport_checks(api, CAB_CREATE, {"input": data}, admin)["conformityAssessmentBodyCreate"]
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [(field, "INVALID")]
    unchanged(api, before)


def test_a_registry_document_holding_a_control_character_is_refused_by_the_loader(api, admin):
    # given: JSON text whose decoded note holds a NUL (the text itself holds only "\\u0000")
    before = (registry_version(api), export(api))
    text = json.dumps(document(accreditationBodies=[{"code": "ZZ-AB", "name": "x", "economy": "FR",
                                                     "sources": ["https://example.org/\u0000"]}]))
    assert "\x00" not in text

    # when
    payload = mutate(api, "registryDocumentLoad", {"document": text}, admin)

    # then
    assert [e["code"] for e in payload["errors"]] == ["INVALID"]
    assert "U+0000" in payload["errors"][0]["message"]
    unchanged(api, before)


def test_a_registry_document_with_an_overlong_note_is_refused_by_the_loader(api, admin):
    text = json.dumps(document(accreditationBodies=[{"code": "ZZ-AB", "name": "x", "economy": "FR",
                                                     "note": "n" * (NOTE_MAX + 1)}]))
    payload = mutate(api, "registryDocumentLoad", {"document": text}, admin)
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        ("input.document.accreditationBodies[0].note", "INVALID")]


# -- statuses only for activities the arrangement covers -----------------------------------------------------
def test_a_status_for_an_activity_the_arrangement_does_not_cover_is_refused(api, admin):
    # given: an (invented) arrangement covering testing only
    loaded = mutate(api, "registryDocumentLoad", {"document": json.dumps(document(arrangements=[{
        "code": "ZZ_TESTING_MRA", "name": "Invented", "kind": "ACCREDITATION_GLOBAL", "activities": ["TESTING"],
        "confidence": "fixture"}]))}, admin)
    assert loaded["errors"] == []
    before = (registry_version(api), export(api))
    status = {"accreditationBody": "COFRAC", "arrangement": "ZZ_TESTING_MRA", "status": "SIGNATORY",
              "validFrom": "2025-01-01"}

    # when: a status for calibration
    refused = mutate(api, "signatoryStatusRecord", status | {
        "activity": "CALIBRATION", "expectedVersion": version(api, "AccreditationBody", "COFRAC")}, admin)

    # then
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [("input.activity", "ACTIVITY_NOT_COVERED")]
    assert "covers TESTING" in refused["errors"][0]["message"]
    unchanged(api, before)
    # and one for testing is recorded
    recorded = mutate(api, "signatoryStatusRecord", status | {
        "activity": "TESTING", "expectedVersion": version(api, "AccreditationBody", "COFRAC")}, admin)
    assert recorded["errors"] == []


# -- create-token -----------------------------------------------------------------------------------------------
def test_create_token_exits_zero_and_prints_a_token_that_authenticates(api, tmp_path):
    url = api.settings.database_url
    done = subprocess.run([sys.executable, "-m", "mra_registry", "--database", url, "create-token",
                           "--role", "ACCREDITATION_BODY", "--scope", "COFRAC", "--label", "ci"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "DetachedInstanceError" not in done.stderr
    token = done.stdout.strip()
    assert "role ACCREDITATION_BODY, scope COFRAC" in done.stderr
    with Session(api.services.engine) as session:
        principal = authenticate(session, token)
    assert (principal.role, principal.scope) == (Role.ACCREDITATION_BODY, "COFRAC")
    assert principal.token_id in done.stderr


def test_input_type_names_used_here_exist():
    assert input_type("conformityAssessmentBodyCreate") == "ConformityAssessmentBodyCreateInput!"
