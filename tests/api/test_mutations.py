"""Every mutation's happy path, as an administrator and as the scoped role that owns the fact: the object comes
back changed, the registry version moves by exactly one, the change is recorded (who, request id, before and
after), and the very next clearance is decided on it. Then the signatory-status event rules.

Fixtures: data/fixtures/scenarios.json (SCENARIOS.md section 1). Codes starting with ZZ- and the NABL RMP
event below are invented for these tests."""
from __future__ import annotations

import json

import pytest

from mra_registry.store.tokens import Role

from .support import (
    REQUEST_ID,
    changes,
    clearance,
    document,
    error_codes,
    fixture_entity,
    mutate,
    nodes,
    registry_version,
    s03,
    s05,
    s15,
    s26,
    token_id,
    version,
)

ADMIN = (Role.ADMINISTRATOR, None)


def writer(api, who: tuple[Role, str | None]) -> str:
    role, scope = who
    return api.token(role, scope)


def assert_applied(api, payload: dict, version_before: int, token: str, role: Role, entity_code: str,
                   message: str | None = None) -> list[dict]:
    """The write was applied as one registry version, and recorded as made by this token, in this request."""
    assert payload["errors"] == []
    assert payload["registryVersion"] == version_before + 1
    assert registry_version(api) == version_before + 1
    records = [c for c in changes(api, entity_code) if c["version"] == version_before + 1]
    assert records, f"no change record of {entity_code} in version {version_before + 1}"
    for record in records:
        assert record["entityCode"] == entity_code
        assert record["actor"] == token_id(token)
        assert record["role"] == role.value
        assert record["requestId"] == REQUEST_ID
        assert record["at"]
        assert record["message"] == message
    return records


def decoded(record: dict, side: str):
    value = record[side]
    return record[side]  # the feed gives JSON values


# -- bodies ---------------------------------------------------------------------------------------------------
def test_accreditation_body_create_registers_a_body_decisions_know_at_once(api):
    # given: a report claiming an accreditation body the registry does not hold
    token = writer(api, ADMIN)
    before = registry_version(api)
    claim = {"issuer": "L02", "accreditation_body": "ZZ-AB", "issue_date": "2025-08-10", "clearance_date": "2025-09-15"}
    assert clearance(api, "FR", "JP", "040690", **claim)["reason"] == "UNRECOGNISED_ACCREDITATION_BODY"

    # when: an administrator registers it
    payload = mutate(api, "accreditationBodyCreate", {
        "code": "ZZ-AB", "name": "Invented Accreditation Body", "economy": "FR", "region": "EA",
        "provenance": {"confidence": "FIXTURE", "sources": ["https://example.org/zz-ab"], "note": "invented"},
        "message": "register ZZ-AB",
    }, token)

    # then
    body = payload["accreditationBody"]
    assert (body["code"], body["name"], body["economy"]["code"], body["region"], body["version"]) == (
        "ZZ-AB", "Invented Accreditation Body", "FR", "EA", 1)
    [record] = assert_applied(api, payload, before, token, Role.ADMINISTRATOR, "ZZ-AB", message="register ZZ-AB")
    assert (record["entityType"], record["action"], decoded(record, "before")) == ("AccreditationBody", "CREATE", None)
    assert decoded(record, "after")["name"] == "Invented Accreditation Body"
    decision = clearance(api, "FR", "JP", "040690", **claim)
    assert decision["registryVersion"] == before + 1
    # known now, but the registry holds no accreditation of L02 by it and ZZ-AB declares none complete: the claim
    # is not refuted (RULES.md step 1); the route is evaluated on ZZ-AB's status, which the fixtures' SIGNATORIES
    # declaration makes a fact: it is no ILAC signatory
    assert decision["reason"] == "AB_NOT_SIGNATORY_FOR_SCOPE"


@pytest.mark.parametrize("who", [ADMIN, (Role.ACCREDITATION_BODY, "COFRAC")], ids=["administrator", "owner"])
def test_accreditation_body_update_changes_the_body_and_its_version(api, who):
    # given
    token = writer(api, who)
    before = registry_version(api)
    expected = version(api, "AccreditationBody", "COFRAC")

    # when
    payload = mutate(api, "accreditationBodyUpdate", {
        "code": "COFRAC", "expectedVersion": expected, "name": "COFRAC (renamed)", "message": "new name"}, token)

    # then: only the name changed
    body = payload["accreditationBody"]
    assert (body["name"], body["economy"]["code"], body["region"]) == ("COFRAC (renamed)", "FR", "EA")
    assert body["version"] == expected + 1 == version(api, "AccreditationBody", "COFRAC")
    [record] = assert_applied(api, payload, before, token, who[0], "COFRAC", message="new name")
    assert record["action"] == "UPDATE"
    assert decoded(record, "before")["name"] == "Comité français d'accréditation"
    assert decoded(record, "after")["name"] == "COFRAC (renamed)"
    assert s03(api)["registryVersion"] == before + 1


