"""Policy model v2 over GraphQL (issue 12): SCENARIOS.md S44-S48 through `clearance(input: {attestations})`,
browsing requirements, origins, border checks, legal sources, competences and acceptance lists, and the writes
(importPolicyCreate/Amend with requirements, acceptance lists and their entries, competences), each refusal as
data with its field and code. Codes starting with ZZ- are invented for these tests."""
from __future__ import annotations

import json

import pytest

from mra_registry.store.tokens import Role
from tests.scenario_cases_requirements import CASES, case, to_clearance_input

from .support import changes, error_codes, export, mutate, registry_version, version

DECISION = """
query($input: ClearanceInput!) {
  clearance(input: $input) {
    outcome reason issueDate clearanceDate
    route { kind list { code } }
    routes { kind list { code } }
    reasons { code requirement }
    warnings { code message }
    policy { code }
  }
}
"""


def decide(api, data: dict) -> dict:
    result = api(DECISION, {"input": data})
    assert not result.errors, result.errors
    return result.data["clearance"]


@pytest.mark.parametrize("scenario", CASES, ids=lambda c: c.id)
def test_scenario_over_graphql(api, scenario):
    decision = decide(api, to_clearance_input(scenario))
    assert (decision["outcome"], decision["reason"]) == (scenario.outcome.value, scenario.reason.value)
    assert [r["kind"] for r in decision["routes"]] == [k.value for k in scenario.routes]
    assert {w["code"] for w in decision["warnings"]} == {w.value for w in scenario.warnings}
    assert (decision["policy"] or {}).get("code") == scenario.policy
    assert decision["issueDate"] == (scenario.issue_date.isoformat() if scenario.issue_date else None)


def test_s47_names_the_list_and_s44_reports_each_requirement(api):
    s47 = decide(api, to_clearance_input(case("S47")))
    assert s47["route"] == {"kind": "LIST", "list": {"code": "US-TOY-LABS"}}
    s44 = decide(api, to_clearance_input(case("S44")))
    assert [(r["code"], r["requirement"]) for r in s44["reasons"]] == [("OFFICIAL_CERTIFICATE_ROUTE", 0),
                                                                       ("ANY_ROUTE", 1)]


# -- browsing -------------------------------------------------------------------------------------------------
POLICY = """
query($code: String!) { importPolicy(code: $code) {
  code requiredType requiredTests maxAgeDays maxAgeMonths lotMatch origins
  routes { kind arrangements list { code owner } label }
  requirements { type requiredTests routes { kind arrangements list { code } } maxAgeDays maxAgeMonths lotMatch }
  borderChecks { percent note } legalSource { instrument reference url }
} }
"""


def policy(api, code: str) -> dict:
    result = api(POLICY, {"code": code})
    assert not result.errors, result.errors
    return result.data["importPolicy"]


def test_a_policy_with_two_requirements_reads_whole_and_its_flat_fields_are_the_first(api):
    found = policy(api, "P-EU-1202-EG")
    assert found["origins"] == ["EG"]
    assert found["borderChecks"]["percent"] == 30
    assert found["legalSource"] is None
    assert (found["requiredType"], found["maxAgeMonths"], found["maxAgeDays"], found["lotMatch"]) == (
        "OFFICIAL_CERTIFICATE", 4, None, True)
    assert found["requirements"] == [
        {"type": "OFFICIAL_CERTIFICATE", "requiredTests": [], "routes": [
            {"kind": "OFFICIAL_CERTIFICATE", "arrangements": [], "list": None}],
         "maxAgeDays": None, "maxAgeMonths": 4, "lotMatch": True},
        {"type": "TESTING", "requiredTests": ["AFLATOXINS-B1-TOTAL"], "routes": [
            {"kind": "ANY", "arrangements": [], "list": None}],
         "maxAgeDays": None, "maxAgeMonths": 6, "lotMatch": True},
    ]


