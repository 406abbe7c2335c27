"""Every mutation error code is reached, and a refused write changes nothing: the registry version, the
whole registry (its canonical export) and the change log are exactly as they were.

Each case names the code, the mutation, its input and who sends it; some first make a write of their own (the
"given"), and "nothing changed" is measured after it. Codes starting with ZZ- are invented."""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session

from mra_registry.api.errors import MutationErrorCodeValues
from mra_registry.store.database import make_engine
from mra_registry.store.tokens import Role, revoke_token

from .support import (
    changes,
    document,
    error_codes,
    export,
    fixture_entity,
    mutate,
    registry_version,
    version,
)

ADMIN = "admin"  # who sends a case: a role name below, "none", or a raw Authorization header


@dataclass
class Case:
    id: str
    code: str
    mutation: str
    data: Callable[[Any], dict] | dict
    who: str = ADMIN
    given: Callable[[Any, str], None] | None = None
    field: str | None = "-"  # "-": not checked

    def input(self, api) -> dict:
        return self.data(api) if callable(self.data) else self.data


def v(kind: str, code: str) -> Callable[[Any], int]:
    return lambda api: version(api, kind, code)


def with_version(kind: str, code: str, data: dict) -> Callable[[Any], dict]:
    return lambda api: data | {"expectedVersion": version(api, kind, code)}


COFRAC_TESTING = {"accreditationBody": "COFRAC", "arrangement": "ILAC_MRA", "activity": "TESTING"}
L02_COFRAC = {"cab": "L02", "accreditationBody": "COFRAC", "number": "COFRAC-T-L02"}
L04_TEL = {"cab": "L04", "arrangement": "EU_US_MRA", "sector": "EU-US-TEL", "forParty": "US"}
POLICY = {"code": "ZZ-P-JP-0401", "importer": "JP", "hsPrefixes": ["0401"], "requiredType": "TESTING"}


def doc(**entities) -> dict:
    return {"document": json.dumps(document(**entities))}


def suspend_l02_in_august(api, token):
    payload = mutate(api, "accreditationSuspend", L02_COFRAC | {
        "validFrom": "2025-08-01", "validTo": "2025-08-31",
        "expectedVersion": version(api, "ConformityAssessmentBody", "L02")}, token)
    assert payload["errors"] == []


def end_l04_tel(api, token):
    payload = mutate(api, "designationEnd", L04_TEL | {
        "validTo": "2026-03-31", "expectedVersion": version(api, "ConformityAssessmentBody", "L04")}, token)
    assert payload["errors"] == []


def redesignate_l04_tel(api, token):
    end_l04_tel(api, token)
    payload = mutate(api, "designationCreate", L04_TEL | {
        "validFrom": "2026-06-01", "expectedVersion": version(api, "ConformityAssessmentBody", "L04")}, token)
    assert payload["errors"] == []


def grant_l02_open_ended(api, token):
    payload = mutate(api, "accreditationGrant", L02_COFRAC | {
        "number": "ZZ-OPEN", "activity": "CALIBRATION", "validFrom": "2025-01-01",
        "expectedVersion": version(api, "ConformityAssessmentBody", "L02")}, token)
    assert payload["errors"] == []


def withdraw_l02(api, token):
    payload = mutate(api, "accreditationWithdraw", L02_COFRAC | {
        "withdrawnOn": "2026-01-01", "expectedVersion": version(api, "ConformityAssessmentBody", "L02")}, token)
    assert payload["errors"] == []


def rename_cofrac(api, token):
    payload = mutate(api, "accreditationBodyUpdate", {
        "code": "COFRAC", "name": "someone else's change", "expectedVersion": 1}, token)
    assert payload["errors"] == []


def amend_jp_policy(api, token):
    payload = mutate(api, "importPolicyAmend", {"code": "P-JP-0406", "maxAgeDays": 100, "expectedVersion": 1}, token)
    assert payload["errors"] == []