@pytest.mark.parametrize("who", [ADMIN, (Role.ACCREDITATION_BODY, "COFRAC")], ids=["administrator", "owner"])
def test_conformity_assessment_body_create_registers_a_cab(api, who):
    # given: a report from a laboratory the registry does not hold
    token = writer(api, who)
    before = registry_version(api)
    claim = {"issuer": "ZZ-LAB", "accreditation_body": "COFRAC", "issue_date": "2025-08-10", "clearance_date": "2025-09-15"}
    assert clearance(api, "FR", "JP", "040690", **claim)["reason"] == "UNKNOWN_CAB"

    # when
    payload = mutate(api, "conformityAssessmentBodyCreate", {
        "code": "ZZ-LAB", "name": "Invented Laboratory", "economy": "FR", "kinds": ["LABORATORY"]}, token)

    # then
    cab = payload["conformityAssessmentBody"]
    assert (cab["code"], cab["economy"]["code"], cab["kinds"], cab["accreditations"], cab["version"]) == (
        "ZZ-LAB", "FR", ["LABORATORY"], [], 1)
    [record] = assert_applied(api, payload, before, token, who[0], "ZZ-LAB")
    assert (record["entityType"], record["action"]) == ("ConformityAssessmentBody", "CREATE")
    decision = clearance(api, "FR", "JP", "040690", **claim)
    assert decision["registryVersion"] == before + 1
    assert decision["reason"] == "ACCREDITATION_MISMATCH"  # known now; COFRAC has not accredited it


# L02 came from a registry document, so an administrator owns its record; COFRAC accredits it but owns nothing
# of it (issue 11: rights that followed accreditations could be bootstrapped). A CAB's registering body updates
# it in test_authorization.py.
@pytest.mark.parametrize("who", [ADMIN], ids=["administrator"])
def test_conformity_assessment_body_update_changes_the_cab(api, who):
    # given: L02, accredited by COFRAC
    token = writer(api, who)
    before = registry_version(api)
    expected = version(api, "ConformityAssessmentBody", "L02")

    # when
    payload = mutate(api, "conformityAssessmentBodyUpdate", {
        "code": "L02", "expectedVersion": expected, "name": "Laboratoire Fromager de Lyon (renamed)",
        "kinds": ["LABORATORY", "INSPECTION_BODY"]}, token)

    # then
    cab = payload["conformityAssessmentBody"]
    assert cab["name"] == "Laboratoire Fromager de Lyon (renamed)"
    assert cab["kinds"] == ["LABORATORY", "INSPECTION_BODY"]
    assert [a["number"] for a in cab["accreditations"]] == ["COFRAC-T-L02"]  # untouched
    assert cab["version"] == expected + 1
    [record] = assert_applied(api, payload, before, token, who[0], "L02")
    assert decoded(record, "before")["kinds"] == ["LABORATORY"]
    assert decoded(record, "after")["kinds"] == ["LABORATORY", "INSPECTION_BODY"]
    decision = s03(api)
    assert (decision["outcome"], decision["registryVersion"]) == ("RECOGNISED", before + 1)


def test_an_administrator_may_update_a_cab_no_body_accredits(api):
    # given: a CAB with no accreditation (AUTH-DE, a regulatory authority)
    token = writer(api, ADMIN)
    expected = version(api, "ConformityAssessmentBody", "AUTH-DE")

    # when
    payload = mutate(api, "conformityAssessmentBodyUpdate", {
        "code": "AUTH-DE", "expectedVersion": expected, "name": "Zentralstelle der Länder (renamed)"}, token)

    # then
    assert payload["errors"] == []
    assert payload["conformityAssessmentBody"]["name"] == "Zentralstelle der Länder (renamed)"


def test_an_update_that_changes_nothing_leaves_the_registry_version_alone(api):
    # given
    token = writer(api, ADMIN)
    before = registry_version(api)

    # when: COFRAC is "renamed" to the name it has
    payload = mutate(api, "accreditationBodyUpdate", {
        "code": "COFRAC", "expectedVersion": version(api, "AccreditationBody", "COFRAC"),
        "name": "Comité français d'accréditation"}, token)

    # then: accepted, but no new version and nothing in the change log
    assert payload["errors"] == []
    assert payload["registryVersion"] == before == registry_version(api)
    assert version(api, "AccreditationBody", "COFRAC") == 1
    assert all(c["version"] <= before for c in changes(api, "COFRAC"))


# -- signatory statuses ---------------------------------------------------------------------------------------
SECRETARIAT = (Role.ARRANGEMENT_SECRETARIAT, "ILAC_MRA")
COFRAC_TESTING = {"accreditationBody": "COFRAC", "arrangement": "ILAC_MRA", "activity": "TESTING"}


def cofrac_ilac_statuses(payload_or_body: dict) -> list[tuple]:
    return [(s["status"], s["validFrom"], s["validTo"]) for s in payload_or_body["statuses"]
            if s["arrangement"]["code"] == "ILAC_MRA" and s["activity"] == "TESTING"]