def test_a_one_requirement_policy_reads_as_before_with_one_requirement(api):
    found = policy(api, "P-US-9503")
    assert found["routes"] == [{"kind": "LIST", "arrangements": [], "list": {"code": "US-TOY-LABS", "owner": "US"},
                                "label": "LIST[US-TOY-LABS]"}]
    assert found["origins"] == [] and found["borderChecks"] is None
    assert len(found["requirements"]) == 1 and found["requirements"][0]["type"] == "TESTING"
    assert policy(api, "P-JP-0406")["requirements"][0]["maxAgeDays"] == 180


def test_an_authoritys_competences_with_as_of(api):
    query = """query($asOf: Date) { conformityAssessmentBody(code: "AUTH-EG") { kinds
      competences(asOf: $asOf) { totalCount edges { node { kind hsPrefixes validFrom validTo confidence
      authority { code } } } } } }"""
    held = api(query, {"asOf": "2026-03-01"}).data["conformityAssessmentBody"]["competences"]
    assert held["totalCount"] == 1
    assert held["edges"][0]["node"] == {"kind": "OFFICIAL_CERTIFICATE", "hsPrefixes": ["12"], "validFrom": "2019-01-01",
                                        "validTo": None, "confidence": "FIXTURE", "authority": {"code": "AUTH-EG"}}
    assert api(query, {"asOf": "2018-12-31"}).data["conformityAssessmentBody"]["competences"]["totalCount"] == 0


def test_acceptance_lists_root_code_and_node(api):
    result = api("""{ acceptanceLists(owner: "US") { totalCount edges { node { id code owner version
      entries(asOf: "2026-02-01") { totalCount edges { node { cab { code } activity validFrom
      list { code } scope { edges { node { identifier hsPrefixes } } } } } } } } } }""")
    assert not result.errors, result.errors
    lists = result.data["acceptanceLists"]
    assert lists["totalCount"] == 1
    node = lists["edges"][0]["node"]
    assert (node["code"], node["owner"], node["version"]) == ("US-TOY-LABS", "US", 1)
    entry = node["entries"]["edges"][0]["node"]
    assert entry == {"cab": {"code": "L17"}, "activity": "TESTING", "validFrom": "2019-01-01",
                     "list": {"code": "US-TOY-LABS"},
                     "scope": {"edges": [{"node": {"identifier": "ISO 8124-1", "hsPrefixes": ["9503"]}}]}}
    by_node = api("query($id: ID!) { node(id: $id) { ... on AcceptanceList { code } } }", {"id": node["id"]})
    assert by_node.data["node"] == {"code": "US-TOY-LABS"}
    assert api('{ acceptanceList(code: "NOPE") { code } }').data["acceptanceList"] is None
    before = api('{ acceptanceList(code: "US-TOY-LABS") { entries(asOf: "2018-12-31") { totalCount } } }')
    assert before.data["acceptanceList"]["entries"]["totalCount"] == 0
    assert api('{ acceptanceLists(cab: "L23") { totalCount } }').data["acceptanceLists"]["totalCount"] == 0


# -- policy writes --------------------------------------------------------------------------------------------
GROUNDNUTS_FROM_IN = {
    "code": "ZZ-P-EU-1202-IN", "importer": "EU", "hsPrefixes": ["1202"], "origins": ["IN"],
    "requirements": [
        {"type": "OFFICIAL_CERTIFICATE", "routes": [{"kind": "OFFICIAL_CERTIFICATE"}], "maxAgeMonths": 4,
         "lotMatch": True},
        {"type": "TESTING", "requiredTests": ["AFLATOXINS-B1-TOTAL"], "routes": [{"kind": "ANY"}], "maxAgeMonths": 6,
         "lotMatch": True}],
    "borderChecks": {"percent": 50, "note": "invented"},
    "legalSource": {"instrument": "Invented Regulation 1/2026", "reference": "Annex I", "url": "https://example.org/r"},
    "provenance": {"confidence": "FIXTURE"},
}


