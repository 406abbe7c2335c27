"""Registry browsing: look-ups by code and by `node(id:)` agree; Relay pagination walks every item once; the
filters and `asOf` answer what the scenario fixtures say; the exporter's reverse question; the registry
version."""
from __future__ import annotations

import pytest
from graphql_relay import from_global_id, to_global_id

from mra_registry.store.tokens import Role

from .support import mutate, nodes, registry_version, s03, version


def data(api, query: str, variables: dict | None = None) -> dict:
    result = api(query, variables)
    assert not result.errors, result.errors
    return result.data


def codes(connection: dict) -> list[str]:
    return [edge["node"]["code"] for edge in connection["edges"]]


# -- code and node(id:) -----------------------------------------------------------------------------------------
LOOK_UPS = [
    ("Economy", "economy", "NZ", "code name unionMemberships { totalCount edges { node { union { code } } } }"),
    ("Union", "union", "EU", "code name memberships(first: 100) { totalCount pageInfo { hasNextPage endCursor } "
                             "edges { cursor node { economy { code } validFrom validTo } } }"),
    ("Arrangement", "arrangement", "APEC_TEL_MRA",
     "code name kind parties sectors { totalCount edges { node { code hsPrefixes "
     "operations { edges { node { parties attestationType validFrom } } } } } }"),
    ("AccreditationBody", "accreditationBody", "KCA",
     "code name version economy { code } "
     "statuses { edges { node { arrangement { code } activity status validFrom validTo } } }"),
    ("ConformityAssessmentBody", "conformityAssessmentBody", "L18",
     "code name version kinds accreditations { edges { node { number activity accreditationBody { code } } } } "
     "designations { edges { node { arrangement { code } sector { code } forParty attestationTypes } } }"),
    ("ImportPolicy", "importPolicy", "P-US-8517", "code version importer requiredType routes { kind arrangements label }"),
]


@pytest.mark.parametrize(("type_name", "field", "code", "selection"), LOOK_UPS, ids=[t[0] for t in LOOK_UPS])
def test_a_look_up_by_code_and_by_node_id_agree(api, type_name, field, code, selection):
    by_code = data(api, f"query($code: {'CountryCode' if field == 'economy' else 'PartyCode' if field == 'union' else 'String'}!) "
                        f"{{ {field}(code: $code) {{ id __typename {selection} }} }}", {"code": code})[field]
    by_node = data(api, f"query($id: ID!) {{ node(id: $id) {{ id __typename ... on {type_name} {{ {selection} }} }} }}",
                   {"id": by_code["id"]})["node"]

    assert by_code == by_node
    assert by_code["__typename"] == type_name
    assert from_global_id(by_code["id"]) == (type_name, code)


def test_an_unknown_code_is_null_not_an_error(api):
    result = data(api, '{ accreditationBody(code: "ZZ-NOPE") { code } conformityAssessmentBody(code: "ZZ-NOPE") { code } '
                       'importPolicy(code: "ZZ-NOPE") { code } arrangement(code: "ZZ-NOPE") { code } '
                       'economy(code: "AQ") { code } union(code: "ZZ") { code } }')
    assert result == {"accreditationBody": None, "conformityAssessmentBody": None, "importPolicy": None,
                      "arrangement": None, "economy": {"code": "AQ"}, "union": None}


def test_node_of_an_unknown_code_is_null(api):
    result = api("query($id: ID!) { node(id: $id) { id } }", {"id": to_global_id("AccreditationBody", "ZZ-NOPE")})
    assert result.data == {"node": None}


KEYED_NODES = [
    ("Sector", '{ arrangement(code: "EU_US_MRA") { sectors(first: 100) { edges { node { id SELECTION } } } } }',
     lambda d: [e["node"] for e in d["arrangement"]["sectors"]["edges"]],
     "code name hsPrefixes attestationTypes arrangement { code }"),
    ("Accreditation", '{ conformityAssessmentBody(code: "L18") { accreditations(first: 100) { edges { node '
                      '{ id SELECTION } } } } }',
     lambda d: [e["node"] for e in d["conformityAssessmentBody"]["accreditations"]["edges"]],
     "number activity validFrom accreditationBody { code } scope { totalCount }"),
]