@pytest.mark.parametrize("who", [ADMIN, SECRETARIAT], ids=["administrator", "owner"])
def test_signatory_status_suspend_ends_the_open_status_and_decisions_follow(api, who):
    # given: S03 is recognised through COFRAC's ILAC testing signature
    token = writer(api, who)
    before = registry_version(api)
    assert s03(api)["outcome"] == "RECOGNISED"

    # when: ILAC suspends COFRAC for testing from 2025-08-01
    payload = mutate(api, "signatoryStatusSuspend", COFRAC_TESTING | {
        "validFrom": "2025-08-01", "expectedVersion": version(api, "AccreditationBody", "COFRAC")}, token)

    # then: the open SIGNATORY record ends the day before, a SUSPENDED one starts
    assert cofrac_ilac_statuses(payload["accreditationBody"]) == [
        ("SIGNATORY", "2001-01-31", "2025-07-31"), ("SUSPENDED", "2025-08-01", None)]
    [record] = assert_applied(api, payload, before, token, who[0], "COFRAC")
    assert record["facet"] == "statuses ILAC_MRA/TESTING/-"
    assert [s["status"] for s in decoded(record, "before")] == ["SIGNATORY"]
    assert [(s["status"], s["from"], s.get("to")) for s in decoded(record, "after")] == [
        ("SIGNATORY", "2001-01-31", "2025-07-31"), ("SUSPENDED", "2025-08-01", None)]
    # a report issued on 2025-08-10 was issued while the body was suspended
    decision = s03(api)
    assert (decision["outcome"], decision["reason"], decision["registryVersion"]) == (
        "RETEST_REQUIRED", "AB_SUSPENDED_AT_ISSUE", before + 1)
    # and browsing reads the same history
    browsed = nodes(api('{ accreditationBody(code: "COFRAC") { statuses(arrangement: "ILAC_MRA", activity: TESTING) '
                        '{ edges { node { arrangement { code } activity status validFrom validTo } } } } }').data)[
        "accreditationBody"]
    assert cofrac_ilac_statuses(browsed) == cofrac_ilac_statuses(payload["accreditationBody"])


@pytest.mark.parametrize("who", [ADMIN, SECRETARIAT], ids=["administrator", "owner"])
def test_signatory_status_reinstate_lifts_a_suspension(api, who):
    # given: COFRAC suspended from 2025-08-01
    admin = writer(api, ADMIN)
    suspended = mutate(api, "signatoryStatusSuspend", COFRAC_TESTING | {
        "validFrom": "2025-08-01", "expectedVersion": version(api, "AccreditationBody", "COFRAC")}, admin)
    assert suspended["errors"] == []
    token = writer(api, who)
    before = registry_version(api)

    # when: reinstated from 2025-08-05, before the report was issued
    payload = mutate(api, "signatoryStatusReinstate", COFRAC_TESTING | {
        "validFrom": "2025-08-05", "expectedVersion": version(api, "AccreditationBody", "COFRAC")}, token)

    # then
    assert cofrac_ilac_statuses(payload["accreditationBody"]) == [
        ("SIGNATORY", "2001-01-31", "2025-07-31"), ("SUSPENDED", "2025-08-01", "2025-08-04"),
        ("SIGNATORY", "2025-08-05", None)]
    assert_applied(api, payload, before, token, who[0], "COFRAC")
    decision = s03(api)
    assert (decision["outcome"], decision["reason"], decision["registryVersion"]) == (
        "RECOGNISED", "ARRANGEMENT_ROUTE", before + 1)


@pytest.mark.parametrize("who", [ADMIN, SECRETARIAT], ids=["administrator", "owner"])
def test_signatory_status_withdraw_ends_recognition(api, who):
    # given
    token = writer(api, who)
    before = registry_version(api)

    # when: COFRAC withdrawn from ILAC testing from 2025-08-01
    payload = mutate(api, "signatoryStatusWithdraw", COFRAC_TESTING | {
        "validFrom": "2025-08-01", "expectedVersion": version(api, "AccreditationBody", "COFRAC")}, token)

    # then
    assert cofrac_ilac_statuses(payload["accreditationBody"]) == [
        ("SIGNATORY", "2001-01-31", "2025-07-31"), ("WITHDRAWN", "2025-08-01", None)]
    assert_applied(api, payload, before, token, who[0], "COFRAC")
    decision = s03(api)
    assert (decision["outcome"], decision["reason"], decision["registryVersion"]) == (
        "RETEST_REQUIRED", "AB_NOT_SIGNATORY_FOR_SCOPE", before + 1)