def test_a_regulator_creates_a_policy_with_two_requirements_and_it_decides_at_once(api):
    token = api.token(Role.IMPORT_REGULATOR, "EU")
    payload = mutate(api, "importPolicyCreate", GROUNDNUTS_FROM_IN, token)
    assert payload["errors"] == []
    written = payload["importPolicy"]
    assert written["origins"] == ["IN"] and len(written["requirements"]) == 2
    assert written["legalSource"] == {"instrument": "Invented Regulation 1/2026", "reference": "Annex I",
                                      "url": "https://example.org/r"}
    # an Indian consignment with no document now needs the certificate; an Egyptian one is unchanged
    india = decide(api, {"exporter": "IN", "importer": "DE", "hsCode": "120242", "clearanceDate": "2026-03-01"})
    assert (india["outcome"], india["reason"], india["policy"]["code"]) == ("RETEST_REQUIRED", "NO_ATTESTATION",
                                                                            "ZZ-P-EU-1202-IN")
    assert decide(api, to_clearance_input(case("S44")))["outcome"] == "RECOGNISED"
    logged = changes(api, "ZZ-P-EU-1202-IN")[0]
    after = json.loads(logged["after"]) if isinstance(logged["after"], str) else logged["after"]
    assert logged["action"] == "CREATE" and after["requirements"][1]["routes"] == [{"kind": "ANY"}]


@pytest.mark.parametrize(("change", "field", "code"), [
    ({"requirements": [{"type": "OFFICIAL_CERTIFICATE", "routes": [{"kind": "ANY"}]}]},
     "input.requirements[0].routes[0]", "INCONSISTENT"),
    ({"requirements": [{"type": "TESTING", "routes": [{"kind": "ANY"}, {"kind": "ARRANGEMENT",
                                                                         "arrangements": ["ILAC_MRA"]}]}]},
     "input.requirements[0].routes[0]", "INCONSISTENT"),
    ({"requirements": [{"type": "TESTING", "routes": [{"kind": "LIST", "list": "ZZ-NO-LIST"}]}]},
     "input.requirements[0].routes[0].list", "UNKNOWN_REFERENCE"),
    ({"requirements": [{"type": "TESTING", "routes": [], "maxAgeDays": 30, "maxAgeMonths": 1}]},
     "input.requirements[0].maxAgeMonths", "INCONSISTENT"),
    ({"requiredType": "TESTING", "routes": []}, "input.requirements", "INCONSISTENT"),
    ({"requirements": []}, "input.requirements", "INVALID"),
    ({"origins": ["ZZ"]}, "input.origins[0]", "UNKNOWN_ECONOMY"),
    ({"borderChecks": {"percent": 120}}, "input.borderChecks.percent", "INVALID"),
])
def test_a_policy_the_rules_refuse_is_refused_as_data_and_nothing_changes(api, change, field, code):
    token = api.token(Role.IMPORT_REGULATOR, "EU")
    before = export(api), registry_version(api)
    payload = mutate(api, "importPolicyCreate", GROUNDNUTS_FROM_IN | change, token)
    assert [(e["field"], e["code"]) for e in payload["errors"]][:1] == [(field, code)], payload["errors"]
    assert (export(api), registry_version(api)) == before