@pytest.mark.parametrize(("type_name", "query", "listed", "selection"), KEYED_NODES, ids=[k[0] for k in KEYED_NODES])
def test_sectors_and_accreditations_are_nodes_too(api, type_name, query, listed, selection):
    items = listed(data(api, query.replace("SELECTION", selection)))
    assert items
    for item in items:
        by_node = data(api, f"query($id: ID!) {{ node(id: $id) {{ id __typename ... on {type_name} {{ {selection} }} }} }}",
                       {"id": item["id"]})["node"]
        assert by_node == item | {"__typename": type_name}
        assert from_global_id(item["id"])[0] == type_name


def test_a_decisions_sector_has_the_id_browsing_gives_it(api):
    from tests.scenario_cases import case, to_clearance_input

    decided = data(api, "query($l: ClearanceInput!) { clearance(input: $l) { route { arrangement { code } "
                        "sector { id code } } } }", {"l": to_clearance_input(case("S15"))})  # the EU-US MRA, TEL
    route = decided["clearance"]["route"]
    browsed = data(api, "query($a: String!) { arrangement(code: $a) { sectors(first: 100) { edges { node { id code } } } } }",
                   {"a": route["arrangement"]["code"]})
    ids = {e["node"]["code"]: e["node"]["id"] for e in browsed["arrangement"]["sectors"]["edges"]}
    assert ids[route["sector"]["code"]] == route["sector"]["id"]


@pytest.mark.parametrize("key", ['["EU_US_MRA"]', "not json", '["L18", 7, "x"]', "{}"])
def test_a_forged_key_is_an_invalid_id(api, key):
    for type_name in ("Sector", "Accreditation"):
        result = api("query($id: ID!) { node(id: $id) { id } }", {"id": to_global_id(type_name, key)})
        assert result.data == {"node": None}
        assert [e["extensions"]["code"] for e in result.errors] == ["INVALID_ID"], (type_name, key)


def test_node_of_an_unknown_sector_or_accreditation_is_null(api):
    for type_name, key in (("Sector", '["EU_US_MRA","ZZ-NOPE"]'), ("Accreditation", '["L18","ZZ","ZZ-1"]'),
                           ("Sector", '["ZZ-NOPE","X"]'), ("Accreditation", '["ZZ-NOPE","ZZ","ZZ-1"]')):
        result = api("query($id: ID!) { node(id: $id) { id } }", {"id": to_global_id(type_name, key)})
        assert result.data == {"node": None} and not result.errors, (type_name, key)


def test_ids_taken_from_a_list_resolve_to_the_same_objects(api):
    listed = data(api, "{ conformityAssessmentBodies(first: 100) { edges { node { id code economy { code } } } } }")
    nodes = listed["conformityAssessmentBodies"]["edges"]
    aliases = " ".join(f'n{i}: node(id: "{edge["node"]["id"]}") {{ id ... on ConformityAssessmentBody {{ code economy {{ code }} }} }}'
                       for i, edge in enumerate(nodes[:25]))
    resolved = data(api, f"{{ {aliases} }}")
    assert [resolved[f"n{i}"] for i in range(len(nodes[:25]))] == [edge["node"] for edge in nodes[:25]]


# -- pagination -------------------------------------------------------------------------------------------------
def walk(api, connection: str, page: int, arguments: str = "") -> tuple[list[str], list[dict], int]:
    """Every page of a connection, following endCursor."""
    seen, infos, after, total = [], [], None, None
    while True:
        result = data(api, f"query($after: String) {{ {connection}(first: {page}, after: $after{arguments}) {{ totalCount "
                           "pageInfo { hasNextPage hasPreviousPage startCursor endCursor } "
                           "edges { cursor node { code } } } }", {"after": after})[connection]
        total = result["totalCount"]
        infos.append(result["pageInfo"])
        seen += codes(result)
        if result["edges"]:
            assert result["pageInfo"]["startCursor"] == result["edges"][0]["cursor"]
            assert result["pageInfo"]["endCursor"] == result["edges"][-1]["cursor"]
        if not result["pageInfo"]["hasNextPage"]:
            return seen, infos, total
        after = result["pageInfo"]["endCursor"]