CASES = [
    # -- NOT_FOUND: the object to change does not exist ----------------------------------------------------
    Case("update-unknown-body", "NOT_FOUND", "accreditationBodyUpdate",
         {"code": "ZZ-NOPE", "name": "x", "expectedVersion": 1}, field="input.code"),
    Case("update-unknown-cab", "NOT_FOUND", "conformityAssessmentBodyUpdate",
         {"code": "ZZ-NOPE", "name": "x", "expectedVersion": 1}, field="input.code"),
    Case("status-of-unknown-body", "NOT_FOUND", "signatoryStatusSuspend",
         COFRAC_TESTING | {"accreditationBody": "ZZ-NOPE", "validFrom": "2025-08-01", "expectedVersion": 1},
         field="input.accreditationBody"),
    Case("grant-to-unknown-cab", "NOT_FOUND", "accreditationGrant",
         {"cab": "ZZ-NOPE", "accreditationBody": "COFRAC", "number": "N", "activity": "TESTING",
          "validFrom": "2025-01-01", "expectedVersion": 1}, field="input.cab"),
    Case("suspend-unknown-accreditation", "NOT_FOUND", "accreditationSuspend",
         with_version("ConformityAssessmentBody", "L02", L02_COFRAC | {"number": "ZZ-NOPE", "validFrom": "2025-08-01"}),
         field="input.number"),
    Case("extend-unknown-accreditation", "NOT_FOUND", "accreditationExtend",
         with_version("ConformityAssessmentBody", "L02", L02_COFRAC | {"number": "ZZ-NOPE", "validTo": "2030-01-01"})),
    Case("withdraw-unknown-accreditation", "NOT_FOUND", "accreditationWithdraw",
         with_version("ConformityAssessmentBody", "L02", L02_COFRAC | {"number": "ZZ-NOPE", "withdrawnOn": "2026-01-01"})),
    Case("scope-of-unknown-accreditation", "NOT_FOUND", "accreditationScopeSet",
         with_version("ConformityAssessmentBody", "L02", L02_COFRAC | {"number": "ZZ-NOPE", "scope": []})),
    Case("designate-unknown-cab", "NOT_FOUND", "designationCreate",
         L04_TEL | {"cab": "ZZ-NOPE", "validFrom": "2026-01-01", "expectedVersion": 1}, field="input.cab"),
    Case("end-no-designation", "NOT_FOUND", "designationEnd",
         with_version("ConformityAssessmentBody", "L02", L04_TEL | {"cab": "L02", "validTo": "2026-03-31"}),
         field="input.validTo"),
    Case("amend-unknown-policy", "NOT_FOUND", "importPolicyAmend",
         {"code": "ZZ-NOPE", "maxAgeDays": 1, "expectedVersion": 1}, field="input.code"),
    # -- ALREADY_EXISTS ---------------------------------------------------------------------------------------
    Case("create-existing-body", "ALREADY_EXISTS", "accreditationBodyCreate",
         {"code": "COFRAC", "name": "again"}, field="input.code"),
    Case("create-existing-cab", "ALREADY_EXISTS", "conformityAssessmentBodyCreate",
         {"code": "L02", "name": "again", "economy": "FR", "kinds": ["LABORATORY"]}, field="input.code"),
    Case("grant-existing-number", "ALREADY_EXISTS", "accreditationGrant",
         with_version("ConformityAssessmentBody", "L02", L02_COFRAC | {"activity": "TESTING", "validFrom": "2025-01-01"}),
         field="input.number"),
    Case("create-existing-policy", "ALREADY_EXISTS", "importPolicyCreate",
         POLICY | {"code": "P-JP-0406"}, field="input.code"),
    # -- STALE_OBJECT: someone changed it since it was read (version 1) ----------------------------------------
    Case("stale-body", "STALE_OBJECT", "accreditationBodyUpdate",
         {"code": "COFRAC", "name": "mine", "expectedVersion": 1}, given=rename_cofrac, field="input.expectedVersion"),
    Case("stale-status", "STALE_OBJECT", "signatoryStatusSuspend",
         COFRAC_TESTING | {"validFrom": "2025-08-01", "expectedVersion": 1}, given=rename_cofrac),
    Case("stale-cab-grant", "STALE_OBJECT", "accreditationGrant",
         L02_COFRAC | {"number": "ZZ-N2", "activity": "TESTING", "validFrom": "2025-01-01", "expectedVersion": 1},
         given=suspend_l02_in_august),
    Case("stale-cab-update", "STALE_OBJECT", "conformityAssessmentBodyUpdate",
         {"code": "L02", "name": "mine", "expectedVersion": 1}, given=suspend_l02_in_august),
    Case("stale-designation", "STALE_OBJECT", "designationCreate",
         L04_TEL | {"validFrom": "2026-06-01", "expectedVersion": 1}, given=end_l04_tel),
    Case("stale-policy", "STALE_OBJECT", "importPolicyAmend",
         {"code": "P-JP-0406", "maxAgeDays": 10, "expectedVersion": 1}, given=amend_jp_policy,
         field="input.expectedVersion"),
    Case("version-from-the-future", "STALE_OBJECT", "accreditationBodyUpdate",
         {"code": "COFRAC", "name": "mine", "expectedVersion": 99}),
    # -- INVALID: a value the registry cannot hold ------------------------------------------------------------
    Case("blank-code", "INVALID", "accreditationBodyCreate", {"code": "  ", "name": "x"}, field="input.code"),
    Case("padded-code", "INVALID", "conformityAssessmentBodyCreate",
         {"code": " ZZ-LAB", "name": "x", "economy": "FR", "kinds": ["LABORATORY"]}, field="input.code"),
    Case("no-kinds", "INVALID", "conformityAssessmentBodyCreate",
         {"code": "ZZ-LAB", "name": "x", "economy": "FR", "kinds": []}, field="input.kinds"),
    Case("blank-scope-identifier", "INVALID", "accreditationScopeSet",
         with_version("ConformityAssessmentBody", "L02", L02_COFRAC | {"scope": [{"identifier": " "}]}),
         field="input.scope[0].identifier"),
    Case("policy-without-products", "INVALID", "importPolicyCreate", POLICY | {"hsPrefixes": []},
         field="input.hsPrefixes"),
    Case("negative-age-limit", "INVALID", "importPolicyAmend",
         with_version("ImportPolicy", "P-JP-0406", {"code": "P-JP-0406", "maxAgeDays": -1}), field="input.maxAgeDays"),
    Case("null-lot-match", "INVALID", "importPolicyAmend",
         with_version("ImportPolicy", "P-JP-0406", {"code": "P-JP-0406", "lotMatch": None}), field="input.lotMatch"),
    Case("null-required-tests", "INVALID", "importPolicyAmend",
         with_version("ImportPolicy", "P-JP-0406", {"code": "P-JP-0406", "requiredTests": None}),
         field="input.requiredTests"),
    Case("policy-without-type", "INVALID", "importPolicyCreate",
         {k: val for k, val in POLICY.items() if k != "requiredType"}, field="input.requiredType"),
    Case("blank-name", "INVALID", "accreditationBodyCreate", {"code": "ZZ-AB", "name": "  "}, field="input.name"),
    Case("blank-name-on-update", "INVALID", "conformityAssessmentBodyUpdate",
         with_version("ConformityAssessmentBody", "L02", {"code": "L02", "name": ""}), field="input.name"),
    # text longer than its column: refused as data on every backend (PostgreSQL would fail the statement)
    Case("overlong-name", "INVALID", "accreditationBodyUpdate",
         with_version("AccreditationBody", "COFRAC", {"code": "COFRAC", "name": "x" * 301}), field="input.name"),
    Case("overlong-accreditation-number", "INVALID", "accreditationGrant",
         with_version("ConformityAssessmentBody", "L02", L02_COFRAC | {
             "number": "N" * 101, "activity": "TESTING", "validFrom": "2025-01-01"}), field="input.number"),
    Case("overlong-standard", "INVALID", "signatoryStatusRecord",
         with_version("AccreditationBody", "COFRAC", COFRAC_TESTING | {
             "standard": "S" * 101, "status": "SIGNATORY", "validFrom": "2025-08-01"}), field="input.standard"),
    Case("overlong-region", "INVALID", "accreditationBodyCreate",
         {"code": "ZZ-AB", "name": "x", "region": "R" * 33}, field="input.region"),
    Case("document-with-an-overlong-name", "INVALID", "registryDocumentLoad",
         doc(importPolicies=[fixture_entity("importPolicies", "P-JP-0406") | {"name": "x" * 100_000}]),
         field="input.document.importPolicies[0].name"),
    Case("document-with-unknown-field", "INVALID", "registryDocumentLoad", doc(bogus=[])),
    Case("document-not-an-object", "INVALID", "registryDocumentLoad", {"document": "[1, 2]"}),
    # -- INVALID_DATE_RANGE -----------------------------------------------------------------------------------
    Case("status-ends-before-it-starts", "INVALID_DATE_RANGE", "signatoryStatusSuspend",
         with_version("AccreditationBody", "COFRAC", COFRAC_TESTING | {"validFrom": "2025-08-01", "validTo": "2025-07-01"}),
         field="input.validTo"),
    Case("accreditation-ends-before-it-starts", "INVALID_DATE_RANGE", "accreditationGrant",
         with_version("ConformityAssessmentBody", "L02", L02_COFRAC | {
             "number": "ZZ-N2", "activity": "TESTING", "validFrom": "2025-01-01", "validTo": "2024-01-01"}),
         field="input.validTo"),
    Case("withdrawn-before-granted", "INVALID_DATE_RANGE", "accreditationWithdraw",
         with_version("ConformityAssessmentBody", "L02", L02_COFRAC | {"withdrawnOn": "2018-01-01"}),
         field="input.withdrawnOn"),
    Case("suspension-ends-before-it-starts", "INVALID_DATE_RANGE", "accreditationSuspend",
         with_version("ConformityAssessmentBody", "L02", L02_COFRAC | {"validFrom": "2025-08-01", "validTo": "2025-07-01"})),
    Case("designation-ends-before-it-starts", "INVALID_DATE_RANGE", "designationCreate",
         with_version("ConformityAssessmentBody", "L19", L04_TEL | {"cab": "L19", "validFrom": "2026-01-01",
                                                                  "validTo": "2025-01-01"}), field="input.validTo"),
    Case("policy-ends-before-it-starts", "INVALID_DATE_RANGE", "importPolicyCreate",
         POLICY | {"validFrom": "2026-01-01", "validTo": "2025-01-01"}, field="input.validTo"),
    # -- OVERLAPPING_INTERVAL ---------------------------------------------------------------------------------
    Case("overlapping-suspension", "OVERLAPPING_INTERVAL", "accreditationSuspend",
         with_version("ConformityAssessmentBody", "L02", L02_COFRAC | {"validFrom": "2025-08-15", "validTo": "2025-09-15"}),
         given=suspend_l02_in_august),
    Case("overlapping-designation", "OVERLAPPING_INTERVAL", "designationCreate",
         with_version("ConformityAssessmentBody", "L04", L04_TEL | {"validFrom": "2026-01-01"}),
         field="input.validFrom"),
    # -- FIXTURE_OVERWRITE -------------------------------------------------------------------------------------
    Case("fixture-over-a-confirmed-body", "FIXTURE_OVERWRITE", "registryDocumentLoad",
         doc(accreditationBodies=[{"code": "IANZ", "name": "Invented name", "economy": "NZ", "confidence": "fixture"}])),
    Case("fixture-declaration-over-a-confirmed-one", "FIXTURE_OVERWRITE", "completenessDeclarationRecord",
         with_version("CompletenessDeclaration", "ZZ-DECL", {"code": "ZZ-DECL", "kind": "CABS",
                                                             "provenance": {"confidence": "FIXTURE"}}),
         given=lambda api, token: mutate(api, "completenessDeclarationRecord", {
             "code": "ZZ-DECL", "kind": "CABS", "provenance": {"confidence": "CONFIRMED"}}, token, selection="")),
    # -- UNKNOWN_ECONOMY --------------------------------------------------------------------------------------
    Case("policy-of-unknown-importer", "UNKNOWN_ECONOMY", "importPolicyCreate", POLICY | {"importer": "XX"},
         field="input.importer"),
    Case("document-with-unknown-economy", "UNKNOWN_ECONOMY", "registryDocumentLoad",
         doc(accreditationBodies=[{"code": "ZZ-AB", "name": "x", "economy": "XX"}])),
    # -- UNKNOWN_REFERENCE ------------------------------------------------------------------------------------
    Case("grant-by-unknown-body", "UNKNOWN_REFERENCE", "accreditationGrant",
         with_version("ConformityAssessmentBody", "L02", L02_COFRAC | {
             "accreditationBody": "ZZ-NOPE", "number": "N", "activity": "TESTING", "validFrom": "2025-01-01"}),
         field="input.accreditationBody"),
    Case("status-in-unknown-arrangement", "UNKNOWN_REFERENCE", "signatoryStatusRecord",
         with_version("AccreditationBody", "COFRAC", COFRAC_TESTING | {
             "arrangement": "ZZ-NOPE", "status": "SIGNATORY", "validFrom": "2025-08-01"}), field="input.arrangement"),
    Case("designation-in-unknown-sector", "UNKNOWN_REFERENCE", "designationCreate",
         with_version("ConformityAssessmentBody", "L19", L04_TEL | {"cab": "L19", "sector": "ZZ-NOPE",
                                                                  "validFrom": "2026-01-01"}), field="input.sector"),
    Case("designation-for-a-non-party", "UNKNOWN_REFERENCE", "designationCreate",
         with_version("ConformityAssessmentBody", "L19", L04_TEL | {"cab": "L19", "forParty": "JP",
                                                                  "validFrom": "2026-01-01"}), field="input.forParty"),
    Case("route-through-unknown-arrangement", "UNKNOWN_REFERENCE", "importPolicyCreate",
         POLICY | {"routes": [{"kind": "ARRANGEMENT", "arrangements": ["ZZ-NOPE"]}]}),
    # -- DUPLICATE_CODE: only a document can say the same code twice ------------------------------------------
    Case("document-with-a-code-twice", "DUPLICATE_CODE", "registryDocumentLoad",
         doc(accreditationBodies=[{"code": "ZZ-AB", "name": "a"}, {"code": "ZZ-AB", "name": "b"}])),
    # -- INCONSISTENT -----------------------------------------------------------------------------------------
    Case("status-in-a-government-arrangement", "INCONSISTENT", "signatoryStatusRecord",
         with_version("AccreditationBody", "COFRAC", COFRAC_TESTING | {
             "arrangement": "EU_US_MRA", "status": "SIGNATORY", "validFrom": "2025-08-01"}), field="input.arrangement"),
    Case("designation-in-an-accreditation-arrangement", "INCONSISTENT", "designationCreate",
         with_version("ConformityAssessmentBody", "L19", L04_TEL | {"cab": "L19", "arrangement": "ILAC_MRA",
                                                                  "validFrom": "2026-01-01"})),
    Case("arrangement-route-naming-none", "INCONSISTENT", "importPolicyCreate",
         POLICY | {"routes": [{"kind": "ARRANGEMENT", "arrangements": []}]}),
    # -- ACTIVITY_NOT_COVERED: an arrangement that lists its activities takes statuses for those only ---------
    Case("status-for-an-activity-not-covered", "ACTIVITY_NOT_COVERED", "signatoryStatusRecord",
         with_version("AccreditationBody", "COFRAC", COFRAC_TESTING | {
             "arrangement": "ZZ_TESTING_MRA", "activity": "CALIBRATION", "status": "SIGNATORY",
             "validFrom": "2025-08-01"}), field="input.activity",
         given=lambda api, token: mutate(api, "registryDocumentLoad", {"document": json.dumps(document(arrangements=[{
             "code": "ZZ_TESTING_MRA", "name": "Invented", "kind": "ACCREDITATION_GLOBAL", "activities": ["TESTING"],
             "confidence": "fixture"}]))}, token, selection="")),
    # -- INVALID_TRANSITION -----------------------------------------------------------------------------------
    Case("reinstate-a-signatory", "INVALID_TRANSITION", "signatoryStatusReinstate",
         with_version("AccreditationBody", "COFRAC", COFRAC_TESTING | {"validFrom": "2025-08-01"}),
         field="input.validFrom"),
    Case("suspend-a-withdrawn-body", "INVALID_TRANSITION", "signatoryStatusSuspend",
         with_version("AccreditationBody", "A2LA", {"accreditationBody": "A2LA", "arrangement": "IAAC_MLA",
                                                   "activity": "TESTING", "validFrom": "2024-01-01"})),
    Case("extend-an-open-ended-accreditation", "INVALID_TRANSITION", "accreditationExtend",
         with_version("ConformityAssessmentBody", "L02", L02_COFRAC | {"number": "ZZ-OPEN", "validTo": "2030-01-01"}),
         given=grant_l02_open_ended, field="input.validTo"),
    Case("extend-to-an-earlier-day", "INVALID_TRANSITION", "accreditationExtend",
         with_version("ConformityAssessmentBody", "L02", L02_COFRAC | {"validTo": "2027-01-01"}),
         field="input.validTo"),
    Case("withdraw-twice", "INVALID_TRANSITION", "accreditationWithdraw",
         with_version("ConformityAssessmentBody", "L02", L02_COFRAC | {"withdrawnOn": "2026-02-01"}),
         given=withdraw_l02, field="input.withdrawnOn"),
    Case("end-an-ended-designation", "INVALID_TRANSITION", "designationEnd",
         with_version("ConformityAssessmentBody", "L04", L04_TEL | {"validTo": "2026-03-31"}), given=end_l04_tel),
    # -- OUT_OF_ORDER -----------------------------------------------------------------------------------------
    Case("status-event-inside-history", "OUT_OF_ORDER", "signatoryStatusSuspend",
         with_version("AccreditationBody", "KCA", {"accreditationBody": "KCA", "arrangement": "ILAC_MRA",
                                                  "activity": "TESTING", "validFrom": "2018-05-01"}),
         field="input.validFrom"),
    Case("end-before-a-later-designation", "OUT_OF_ORDER", "designationEnd",
         with_version("ConformityAssessmentBody", "L04", L04_TEL | {"validTo": "2026-02-28"}),
         given=redesignate_l04_tel),
    # -- authentication and authorization ---------------------------------------------------------------------
    Case("no-token", "UNAUTHENTICATED", "accreditationBodyUpdate",
         {"code": "COFRAC", "name": "x", "expectedVersion": 1}, who="none", field=None),
    Case("not-bearer", "UNAUTHENTICATED", "accreditationBodyUpdate",
         {"code": "COFRAC", "name": "x", "expectedVersion": 1}, who="Basic YWRtaW46YWRtaW4="),
    Case("empty-bearer", "UNAUTHENTICATED", "accreditationBodyUpdate",
         {"code": "COFRAC", "name": "x", "expectedVersion": 1}, who="Bearer   "),
    Case("no-token-for-unknown-object", "UNAUTHENTICATED", "accreditationBodyUpdate",
         {"code": "ZZ-NOPE", "name": "x", "expectedVersion": 1}, who="none"),
    Case("malformed-token", "INVALID_TOKEN", "accreditationBodyUpdate",
         {"code": "COFRAC", "name": "x", "expectedVersion": 1}, who="Bearer not-a-token", field=None),
    Case("unknown-token", "INVALID_TOKEN", "accreditationBodyUpdate",
         {"code": "COFRAC", "name": "x", "expectedVersion": 1}, who="Bearer mra_0123456789abcdef_secret"),
    Case("wrong-secret", "INVALID_TOKEN", "accreditationBodyUpdate",
         {"code": "COFRAC", "name": "x", "expectedVersion": 1}, who="wrong-secret"),
    Case("expired-token", "TOKEN_EXPIRED", "accreditationBodyUpdate",
         {"code": "COFRAC", "name": "x", "expectedVersion": 1}, who="expired", field=None),
    Case("revoked-token", "TOKEN_REVOKED", "accreditationBodyUpdate",
         {"code": "COFRAC", "name": "x", "expectedVersion": 1}, who="revoked", field=None),
    Case("another-bodys-record", "FORBIDDEN", "accreditationBodyUpdate",
         {"code": "COFRAC", "name": "x", "expectedVersion": 1}, who="dakks", field=None),
    Case("load-without-administrator", "FORBIDDEN", "registryDocumentLoad",
         doc(accreditationBodies=[{"code": "ZZ-AB", "name": "x"}]), who="dakks"),
    # -- document loads ---------------------------------------------------------------------------------------
    Case("document-not-json", "MALFORMED_JSON", "registryDocumentLoad", {"document": json.dumps("{not json")},
         field="input.document"),
    Case("document-with-impossible-date", "INVALID_DATE", "registryDocumentLoad",
         doc(accreditationBodies=[{"code": "ZZ-AB", "name": "x", "statuses": [
             {"arrangement": "ILAC_MRA", "activity": "TESTING", "status": "SIGNATORY", "from": "2021-02-30"}]}]),
         field="input.document.accreditationBodies[0].statuses[0].from"),
]