@pytest.mark.parametrize("who", [ADMIN, SECRETARIAT], ids=["administrator", "owner"])
def test_signatory_status_record_adds_a_status(api, who):
    # given: S26 fails because NABL's reference-material recognition is APAC-only
    token = writer(api, who)
    before = registry_version(api)
    assert s26(api)["reason"] == "AB_NOT_SIGNATORY_FOR_SCOPE"

    # when: an (invented) ILAC RMP signature of NABL from 2024-01-01 is recorded
    payload = mutate(api, "signatoryStatusRecord", {
        "accreditationBody": "NABL", "arrangement": "ILAC_MRA", "activity": "RMP", "status": "SIGNATORY",
        "validFrom": "2024-01-01", "expectedVersion": version(api, "AccreditationBody", "NABL"),
        "provenance": {"confidence": "FIXTURE", "note": "invented for this test"}}, token)

    # then
    statuses = [(s["arrangement"]["code"], s["activity"], s["status"], s["validFrom"], s["validTo"])
                for s in payload["accreditationBody"]["statuses"]]
    assert ("ILAC_MRA", "RMP", "SIGNATORY", "2024-01-01", None) in statuses
    [record] = assert_applied(api, payload, before, token, who[0], "NABL")
    assert (record["action"], record["facet"], decoded(record, "before")) == ("CREATE", "statuses ILAC_MRA/RMP/-", None)
    decision = s26(api)
    assert (decision["outcome"], decision["route"]["arrangement"]["code"], decision["registryVersion"]) == (
        "RECOGNISED", "ILAC_MRA", before + 1)


def test_suspend_needs_signatory_the_day_before(api):
    token = writer(api, ADMIN)
    # A2LA left the IAAC MLA on 2023-01-01 (WITHDRAWN): there is nothing to suspend
    withdrawn = mutate(api, "signatoryStatusSuspend", {
        "accreditationBody": "A2LA", "arrangement": "IAAC_MLA", "activity": "TESTING", "validFrom": "2024-01-01",
        "expectedVersion": version(api, "AccreditationBody", "A2LA")}, token)
    # COFRAC holds no IAF status at all
    no_status = mutate(api, "signatoryStatusSuspend", {
        "accreditationBody": "COFRAC", "arrangement": "IAF_MLA", "activity": "MS_CERTIFICATION",
        "validFrom": "2024-01-01", "expectedVersion": version(api, "AccreditationBody", "COFRAC")}, token)
    # already suspended
    first = mutate(api, "signatoryStatusSuspend", COFRAC_TESTING | {
        "validFrom": "2025-08-01", "expectedVersion": version(api, "AccreditationBody", "COFRAC")}, token)
    again = mutate(api, "signatoryStatusSuspend", COFRAC_TESTING | {
        "validFrom": "2025-09-01", "expectedVersion": version(api, "AccreditationBody", "COFRAC")}, token)

    assert error_codes(withdrawn) == ["INVALID_TRANSITION"]
    assert error_codes(no_status) == ["INVALID_TRANSITION"]
    assert first["errors"] == []
    assert error_codes(again) == ["INVALID_TRANSITION"]


def test_reinstate_needs_suspended_the_day_before(api):
    token = writer(api, ADMIN)
    # COFRAC is a signatory, not suspended
    payload = mutate(api, "signatoryStatusReinstate", COFRAC_TESTING | {
        "validFrom": "2025-08-01", "expectedVersion": version(api, "AccreditationBody", "COFRAC")}, token)
    assert error_codes(payload) == ["INVALID_TRANSITION"]
    assert payload["errors"][0]["field"] == "input.validFrom"


def test_withdraw_needs_signatory_or_suspended_the_day_before(api):
    token = writer(api, ADMIN)
    payload = mutate(api, "signatoryStatusWithdraw", {
        "accreditationBody": "A2LA", "arrangement": "IAAC_MLA", "activity": "TESTING", "validFrom": "2024-01-01",
        "expectedVersion": version(api, "AccreditationBody", "A2LA")}, token)
    assert error_codes(payload) == ["INVALID_TRANSITION"]


def test_withdraw_from_suspended_is_allowed(api):
    token = writer(api, ADMIN)
    mutate(api, "signatoryStatusSuspend", COFRAC_TESTING | {
        "validFrom": "2025-08-01", "expectedVersion": version(api, "AccreditationBody", "COFRAC")}, token)
    payload = mutate(api, "signatoryStatusWithdraw", COFRAC_TESTING | {
        "validFrom": "2025-10-01", "expectedVersion": version(api, "AccreditationBody", "COFRAC")}, token)
    assert cofrac_ilac_statuses(payload["accreditationBody"]) == [
        ("SIGNATORY", "2001-01-31", "2025-07-31"), ("SUSPENDED", "2025-08-01", "2025-09-30"),
        ("WITHDRAWN", "2025-10-01", None)]


@pytest.mark.parametrize("day", ["2018-05-01", "2018-10-02"], ids=["before-the-latest", "on-the-latest"])
def test_an_event_dated_on_or_before_the_latest_recorded_one_is_out_of_order(api, day):
    # given: KCA's ILAC testing history ends with SIGNATORY from 2018-10-02
    token = writer(api, ADMIN)
    before = registry_version(api)

    # when: a suspension dated inside that history
    payload = mutate(api, "signatoryStatusSuspend", {
        "accreditationBody": "KCA", "arrangement": "ILAC_MRA", "activity": "TESTING", "validFrom": day,
        "expectedVersion": version(api, "AccreditationBody", "KCA")}, token)

    # then
    assert error_codes(payload) == ["OUT_OF_ORDER"]
    assert payload["errors"][0]["field"] == "input.validFrom"
    assert registry_version(api) == before