def test_pages_of_economies_cover_every_economy_once_in_code_order(api):
    seen, infos, total = walk(api, "economies", 50)
    assert total == len(seen) >= 249
    assert seen == sorted(set(seen))
    assert {"FR", "NZ", "TW", "US"} <= set(seen)
    assert len(infos) == -(-total // 50)
    assert infos[0]["hasPreviousPage"] is False and all(i["hasPreviousPage"] for i in infos[1:])
    assert all(i["hasNextPage"] for i in infos[:-1]) and infos[-1]["hasNextPage"] is False


def test_pages_of_accreditation_bodies_cover_every_body_once(api):
    seen, infos, total = walk(api, "accreditationBodies", 4)
    assert total == 16 == len(seen) == len(set(seen))
    assert seen == sorted(seen)
    assert len(infos) == 4


def test_pages_of_a_filtered_list_respect_the_filter(api):
    seen, _, total = walk(api, "accreditationBodies", 2, ', arrangement: "ILAC_MRA", activity: TESTING')
    whole = codes(data(api, '{ accreditationBodies(first: 100, arrangement: "ILAC_MRA", activity: TESTING) '
                            '{ edges { node { code } } } }')["accreditationBodies"])
    assert seen == whole and total == len(whole)


def test_a_page_after_the_last_item_is_empty(api):
    last = data(api, "{ unions { edges { cursor } } }")["unions"]["edges"][-1]["cursor"]
    after = data(api, "query($after: String) { unions(after: $after) { totalCount pageInfo { hasNextPage } "
                      "edges { node { code } } } }", {"after": last})["unions"]
    assert after == {"totalCount": 1, "pageInfo": {"hasNextPage": False}, "edges": []}


def test_first_zero_returns_no_items_but_the_total(api):
    result = data(api, "{ importPolicies(first: 0) { totalCount pageInfo { hasNextPage } edges { node { code } } } }")
    assert result["importPolicies"] == {"totalCount": 24, "pageInfo": {"hasNextPage": True}, "edges": []}


# -- filters and asOf -------------------------------------------------------------------------------------------
SUSPENDED_IN_ILAC = ('query($asOf: Date) { accreditationBodies(arrangement: "ILAC_MRA", activity: TESTING, '
                     'status: SUSPENDED, asOf: $asOf) { totalCount edges { node { code } } } }')


def test_bodies_suspended_in_ilac_testing_on_a_date(api):
    # KCA was suspended from 2018-01-01 to 2018-10-01 (SCENARIOS.md S08); PNGLAS from 2017-08-14 (S10)
    june = data(api, SUSPENDED_IN_ILAC, {"asOf": "2018-06-01"})["accreditationBodies"]
    november = data(api, SUSPENDED_IN_ILAC, {"asOf": "2018-11-01"})["accreditationBodies"]
    assert "KCA" in codes(june)
    assert "KCA" not in codes(november)
    assert june["totalCount"] == len(codes(june))


ACCREDITED_FOR_TESTING = ('query($asOf: Date) { conformityAssessmentBodies(activity: TESTING, asOf: $asOf, first: 100) '
                          '{ edges { node { code accreditations(asOf: $asOf) { totalCount } } } } }')


def test_the_cab_filter_and_a_cabs_own_accreditations_agree_on_suspensions_and_withdrawals(api):
    # given: L02's COFRAC accreditation suspended through August 2025, then withdrawn from 2026-01-01
    token = api.token(Role.ACCREDITATION_BODY, "COFRAC")
    l02 = {"cab": "L02", "accreditationBody": "COFRAC", "number": "COFRAC-T-L02"}
    mutate(api, "accreditationSuspend", l02 | {"validFrom": "2025-08-01", "validTo": "2025-08-31",
                                               "expectedVersion": version(api, "ConformityAssessmentBody", "L02")},
           token)
    mutate(api, "accreditationWithdraw", l02 | {"withdrawnOn": "2026-01-01",
                                                "expectedVersion": version(api, "ConformityAssessmentBody", "L02")},
           token)

    def listed(day: str) -> dict[str, int]:
        edges = data(api, ACCREDITED_FOR_TESTING, {"asOf": day})["conformityAssessmentBodies"]["edges"]
        return {e["node"]["code"]: e["node"]["accreditations"]["totalCount"] for e in edges}

    # then: L02 is listed only on the days its accreditation is active, and then it lists it itself
    assert listed("2025-07-31")["L02"] == 1
    assert "L02" not in listed("2025-08-15")
    assert listed("2025-09-01")["L02"] == 1
    assert "L02" not in listed("2026-01-01")
    for day in ("2025-07-31", "2025-08-15", "2025-09-01", "2026-01-01"):
        assert all(count > 0 for count in listed(day).values()), day


def test_a_write_moves_what_a_dated_filter_answers(api):
    # given: nobody is suspended in ILAC testing on 2025-09-01 but PNGLAS
    before = codes(data(api, SUSPENDED_IN_ILAC, {"asOf": "2025-09-01"})["accreditationBodies"])
    token = api.token(Role.ARRANGEMENT_SECRETARIAT, "ILAC_MRA")

    # when: COFRAC is suspended from 2025-08-01
    mutate(api, "signatoryStatusSuspend", {"accreditationBody": "COFRAC", "arrangement": "ILAC_MRA",
                                           "activity": "TESTING", "validFrom": "2025-08-01",
                                           "expectedVersion": version(api, "AccreditationBody", "COFRAC")}, token)

    # then
    after = codes(data(api, SUSPENDED_IN_ILAC, {"asOf": "2025-09-01"})["accreditationBodies"])
    assert after == sorted(before + ["COFRAC"])
    assert "COFRAC" not in codes(data(api, SUSPENDED_IN_ILAC, {"asOf": "2025-07-31"})["accreditationBodies"])


def test_nested_statuses_take_the_same_filters(api):
    kca = nodes(data(api, '{ accreditationBody(code: "KCA") { all: statuses { edges { node { status } } } '
                          'june: statuses(arrangement: "ILAC_MRA", activity: TESTING, asOf: "2018-06-01") '
                          '{ edges { node { status validTo } } } '
                          'other: statuses(arrangement: "IAF_MLA") { edges { node { status } } } } }'))["accreditationBody"]
    assert len(kca["all"]) == 3
    assert kca["june"] == [{"status": "SUSPENDED", "validTo": "2018-10-01"}]
    assert kca["other"] == []


def test_signatories_of_an_arrangement_on_a_date(api):
    signatories = nodes(data(api, '{ arrangement(code: "ILAC_MRA") { '
                                  'suspended: signatories(activity: TESTING, asOf: "2018-06-01", status: SUSPENDED) '
                                  '{ edges { node { accreditationBody { code } } } } '
                                  'testing: signatories(activity: TESTING, asOf: "2025-01-01", first: 100) '
                                  '{ edges { node { accreditationBody { code } status } } } '
                                  '} }'))["arrangement"]
    assert sorted(s["accreditationBody"]["code"] for s in signatories["suspended"]) == ["KCA", "PNGLAS"]
    testing = {s["accreditationBody"]["code"]: s["status"] for s in signatories["testing"]}
    assert testing["COFRAC"] == testing["KCA"] == "SIGNATORY"
    assert "NABL" in testing and "SADCAS" not in testing


def test_conformity_assessment_bodies_by_accrediting_body_activity_and_date(api):
    dakks_testing = codes(data(api, '{ conformityAssessmentBodies(accreditationBody: "DAkkS", activity: TESTING, '
                                    'asOf: "2026-01-01") { edges { node { code } } } }')["conformityAssessmentBodies"])
    l03_in_2025 = codes(data(api, '{ conformityAssessmentBodies(accreditationBody: "A2LA", asOf: "2025-01-01") '
                                  '{ edges { node { code } } } }')["conformityAssessmentBodies"])
    l03_in_2023 = codes(data(api, '{ conformityAssessmentBodies(accreditationBody: "A2LA", asOf: "2023-01-01") '
                                  '{ edges { node { code } } } }')["conformityAssessmentBodies"])
    authorities = codes(data(api, "{ conformityAssessmentBodies(kind: REGULATORY_AUTHORITY) { edges { node { code } } } }")
                        ["conformityAssessmentBodies"])
    assert "L04" in dakks_testing and "L02" not in dakks_testing
    assert "L03" not in l03_in_2025  # its accreditation ended 2024-06-30
    assert "L03" in l03_in_2023
    assert authorities == ["AUTH-DE", "AUTH-EG", "AUTH-ES"]


def test_nested_accreditations_and_designations_take_filters(api):
    l04 = nodes(data(api, '{ conformityAssessmentBody(code: "L04") { '
                          'us: designations(arrangement: "EU_US_MRA") { edges { node { sector { code } forParty } } } '
                          'in2017: designations(asOf: "2017-06-01") { edges { node { sector { code } } } } '
                          'testing: accreditations(activity: TESTING, asOf: "2026-01-01") { edges { node { number } } } '
                          'calibration: accreditations(activity: CALIBRATION) { edges { node { number } } } } }'
                     ))["conformityAssessmentBody"]
    assert l04["us"] == [{"sector": {"code": "EU-US-TEL"}, "forParty": "US"}]
    assert l04["in2017"] == []
    assert l04["testing"] == [{"number": "DAkkS-T-L04"}]
    assert l04["calibration"] == []


def test_arrangements_by_kind_and_party(api):
    government = codes(data(api, "{ arrangements(kind: GOVERNMENT) { edges { node { code } } } }")["arrangements"])
    with_us = codes(data(api, '{ arrangements(party: "US") { edges { node { code } } } }')["arrangements"])
    assert government == ["APEC_TEL_MRA", "EU_AU_MRA", "EU_CH_MRA", "EU_US_MRA"]
    assert with_us == ["APEC_TEL_MRA", "EU_US_MRA"]


def test_economies_by_search(api):
    found = data(api, '{ byName: economies(search: "zealand") { edges { node { code } } } '
                      'byCode: economies(search: "tw") { edges { node { code } } } }')
    assert codes(found["byName"]) == ["NZ"]
    assert "TW" in codes(found["byCode"])


def test_union_memberships_on_a_date(api):
    eu = nodes(data(api, '{ union(code: "EU") { '
                         'y2020: memberships(asOf: "2020-06-01", first: 100) { edges { node { economy { code } } } } '
                         'y2021: memberships(asOf: "2021-06-01", first: 100) { edges { node { economy { code } } } } } '
                         'economy(code: "GB") { unionMemberships(asOf: "2021-06-01") { edges { node { union { code } } } } } }'))
    assert "GB" in [m["economy"]["code"] for m in eu["union"]["y2020"]]
    assert "GB" not in [m["economy"]["code"] for m in eu["union"]["y2021"]]
    assert eu["economy"]["unionMemberships"] == []


def test_import_policies_by_importer_and_hs_code(api):
    us = codes(data(api, '{ importPolicies(importer: "US") { edges { node { code } } } }')["importPolicies"])
    assert us == ["P-US-0406", "P-US-3004-H", "P-US-3004-V", "P-US-8517", "P-US-8517-CERT", "P-US-9503"]
    # the human-medicines policy covers 3004 but excludes the veterinary line 30049092
    human = data(api, '{ importPolicies(hsCode: "300490") { totalCount edges { node { code } } } }')["importPolicies"]
    veterinary = data(api, '{ importPolicies(hsCode: "30049092") { totalCount edges { node { code } } } }')["importPolicies"]
    assert (codes(human), human["totalCount"]) == (["P-US-3004-H"], 1)
    assert (codes(veterinary), veterinary["totalCount"]) == (["P-US-3004-V"], 1)


def test_a_page_of_policies_filtered_by_hs_code_is_never_short(api):
    # exclusions are applied before paging: a page of one holds one policy and the total counts only matches
    page = data(api, '{ importPolicies(hsCode: "30049092", first: 1) { totalCount pageInfo { hasNextPage } '
                     'edges { node { code } } } }')["importPolicies"]
    assert page == {"totalCount": 1, "pageInfo": {"hasNextPage": False}, "edges": [{"node": {"code": "P-US-3004-V"}}]}


def test_import_policies_in_force_on_a_date(api):
    # an invented policy in force only in 2024
    token = api.token(Role.IMPORT_REGULATOR, "NZ")
    mutate(api, "importPolicyCreate", {"code": "ZZ-P-NZ-0401", "importer": "NZ", "hsPrefixes": ["0401"],
                                       "requiredType": "TESTING", "validFrom": "2024-01-01", "validTo": "2024-12-31"},
           token)
    query = 'query($d: Date) { importPolicies(importer: "NZ", asOf: $d) { edges { node { code } } } }'
    assert "ZZ-P-NZ-0401" in codes(data(api, query, {"d": "2024-06-01"})["importPolicies"])
    assert "ZZ-P-NZ-0401" not in codes(data(api, query, {"d": "2025-06-01"})["importPolicies"])


# -- the reverse question ---------------------------------------------------------------------------------------
ACCEPTED = """query($tests: [String!]) {
  acceptedBodies(exporter: "TW", importer: "US", hsCode: "851762", attestationType: TESTING, date: "2026-01-10",
                 tests: $tests) {
    requiredType
    outcomeWithoutAttestation { outcome reason }
    bodies { cab { code economy { code } } decision { outcome reason route { kind arrangement { code } sector { code } } } }
  }
}"""


def test_accepted_bodies_for_taiwanese_radio_equipment_into_the_us(api):
    answer = data(api, ACCEPTED, {"tests": ["FCC Part 15"]})["acceptedBodies"]
    assert answer["requiredType"] == "TESTING"
    assert answer["outcomeWithoutAttestation"] == {"outcome": "RETEST_REQUIRED", "reason": "NO_ATTESTATION"}
    by_cab = {b["cab"]["code"]: b for b in answer["bodies"]}
    assert "L18" in by_cab
    l18 = by_cab["L18"]
    assert l18["cab"]["economy"]["code"] == "TW"
    assert l18["decision"]["outcome"] == "RECOGNISED"
    assert l18["decision"]["route"] == {"kind": "GOVERNMENT", "arrangement": {"code": "APEC_TEL_MRA"},
                                        "sector": {"code": "APEC-TEL"}}
    assert all(b["cab"]["economy"]["code"] == "TW" for b in answer["bodies"])


def test_accepted_bodies_follow_a_write(api):
    # given: the APEC TEL designation of L18 ends on 2025-12-31
    token = api.token(Role.DESIGNATING_AUTHORITY, "TW")
    payload = mutate(api, "designationEnd", {
        "cab": "L18", "arrangement": "APEC_TEL_MRA", "sector": "APEC-TEL", "forParty": "US", "validTo": "2025-12-31",
        "expectedVersion": version(api, "ConformityAssessmentBody", "L18")}, token)
    assert payload["errors"] == []

    # then: L18 is no longer accepted on 2026-01-10
    answer = data(api, ACCEPTED, {"tests": ["FCC Part 15"]})["acceptedBodies"]
    assert "L18" not in [b["cab"]["code"] for b in answer["bodies"]]


def test_accepted_bodies_when_nothing_is_required(api):
    answer = data(api, '{ acceptedBodies(exporter: "FR", importer: "JP", hsCode: "040110", date: "2025-09-15") '
                       '{ requiredType outcomeWithoutAttestation { outcome reason } bodies { cab { code } } } }')
    assert answer["acceptedBodies"] == {"requiredType": None,
                                        "outcomeWithoutAttestation": {"outcome": "NOT_REQUIRED", "reason": "NO_REQUIREMENT"},
                                        "bodies": []}


# -- the registry version ---------------------------------------------------------------------------------------
def test_the_registry_version_is_the_one_decisions_are_made_on(api):
    # given: the fixtures were loaded as one version
    assert registry_version(api) == 1 == s03(api)["registryVersion"]
    token = api.token(Role.ADMINISTRATOR)

    # when: two writes
    mutate(api, "accreditationBodyUpdate", {"code": "COFRAC", "name": "one", "expectedVersion": 1}, token)
    mutate(api, "accreditationBodyUpdate", {"code": "COFRAC", "name": "two", "expectedVersion": 2}, token)

    # then
    assert registry_version(api) == 3 == s03(api)["registryVersion"]
    assert data(api, "{ changes(last: 1) { edges { node { version } } } }")["changes"]["edges"][0]["node"]["version"] == 3


def test_the_change_feed_reads_oldest_first_and_since_a_version(api):
    token = api.token(Role.ADMINISTRATOR)
    mutate(api, "accreditationBodyUpdate", {"code": "COFRAC", "name": "one", "expectedVersion": 1}, token)
    mutate(api, "importPolicyAmend", {"code": "P-JP-0406", "maxAgeDays": 30, "expectedVersion": 1}, token)
    feed = data(api, "{ changes(since: 1) { totalCount edges { node { version entityType entityCode } } } }")
    assert feed["changes"]["totalCount"] == 2
    assert [e["node"] for e in feed["changes"]["edges"]] == [
        {"version": 2, "entityType": "AccreditationBody", "entityCode": "COFRAC"},
        {"version": 3, "entityType": "ImportPolicy", "entityCode": "P-JP-0406"}]
    # the deprecated spelling still answers the same
    assert data(api, "{ changes(sinceVersion: 1) { totalCount } }")["changes"]["totalCount"] == 2
    by_type = data(api, '{ changes(entityType: "ImportPolicy", since: 1) { totalCount } }')
    assert by_type["changes"]["totalCount"] == 1