def authorization_for(api, who: str) -> tuple[str | None, str | None]:
    """(token, raw Authorization header) for a case's sender."""
    if who == ADMIN:
        return api.token(Role.ADMINISTRATOR), None
    if who == "dakks":
        return api.token(Role.ACCREDITATION_BODY, "DAkkS"), None
    if who == "expired":
        return api.token(Role.ADMINISTRATOR, expires_on=date.today() - timedelta(days=2)), None
    if who == "revoked":
        token = api.token(Role.ADMINISTRATOR)
        with Session(api.services.engine) as session, session.begin():
            assert revoke_token(session, token.split("_", 2)[1])
        return token, None
    if who == "wrong-secret":
        token = api.token(Role.ADMINISTRATOR)
        return token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB"), None
    if who == "none":
        return None, None
    return None, who  # a raw header


def change_count(api) -> int:
    result = api("{ changes { totalCount } }")
    assert not result.errors, result.errors
    return result.data["changes"]["totalCount"]


def state(api) -> tuple[int, str, int]:
    return registry_version(api), export(api), change_count(api)


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.code}-{c.id}")
def test_a_refused_write_returns_its_code_and_changes_nothing(api, case):
    # given
    if case.given is not None:
        case.given(api, api.token(Role.ADMINISTRATOR))
    token, header = authorization_for(api, case.who)
    data = case.input(api)
    before = state(api)

    # when
    payload = mutate(api, case.mutation, data, token, authorization=header)

    # then
    assert error_codes(payload) == [case.code], payload["errors"]
    assert payload["registryVersion"] is None
    assert all(value is None for key, value in payload.items() if key not in ("errors", "registryVersion"))
    if case.field != "-":
        assert [e["field"] for e in payload["errors"] if e["code"] == case.code][0] == case.field
    assert all(e["message"] for e in payload["errors"])
    assert state(api) == before