def test_a_suspension_with_a_known_end_keeps_it(api):
    token = writer(api, ADMIN)
    payload = mutate(api, "signatoryStatusSuspend", COFRAC_TESTING | {
        "validFrom": "2025-08-01", "validTo": "2025-08-31",
        "expectedVersion": version(api, "AccreditationBody", "COFRAC")}, token)
    assert cofrac_ilac_statuses(payload["accreditationBody"]) == [
        ("SIGNATORY", "2001-01-31", "2025-07-31"), ("SUSPENDED", "2025-08-01", "2025-08-31")]


# -- accreditations ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("who", [ADMIN, (Role.ACCREDITATION_BODY, "A2LA")], ids=["administrator", "owner"])
def test_accreditation_grant_adds_an_accreditation(api, who):
    # given: S05 fails, L03's A2LA accreditation ended 2024-06-30
    token = writer(api, who)
    before = registry_version(api)
    assert s05(api)["reason"] == "CAB_ACCREDITATION_NOT_ACTIVE"

    # when: A2LA grants L03 a new accreditation from 2024-07-01 (invented)
    payload = mutate(api, "accreditationGrant", {
        "cab": "L03", "accreditationBody": "A2LA", "number": "ZZ-A2LA-T-L03-2", "activity": "TESTING",
        "validFrom": "2024-07-01", "validTo": "2026-06-30",
        "scope": [{"identifier": "ISO 11290-1", "hsPrefixes": ["04"]}, {"identifier": "ISO 6579-1", "hsPrefixes": ["04"]}],
        "expectedVersion": version(api, "ConformityAssessmentBody", "L03"),
        "provenance": {"confidence": "FIXTURE"}}, token)

    # then
    granted = {a["number"]: a for a in payload["conformityAssessmentBody"]["accreditations"]}
    assert set(granted) == {"A2LA-T-L03", "ZZ-A2LA-T-L03-2"}
    new = granted["ZZ-A2LA-T-L03-2"]
    assert (new["accreditationBody"]["code"], new["activity"], new["validFrom"], new["validTo"]) == (
        "A2LA", "TESTING", "2024-07-01", "2026-06-30")
    assert [s["identifier"] for s in new["scope"]] == ["ISO 11290-1", "ISO 6579-1"]
    [record] = assert_applied(api, payload, before, token, who[0], "L03")
    assert (record["facet"], record["action"], decoded(record, "before")) == (
        "accreditation A2LA/ZZ-A2LA-T-L03-2", "CREATE", None)
    decision = s05(api)
    assert (decision["outcome"], decision["registryVersion"]) == ("RECOGNISED", before + 1)


L02_COFRAC = {"cab": "L02", "accreditationBody": "COFRAC", "number": "COFRAC-T-L02"}
COFRAC = (Role.ACCREDITATION_BODY, "COFRAC")


def l02_accreditation(payload: dict) -> dict:
    [accreditation] = payload["conformityAssessmentBody"]["accreditations"]
    return accreditation


@pytest.mark.parametrize("who", [ADMIN, COFRAC], ids=["administrator", "owner"])
def test_accreditation_suspend_suspends_it(api, who):
    token = writer(api, who)
    before = registry_version(api)

    payload = mutate(api, "accreditationSuspend", L02_COFRAC | {
        "validFrom": "2025-08-01", "validTo": "2025-12-31", "note": "surveillance findings (invented)",
        "expectedVersion": version(api, "ConformityAssessmentBody", "L02")}, token)

    assert l02_accreditation(payload)["suspensions"] == [
        {"validFrom": "2025-08-01", "validTo": "2025-12-31", "note": "surveillance findings (invented)"}]
    [record] = assert_applied(api, payload, before, token, who[0], "L02")
    assert record["facet"] == "accreditation COFRAC/COFRAC-T-L02"
    assert decoded(record, "before").get("suspensions") in (None, [])
    assert decoded(record, "after")["suspensions"][0]["from"] == "2025-08-01"
    decision = s03(api)
    assert (decision["outcome"], decision["reason"], decision["registryVersion"]) == (
        "RETEST_REQUIRED", "CAB_ACCREDITATION_NOT_ACTIVE", before + 1)


@pytest.mark.parametrize("who", [ADMIN, (Role.ACCREDITATION_BODY, "A2LA")], ids=["administrator", "owner"])
def test_accreditation_extend_moves_its_last_day(api, who):
    token = writer(api, who)
    before = registry_version(api)

    payload = mutate(api, "accreditationExtend", {
        "cab": "L03", "accreditationBody": "A2LA", "number": "A2LA-T-L03", "validTo": "2026-06-30",
        "expectedVersion": version(api, "ConformityAssessmentBody", "L03")}, token)

    [accreditation] = payload["conformityAssessmentBody"]["accreditations"]
    assert (accreditation["validFrom"], accreditation["validTo"]) == ("2019-01-01", "2026-06-30")
    [record] = assert_applied(api, payload, before, token, who[0], "L03")
    assert (decoded(record, "before")["to"], decoded(record, "after")["to"]) == ("2024-06-30", "2026-06-30")
    decision = s05(api)
    assert (decision["outcome"], decision["registryVersion"]) == ("RECOGNISED", before + 1)