def test_an_amendment_replaces_the_requirements_or_amends_the_first_and_lifts_border_checks(api):
    token = api.token(Role.IMPORT_REGULATOR, "EU")
    amended = mutate(api, "importPolicyAmend", {
        "code": "P-EU-1202-EG", "expectedVersion": version(api, "ImportPolicy", "P-EU-1202-EG"),
        "maxAgeMonths": 3, "borderChecks": None,
        "legalSource": {"instrument": "Invented Regulation 2/2026"}}, token)
    assert amended["errors"] == []
    found = amended["importPolicy"]
    assert [r["maxAgeMonths"] for r in found["requirements"]] == [3, 6]
    assert found["borderChecks"] is None and found["legalSource"]["instrument"] == "Invented Regulation 2/2026"
    # the certificate of S44 (2026-02-01) is 1 month old on 2026-03-01: still fresh; three months later it is not
    late = to_clearance_input(case("S44")) | {"clearanceDate": "2026-05-02"}
    assert (decide(api, late)["outcome"], decide(api, late)["reason"]) == ("RETEST_REQUIRED", "REPORT_TOO_OLD")
    replaced = mutate(api, "importPolicyAmend", {
        "code": "P-EU-1202-EG", "expectedVersion": version(api, "ImportPolicy", "P-EU-1202-EG"),
        "requirements": [{"type": "OFFICIAL_CERTIFICATE", "routes": [{"kind": "OFFICIAL_CERTIFICATE"}],
                          "maxAgeMonths": 4, "lotMatch": True}]}, token)
    assert replaced["errors"] == [] and len(replaced["importPolicy"]["requirements"]) == 1
    s45 = decide(api, to_clearance_input(case("S45")))
    assert (s45["outcome"], s45["reason"]) == ("RETEST_REQUIRED", "WRONG_ATTESTATION_TYPE")
    assert "BORDER_CHECKS" not in {w["code"] for w in s45["warnings"]}


def test_a_stale_policy_amendment_is_refused(api):
    payload = mutate(api, "importPolicyAmend", {"code": "P-EU-1202-EG", "expectedVersion": 99, "maxAgeMonths": 3},
                     api.token(Role.IMPORT_REGULATOR, "EU"))
    assert error_codes(payload) == ["STALE_OBJECT"]


# -- acceptance lists -----------------------------------------------------------------------------------------
def test_putting_a_lab_on_the_list_recognises_it_and_ending_the_entry_stops_it(api):
    token = api.token(Role.IMPORT_REGULATOR, "US")
    recorded = mutate(api, "acceptanceListEntryRecord", {
        "list": "US-TOY-LABS", "cab": "L23", "activity": "TESTING", "validFrom": "2026-01-01",
        "scope": [{"identifier": "ISO 8124-1", "hsPrefixes": ["9503"]}],
        "expectedVersion": version(api, "AcceptanceList", "US-TOY-LABS"), "provenance": {"confidence": "FIXTURE"},
        "message": "L23 accepted"}, token)
    assert recorded["errors"] == []
    assert recorded["acceptanceList"]["version"] == 2
    s46 = decide(api, to_clearance_input(case("S46")))
    assert (s46["outcome"], s46["reason"]) == ("RECOGNISED", "LIST_ROUTE")
    logged = changes(api, "US-TOY-LABS")[0]
    assert (logged["entityType"], logged["facet"], logged["message"]) == ("AcceptanceList", "entries L23/TESTING",
                                                                           "L23 accepted")
    ended = mutate(api, "acceptanceListEntryEnd", {
        "list": "US-TOY-LABS", "cab": "L23", "activity": "TESTING", "validTo": "2026-01-31",
        "expectedVersion": version(api, "AcceptanceList", "US-TOY-LABS")}, token)
    assert ended["errors"] == []
    s46 = decide(api, to_clearance_input(case("S46")))  # issued 2026-02-01, the day after the entry ended
    assert (s46["outcome"], s46["reason"]) == ("RETEST_REQUIRED", "NOT_ON_ACCEPTANCE_LIST")