def test_every_error_code_is_reached_by_a_case():
    reached = {case.code for case in CASES} | {"SERVICE_UNAVAILABLE"}  # the last one: see the test below
    assert reached == {code.value for code in MutationErrorCodeValues}


def test_the_enum_in_the_schema_is_the_set_of_codes():
    from mra_registry.api.schema import schema

    values = set(schema.graphql_schema.get_type("MutationErrorCode").values)
    assert values == {code.value for code in MutationErrorCodeValues}


def test_a_write_while_the_database_is_unreachable_is_service_unavailable_and_changes_nothing(api, tmp_path):
    # given: an administrator's token, and then the database goes away
    token = api.token(Role.ADMINISTRATOR)
    before = state(api)
    engine = api.services.engine
    unreachable = make_engine(f"sqlite:///{tmp_path / 'missing-directory' / 'registry.sqlite3'}")
    api.services.engine = unreachable
    try:
        # when
        payload = mutate(api, "accreditationBodyUpdate", {"code": "COFRAC", "name": "x", "expectedVersion": 1},
                         token, selection="")
    finally:
        api.services.engine = engine
        unreachable.dispose()

    # then
    assert error_codes(payload) == ["SERVICE_UNAVAILABLE"]
    assert state(api) == before


def test_several_problems_come_back_together(api):
    # a document with a duplicate code and an impossible date: both are reported, nothing is written
    token = api.token(Role.ADMINISTRATOR)
    before = state(api)
    payload = mutate(api, "registryDocumentLoad", doc(accreditationBodies=[
        {"code": "ZZ-AB", "name": "a"},
        {"code": "ZZ-AB", "name": "b", "statuses": [
            {"arrangement": "ILAC_MRA", "activity": "TESTING", "status": "SIGNATORY", "from": "2021-02-30"}]},
    ]), token)
    assert sorted(error_codes(payload)) == ["DUPLICATE_CODE", "INVALID_DATE"]
    assert state(api) == before