@pytest.mark.parametrize("who", [ADMIN, COFRAC], ids=["administrator", "owner"])
def test_accreditation_withdraw_ends_it_from_a_day(api, who):
    token = writer(api, who)
    before = registry_version(api)

    payload = mutate(api, "accreditationWithdraw", L02_COFRAC | {
        "withdrawnOn": "2025-08-01", "expectedVersion": version(api, "ConformityAssessmentBody", "L02")}, token)

    assert l02_accreditation(payload)["withdrawnOn"] == "2025-08-01"
    [record] = assert_applied(api, payload, before, token, who[0], "L02")
    assert decoded(record, "after")["withdrawnOn"] == "2025-08-01"
    decision = s03(api)
    assert (decision["outcome"], decision["reason"], decision["registryVersion"]) == (
        "RETEST_REQUIRED", "CAB_ACCREDITATION_NOT_ACTIVE", before + 1)


@pytest.mark.parametrize("who", [ADMIN, COFRAC], ids=["administrator", "owner"])
def test_accreditation_scope_set_replaces_the_scope(api, who):
    token = writer(api, who)
    before = registry_version(api)

    # when: ISO 14501 (aflatoxin M1), which the JP policy requires, leaves L02's scope
    payload = mutate(api, "accreditationScopeSet", L02_COFRAC | {
        "scope": [{"identifier": "ISO 11290-1", "hsPrefixes": ["04"]},
                  {"identifier": "ISO 6579-1", "hsPrefixes": ["04"], "excludedHsPrefixes": ["0401"]}],
        "expectedVersion": version(api, "ConformityAssessmentBody", "L02")}, token)

    assert l02_accreditation(payload)["scope"] == [
        {"identifier": "ISO 11290-1", "hsPrefixes": ["04"]}, {"identifier": "ISO 6579-1", "hsPrefixes": ["04"]}]
    [record] = assert_applied(api, payload, before, token, who[0], "L02")
    assert len(decoded(record, "before")["scope"]) == 5
    assert len(decoded(record, "after")["scope"]) == 2
    decision = s03(api)
    assert (decision["outcome"], decision["reason"], decision["registryVersion"]) == (
        "RETEST_REQUIRED", "OUT_OF_SCOPE", before + 1)


# -- designations ---------------------------------------------------------------------------------------------
L04_TEL = {"cab": "L04", "arrangement": "EU_US_MRA", "sector": "EU-US-TEL", "forParty": "US"}
EU_AUTHORITY = (Role.DESIGNATING_AUTHORITY, "EU")


def l04_tel(payload: dict) -> list[tuple]:
    return [(d["validFrom"], d["validTo"]) for d in payload["conformityAssessmentBody"]["designations"]
            if d["sector"]["code"] == "EU-US-TEL" and d["forParty"] == "US"]


@pytest.mark.parametrize("who", [ADMIN, EU_AUTHORITY], ids=["administrator", "owner"])
def test_designation_end_ends_it_and_s15_changes(api, who):
    # given: S15 is recognised through L04's EU-US telecom designation
    token = writer(api, who)
    before = registry_version(api)
    assert s15(api)["outcome"] == "RECOGNISED"

    # when: the designation ends on 2026-03-31, before the report of 2026-05-01
    payload = mutate(api, "designationEnd", L04_TEL | {
        "validTo": "2026-03-31", "expectedVersion": version(api, "ConformityAssessmentBody", "L04")}, token)

    # then
    assert l04_tel(payload) == [("2018-01-01", "2026-03-31")]
    [record] = assert_applied(api, payload, before, token, who[0], "L04")
    assert record["facet"] == "designations EU_US_MRA/EU-US-TEL/US"
    decision = s15(api)
    assert (decision["outcome"], decision["reason"], decision["registryVersion"]) == (
        "RETEST_REQUIRED", "CAB_NOT_DESIGNATED", before + 1)


@pytest.mark.parametrize("who", [ADMIN, EU_AUTHORITY], ids=["administrator", "owner"])
def test_designation_create_designates_again(api, who):
    # given: L04's telecom designation ended on 2026-03-31
    admin = writer(api, ADMIN)
    ended = mutate(api, "designationEnd", L04_TEL | {
        "validTo": "2026-03-31", "expectedVersion": version(api, "ConformityAssessmentBody", "L04")}, admin)
    assert ended["errors"] == []
    token = writer(api, who)
    before = registry_version(api)

    # when: designated again from 2026-04-15
    payload = mutate(api, "designationCreate", L04_TEL | {
        "validFrom": "2026-04-15", "attestationTypes": ["TESTING"],
        "expectedVersion": version(api, "ConformityAssessmentBody", "L04")}, token)

    # then
    assert l04_tel(payload) == [("2018-01-01", "2026-03-31"), ("2026-04-15", None)]
    assert_applied(api, payload, before, token, who[0], "L04")
    decision = s15(api)
    assert (decision["outcome"], decision["route"]["sector"]["code"], decision["registryVersion"]) == (
        "RECOGNISED", "EU-US-TEL", before + 1)