@pytest.mark.parametrize(("data", "field", "code"), [
    ({"cab": "L17", "validFrom": "2025-01-01"}, "input.validFrom", "OVERLAPPING_INTERVAL"),
    ({"cab": "ZZ-NOBODY", "validFrom": "2025-01-01"}, "input.cab", "NOT_FOUND"),
    ({"cab": "L23", "validFrom": "2025-01-01", "expectedVersion": 7}, "input.expectedVersion", "STALE_OBJECT"),
    ({"cab": "L23", "validFrom": "2025-01-01", "validTo": "2024-01-01"}, "input.validTo", "INVALID_DATE_RANGE"),
])
def test_list_entries_the_rules_refuse(api, data, field, code):
    before = export(api), registry_version(api)
    payload = mutate(api, "acceptanceListEntryRecord", {
        "list": "US-TOY-LABS", "activity": "TESTING", "expectedVersion": version(api, "AcceptanceList",
                                                                                 "US-TOY-LABS")} | data,
        api.token(Role.IMPORT_REGULATOR, "US"))
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [(field, code)], payload["errors"]
    assert (export(api), registry_version(api)) == before


def test_a_list_is_created_once_by_its_owner(api):
    token = api.token(Role.IMPORT_REGULATOR, "CA")
    created = mutate(api, "acceptanceListCreate", {"code": "ZZ-CA-LIST", "name": "Invented", "owner": "CA"}, token)
    assert created["errors"] == [] and created["acceptanceList"]["entries"] == []
    again = mutate(api, "acceptanceListCreate", {"code": "ZZ-CA-LIST", "name": "Invented", "owner": "CA"}, token)
    assert error_codes(again) == ["ALREADY_EXISTS"]
    other = mutate(api, "acceptanceListEntryRecord", {"list": "ZZ-CA-LIST", "cab": "L17", "validFrom": "2026-01-01",
                                                      "expectedVersion": 1}, api.token(Role.IMPORT_REGULATOR, "US"))
    assert error_codes(other) == ["FORBIDDEN"]


# -- competences ----------------------------------------------------------------------------------------------
def test_ending_the_authoritys_competence_before_issue_makes_s44_not_competent(api):
    admin = api.token(Role.ADMINISTRATOR)
    ended = mutate(api, "competenceEnd", {
        "cab": "AUTH-EG", "kind": "OFFICIAL_CERTIFICATE", "hsPrefixes": ["12"], "validTo": "2026-01-31",
        "expectedVersion": version(api, "ConformityAssessmentBody", "AUTH-EG")}, admin)
    assert ended["errors"] == []
    assert ended["conformityAssessmentBody"]["competences"][0]["validTo"] == "2026-01-31"
    s44 = decide(api, to_clearance_input(case("S44")))
    assert (s44["outcome"], s44["reason"]) == ("RETEST_REQUIRED", "NOT_COMPETENT_AUTHORITY")
    recorded = mutate(api, "competenceRecord", {
        "cab": "AUTH-EG", "kind": "OFFICIAL_CERTIFICATE", "hsPrefixes": ["12"], "validFrom": "2026-02-01",
        "expectedVersion": version(api, "ConformityAssessmentBody", "AUTH-EG")}, admin)
    assert recorded["errors"] == []
    assert decide(api, to_clearance_input(case("S44")))["outcome"] == "RECOGNISED"


def test_a_competence_only_on_a_regulatory_authority_and_not_twice(api):
    admin = api.token(Role.ADMINISTRATOR)
    lab = mutate(api, "competenceRecord", {
        "cab": "L17", "kind": "OFFICIAL_CERTIFICATE", "hsPrefixes": ["12"], "validFrom": "2026-02-01",
        "expectedVersion": version(api, "ConformityAssessmentBody", "L17")}, admin)
    # the whole competence is refused (the CAB is no regulatory authority): no one value of the input is at fault
    assert [(e["field"], e["code"]) for e in lab["errors"]] == [(None, "INCONSISTENT")]
    twice = mutate(api, "competenceRecord", {
        "cab": "AUTH-EG", "kind": "OFFICIAL_CERTIFICATE", "hsPrefixes": ["12"], "validFrom": "2026-02-01",
        "expectedVersion": version(api, "ConformityAssessmentBody", "AUTH-EG")}, admin)
    assert error_codes(twice) == ["OVERLAPPING_INTERVAL"]