def test_a_token_is_valid_through_its_expiry_day(api):
    token = api.token(Role.ADMINISTRATOR, expires_on=date.today())
    payload = mutate(api, "accreditationBodyUpdate", {"code": "COFRAC", "name": "renamed", "expectedVersion": 1}, token)
    assert payload["errors"] == []


def test_a_stale_write_after_a_real_one_is_refused_and_the_first_stands(api):
    # given: two writers read COFRAC at version 1
    first, second = api.token(Role.ADMINISTRATOR), api.token(Role.ACCREDITATION_BODY, "COFRAC")
    read = version(api, "AccreditationBody", "COFRAC")

    # when: both write with what they read
    applied = mutate(api, "accreditationBodyUpdate", {"code": "COFRAC", "name": "first", "expectedVersion": read}, first)
    refused = mutate(api, "accreditationBodyUpdate", {"code": "COFRAC", "name": "second", "expectedVersion": read},
                     second)

    # then
    assert applied["errors"] == []
    assert error_codes(refused) == ["STALE_OBJECT"]
    assert api('{ accreditationBody(code: "COFRAC") { name version } }').data["accreditationBody"] == {
        "name": "first", "version": read + 1}
    [record] = [c for c in changes(api, "COFRAC") if c["version"] > 1]
    assert record["after"]["name"] == "first"


def test_a_document_that_replaces_a_fixture_wrongly_changes_nothing(api):
    # the whole JP policy restated with an impossible date range: refused as a whole
    token = api.token(Role.ADMINISTRATOR)
    before = state(api)
    policy = fixture_entity("importPolicies", "P-JP-0406") | {"from": "2026-01-01", "to": "2025-01-01"}
    body = {"code": "ZZ-AB", "name": "valid on its own"}
    payload = mutate(api, "registryDocumentLoad", doc(accreditationBodies=[body], importPolicies=[policy]), token)
    assert error_codes(payload) == ["INVALID_DATE_RANGE"]
    assert state(api) == before
    assert api('{ accreditationBody(code: "ZZ-AB") { code } }').data == {"accreditationBody": None}