# -- import policies --------------------------------------------------------------------------------------------
JP_REGULATOR = (Role.IMPORT_REGULATOR, "JP")


@pytest.mark.parametrize("who", [ADMIN, JP_REGULATOR], ids=["administrator", "owner"])
def test_import_policy_create_adds_a_requirement(api, who):
    # given: JP has no policy for milk (0401): nothing is required
    token = writer(api, who)
    before = registry_version(api)
    milk = {"clearance_date": "2025-09-15"}
    assert clearance(api, "FR", "JP", "040110", **milk)["reason"] == "NO_REQUIREMENT"

    # when: an (invented) policy requires a test report
    payload = mutate(api, "importPolicyCreate", {
        "code": "ZZ-P-JP-0401", "importer": "JP", "name": "milk (invented)", "hsPrefixes": ["0401"],
        "requiredType": "TESTING", "requiredTests": ["ISO 11290-1"], "maxAgeDays": 90, "lotMatch": True,
        "routes": [{"kind": "ARRANGEMENT", "arrangements": ["ILAC_MRA"]}], "validFrom": "2025-01-01",
        "provenance": {"confidence": "FIXTURE"}}, token)

    # then
    policy = payload["importPolicy"]
    assert (policy["code"], policy["importer"], policy["hsPrefixes"], policy["requiredType"], policy["maxAgeDays"],
            policy["lotMatch"], policy["validFrom"], policy["version"]) == (
        "ZZ-P-JP-0401", "JP", ["0401"], "TESTING", 90, True, "2025-01-01", 1)
    assert policy["routes"] == [{"kind": "ARRANGEMENT", "arrangements": ["ILAC_MRA"]}]
    [record] = assert_applied(api, payload, before, token, who[0], "ZZ-P-JP-0401")
    assert (record["entityType"], record["action"]) == ("ImportPolicy", "CREATE")
    decision = clearance(api, "FR", "JP", "040110", **milk)
    assert (decision["outcome"], decision["reason"], decision["policy"]["code"], decision["registryVersion"]) == (
        "RETEST_REQUIRED", "NO_ATTESTATION", "ZZ-P-JP-0401", before + 1)


@pytest.mark.parametrize("who", [ADMIN, JP_REGULATOR], ids=["administrator", "owner"])
def test_import_policy_amend_max_age_makes_the_report_too_old(api, who):
    # given: S03's report is 36 days old; the JP policy accepts 180
    token = writer(api, who)
    before = registry_version(api)
    expected = version(api, "ImportPolicy", "P-JP-0406")

    # when
    payload = mutate(api, "importPolicyAmend", {
        "code": "P-JP-0406", "expectedVersion": expected, "maxAgeDays": 10, "message": "stricter"}, token)

    # then: only the age limit changed
    policy = payload["importPolicy"]
    assert (policy["maxAgeDays"], policy["requiredTests"], policy["lotMatch"], policy["version"]) == (
        10, ["ISO 11290-1", "ISO 6579-1", "ISO 14501"], True, expected + 1)
    [record] = assert_applied(api, payload, before, token, who[0], "P-JP-0406", message="stricter")
    assert (decoded(record, "before")["maxAgeDays"], decoded(record, "after")["maxAgeDays"]) == (180, 10)
    decision = s03(api)
    assert (decision["outcome"], decision["reason"], decision["policy"]["maxAgeDays"], decision["registryVersion"]) == (
        "RETEST_REQUIRED", "REPORT_TOO_OLD", 10, before + 1)


def test_import_policy_amend_with_null_max_age_lifts_the_limit(api):
    token = writer(api, ADMIN)
    mutate(api, "importPolicyAmend", {"code": "P-JP-0406", "maxAgeDays": 10,
                                      "expectedVersion": version(api, "ImportPolicy", "P-JP-0406")}, token)
    assert s03(api)["reason"] == "REPORT_TOO_OLD"

    payload = mutate(api, "importPolicyAmend", {"code": "P-JP-0406", "maxAgeDays": None,
                                                "expectedVersion": version(api, "ImportPolicy", "P-JP-0406")}, token)

    assert payload["importPolicy"]["maxAgeDays"] is None
    assert s03(api)["outcome"] == "RECOGNISED"


# -- registry documents -------------------------------------------------------------------------------------
def test_registry_document_load_applies_a_document_and_decisions_follow(api):
    # given: the JP cheese policy as the fixtures state it, with a 10-day age limit instead of 180
    token = writer(api, ADMIN)
    before = registry_version(api)
    policy = fixture_entity("importPolicies", "P-JP-0406") | {"maxAgeDays": 10}

    # when
    payload = mutate(api, "registryDocumentLoad", {"document": json.dumps(document(importPolicies=[policy])),
                                                   "message": "bulk update"}, token)

    # then
    assert (payload["changed"], payload["changes"]) == (True, 1)
    [record] = assert_applied(api, payload, before, token, Role.ADMINISTRATOR, "P-JP-0406", message="bulk update")
    assert decoded(record, "after")["maxAgeDays"] == 10
    assert version(api, "ImportPolicy", "P-JP-0406") == 2
    assert s03(api)["reason"] == "REPORT_TOO_OLD"


def test_registry_document_load_of_what_the_registry_holds_changes_nothing(api):
    token = writer(api, ADMIN)
    before = registry_version(api)
    policy = fixture_entity("importPolicies", "P-JP-0406")

    payload = mutate(api, "registryDocumentLoad", {"document": json.dumps(document(importPolicies=[policy]))}, token)

    assert payload["errors"] == []
    assert (payload["changed"], payload["changes"], payload["registryVersion"]) == (False, 0, before)
    assert registry_version(api) == before


def test_registry_document_load_takes_a_json_object_too(api):
    # the `document` argument is a JSONString: a JSON text whose value is the document object
    token = writer(api, ADMIN)
    body = {"code": "ZZ-AB2", "name": "Invented body", "economy": "NZ", "confidence": "fixture"}
    payload = mutate(api, "registryDocumentLoad",
                     {"document": json.dumps(document(accreditationBodies=[body]))}, token)
    assert payload["errors"] == []
    assert api('{ accreditationBody(code: "ZZ-AB2") { economy { code } } }').data == {
        "accreditationBody": {"economy": {"code": "NZ"}}}


# -- the change log is read-only ------------------------------------------------------------------------------
def test_no_mutation_edits_or_deletes_the_change_log():
    from mra_registry.api.schema import schema

    names = set(schema.graphql_schema.mutation_type.fields)
    assert not {n for n in names if "change" in n.lower() or "delete" in n.lower() or "token" in n.lower()}


def test_mutations_of_one_request_run_in_order_each_reading_what_the_previous_wrote(api):
    # two updates of COFRAC in one document: the second expects the version the first leaves
    token = writer(api, ADMIN)
    result = api("""mutation {
      first: accreditationBodyUpdate(input: {code: "COFRAC", name: "first", expectedVersion: 1}) {
        errors { code } registryVersion accreditationBody { name version } }
      second: accreditationBodyUpdate(input: {code: "COFRAC", name: "second", expectedVersion: 2}) {
        errors { code } registryVersion accreditationBody { name version } }
      stale: accreditationBodyUpdate(input: {code: "COFRAC", name: "stale", expectedVersion: 2}) {
        errors { code } registryVersion }
    }""", token=token)
    assert not result.errors, result.errors
    assert result.data["first"] == {"errors": [], "registryVersion": 2,
                                    "accreditationBody": {"name": "first", "version": 2}}
    assert result.data["second"] == {"errors": [], "registryVersion": 3,
                                     "accreditationBody": {"name": "second", "version": 3}}
    assert result.data["stale"] == {"errors": [{"code": "STALE_OBJECT"}], "registryVersion": None}


def test_a_status_with_the_longest_key_is_recorded(api):
    # given: an (invented) accreditation arrangement whose code is as long as codes go
    token = writer(api, ADMIN)
    code = "ZZ_" + "A" * 61
    loaded = mutate(api, "registryDocumentLoad", {"document": json.dumps(document(arrangements=[{
        "code": code, "name": "Invented arrangement", "kind": "ACCREDITATION_GLOBAL",
        "activities": ["GHG_VALIDATION_VERIFICATION"], "confidence": "fixture"}]))}, token)
    assert loaded["errors"] == []

    # when: a status for the longest activity and a standard of 100 characters (its change label runs long)
    payload = mutate(api, "signatoryStatusRecord", {
        "accreditationBody": "COFRAC", "arrangement": code, "activity": "GHG_VALIDATION_VERIFICATION",
        "standard": "S" * 100, "status": "SIGNATORY", "validFrom": "2025-01-01",
        "expectedVersion": version(api, "AccreditationBody", "COFRAC")}, token)

    # then
    assert payload["errors"] == []
    [record] = [c for c in changes(api, "COFRAC") if c["version"] == payload["registryVersion"]]
    assert record["facet"].startswith(f"statuses {code}/GHG_VALIDATION_VERIFICATION/S")
    assert decoded(record, "after")[0]["standard"] == "S" * 100


def test_the_longest_request_id_the_http_layer_accepts_is_kept_with_the_change(api):
    # the HTTP layer takes a client's X-Request-ID of up to 128 characters (web/middleware.py)
    token = writer(api, ADMIN)
    request_id = "r" * 128
    result = api('mutation { accreditationBodyUpdate(input: {code: "COFRAC", name: "renamed", expectedVersion: 1}) '
                 '{ errors { code } registryVersion } }', token=token, request_id=request_id)
    assert not result.errors, result.errors
    assert result.data["accreditationBodyUpdate"] == {"errors": [], "registryVersion": 2}
    [record] = [c for c in changes(api, "COFRAC") if c["version"] == 2]
    assert record["requestId"] == request_id
