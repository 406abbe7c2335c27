"""Nested lists are Relay connections like the root ones (API.md convention 2): `first`/`after` walk every item
once, `first` is capped at 100 with the same typed error, `totalCount` counts what the filters keep, the filters
still apply, `pageInfo` says where a page is, and `node(id:)` and the look-up by code answer the same pages
without a token. Fixture facts: ILAC_MRA has ten testing signatories on 2025-01-01; KCA has three status records, one
of them SUSPENDED in ILAC testing in 2018; EU_US_MRA has seven sectors; the EU had 28 members in 2020."""
from __future__ import annotations

import json

import pytest
from graphql_relay import to_global_id

from mra_registry.api.pagination import DEFAULT_PAGE, MAX_PAGE, encode_cursor
from mra_registry.store.tokens import Role

from .support import mutate
from .test_query_counts import synthetic_document

SIGNATORIES = """query($after: String, $first: Int) {
  arrangement(code: "ILAC_MRA") {
    signatories(activity: TESTING, asOf: "2025-01-01", first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { accreditationBody { code } activity status } }
    }
  }
}"""


def data(api, query: str, variables: dict | None = None) -> dict:
    result = api(query, variables)
    assert not result.errors, result.errors
    return result.data


def error_codes(result) -> list[str]:
    return [str((e.get("extensions") or {}).get("code")) for e in result.errors]


def signatories(api, **variables) -> dict:
    return data(api, SIGNATORIES, variables)["arrangement"]["signatories"]


def test_pages_of_a_nested_list_walk_every_item_once(api):
    # given: every testing signatory on the date in one page
    everything = signatories(api, first=MAX_PAGE)
    assert everything["totalCount"] == 12 and not everything["pageInfo"]["hasNextPage"]
    expected = [edge["node"] for edge in everything["edges"]]

    # when: the same list three at a time
    walked, after, pages = [], None, 0
    while True:
        page = signatories(api, first=3, after=after)
        pages += 1
        walked += [edge["node"] for edge in page["edges"]]
        assert page["totalCount"] == everything["totalCount"]
        assert page["pageInfo"]["hasPreviousPage"] == (after is not None)
        assert page["pageInfo"]["startCursor"] == page["edges"][0]["cursor"]
        assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]

    # then: the same items, in the same order, each once
    assert walked == expected
    assert pages == -(-len(expected) // 3)


def test_a_nested_list_without_first_gives_the_default_page(api):
    # given: 25 more (invented) ILAC testing signatories, 37 in all
    payload = mutate(api, "registryDocumentLoad", {"document": json.dumps(synthetic_document())},
                     api.token(Role.ADMINISTRATOR), selection="")
    assert payload["errors"] == []

    # then: 20 of them without `first`, all of them in two pages of 20
    page = signatories(api)
    assert page["totalCount"] == 37
    assert len(page["edges"]) == DEFAULT_PAGE
    assert page["pageInfo"]["hasNextPage"] is True
    rest = signatories(api, after=page["pageInfo"]["endCursor"])
    assert len(rest["edges"]) == 17 and rest["pageInfo"]["hasNextPage"] is False


def test_the_last_page_and_past_it(api):
    total = signatories(api, first=1)["totalCount"]
    last = signatories(api, first=5, after=encode_cursor(total - 3))
    assert len(last["edges"]) == 2 and last["pageInfo"]["hasNextPage"] is False
    past = signatories(api, first=5, after=encode_cursor(total + 10))
    assert past["edges"] == [] and past["pageInfo"]["endCursor"] is None and past["totalCount"] == total


def test_a_nested_page_of_a_hundred_is_the_largest(api):
    assert not api(SIGNATORIES, {"first": MAX_PAGE}).errors
    for first in (MAX_PAGE + 1, -1):
        result = api(SIGNATORIES, {"first": first})
        assert error_codes(result) == ["INVALID_PAGE_SIZE"]
        assert result.errors[0]["path"] == ["arrangement", "signatories"]


@pytest.mark.parametrize("cursor", ["nonsense", to_global_id("Economy", "FR")])
def test_a_nested_cursor_the_api_never_gave_out_is_refused(api, cursor):
    assert error_codes(api(SIGNATORIES, {"after": cursor})) == ["INVALID_CURSOR"]


NESTED = [  # (parent look-up, the nested connection with its filters, selection of a node)
    ('economy(code: "GB")', 'unionMemberships(asOf: "2019-06-01")', "union { code }"),
    ('union(code: "EU")', 'memberships(asOf: "2020-06-01")', "economy { code }"),
    ('arrangement(code: "EU_US_MRA")', "sectors", "code"),
    ('arrangement(code: "ILAC_MRA")', 'signatories(activity: TESTING, status: SIGNATORY)', "accreditationBody { code }"),
    ('accreditationBody(code: "KCA")', 'statuses(arrangement: "ILAC_MRA", activity: TESTING)', "status"),
    ('conformityAssessmentBody(code: "L04")', "accreditations(activity: TESTING)", "number"),
    ('conformityAssessmentBody(code: "L04")', 'designations(arrangement: "EU_US_MRA")', "forParty"),
]


@pytest.mark.parametrize(("parent", "nested", "selection"), NESTED, ids=[n[1].split("(")[0] for n in NESTED])
def test_every_nested_connection_pages_and_counts(api, parent, nested, selection):
    field = nested.split("(")[0]
    arguments = nested[len(field):].strip("()")

    def page(first: int, after: str | None = None) -> dict:
        extra = ", ".join(a for a in (arguments, f"first: {first}", f'after: "{after}"' if after else "") if a)
        answer = data(api, f"{{ {parent.split('(')[0]}: {parent} {{ {field}({extra}) {{ totalCount "
                           f"pageInfo {{ hasNextPage endCursor }} edges {{ node {{ {selection} }} }} }} }} }}")
        return next(iter(answer.values()))[field]

    whole = page(MAX_PAGE)
    total = whole["totalCount"]
    assert total == len(whole["edges"]) >= 1
    first = page(1)
    assert (len(first["edges"]), first["totalCount"]) == (1, total)
    assert first["pageInfo"]["hasNextPage"] == (total > 1)
    if total > 1:
        second = page(1, first["pageInfo"]["endCursor"])
        assert second["edges"] == whole["edges"][1:2]


def test_nested_filters_still_apply_and_totals_count_what_they_keep(api):
    kca = data(api, '{ accreditationBody(code: "KCA") { '
                    'all: statuses { totalCount } '
                    'june: statuses(arrangement: "ILAC_MRA", activity: TESTING, asOf: "2018-06-01") '
                    '{ totalCount edges { node { status validTo } } } '
                    'other: statuses(arrangement: "IAF_MLA") { totalCount edges { node { status } } } } }'
               )["accreditationBody"]
    assert kca["all"]["totalCount"] == 3
    assert kca["june"] == {"totalCount": 1, "edges": [{"node": {"status": "SUSPENDED", "validTo": "2018-10-01"}}]}
    assert kca["other"] == {"totalCount": 0, "edges": []}

    suspended = data(api, '{ arrangement(code: "ILAC_MRA") { signatories(activity: TESTING, asOf: "2018-06-01", '
                          'status: SUSPENDED) { totalCount edges { node { accreditationBody { code } } } } } }')
    connection = suspended["arrangement"]["signatories"]
    assert connection["totalCount"] == 2
    assert sorted(e["node"]["accreditationBody"]["code"] for e in connection["edges"]) == ["KCA", "PNGLAS"]

    eu = data(api, '{ union(code: "EU") { y2020: memberships(asOf: "2020-06-01") { totalCount } '
                   'y2021: memberships(asOf: "2021-06-01") { totalCount } } }')["union"]
    assert eu["y2020"]["totalCount"] == eu["y2021"]["totalCount"] + 1  # the United Kingdom left


def test_a_sectors_operations_are_a_connection_too_and_load_only_when_asked(api):
    answer = data(api, '{ arrangement(code: "EU_US_MRA") { sectors(first: 2) { totalCount '
                       'edges { node { code operations(first: 1) { totalCount pageInfo { hasNextPage } '
                       'edges { node { parties attestationType } } } } } } } }')["arrangement"]["sectors"]
    assert answer["totalCount"] == 7
    for edge in answer["edges"]:
        operations = edge["node"]["operations"]
        assert len(operations["edges"]) == 1
        assert operations["pageInfo"]["hasNextPage"] == (operations["totalCount"] > 1)
        assert operations["edges"][0]["node"]["parties"] == ["EU", "US"]


def test_a_designation_names_its_sector_without_loading_operations(api):
    answer = data(api, '{ conformityAssessmentBody(code: "L04") { designations { edges { node { '
                       'sector { code operations { totalCount } } } } } } }')
    sectors = [e["node"]["sector"] for e in answer["conformityAssessmentBody"]["designations"]["edges"]]
    assert sectors and all(s["operations"]["totalCount"] >= 1 for s in sectors)


def test_accreditation_scope_and_suspensions_are_connections(api):
    answer = data(api, '{ conformityAssessmentBody(code: "L02") { accreditations(first: 1) { edges { node { '
                       'number suspensions { totalCount edges { node { validFrom } } } '
                       'scope(first: 2) { totalCount pageInfo { hasNextPage } edges { node { identifier } } } '
                       '} } } } }')
    [edge] = answer["conformityAssessmentBody"]["accreditations"]["edges"]
    scope = edge["node"]["scope"]
    assert scope["totalCount"] >= 3 and len(scope["edges"]) == 2 and scope["pageInfo"]["hasNextPage"]
    assert edge["node"]["suspensions"]["totalCount"] == len(edge["node"]["suspensions"]["edges"])


@pytest.mark.parametrize(("type_name", "field", "code", "selection"), [
    ("Arrangement", "arrangement", "ILAC_MRA",
     'signatories(activity: TESTING, first: 3, after: "b2Zmc2V0OjI=") { totalCount pageInfo { hasNextPage '
     "hasPreviousPage startCursor endCursor } edges { cursor node { accreditationBody { code } status } } }"),
    ("AccreditationBody", "accreditationBody", "KCA", "statuses(first: 2) { totalCount edges { node { status } } }"),
    ("ConformityAssessmentBody", "conformityAssessmentBody", "L04",
     "accreditations(first: 1) { totalCount edges { node { number scope(first: 1) { totalCount } } } }"),
    ("Union", "union", "EU", 'memberships(first: 5, asOf: "2020-06-01") { totalCount edges { node { economy { code } } } }'),
], ids=["Arrangement", "AccreditationBody", "ConformityAssessmentBody", "Union"])
def test_node_and_code_look_ups_answer_the_same_pages_without_a_token(api, type_name, field, code, selection):
    argument = "PartyCode" if field == "union" else "String"
    by_code = api(f"query($code: {argument}!) {{ {field}(code: $code) {{ id {selection} }} }}", {"code": code})
    by_node = api(f"query($id: ID!) {{ node(id: $id) {{ id ... on {type_name} {{ {selection} }} }} }}",
                  {"id": to_global_id(type_name, code)})
    assert not by_code.errors and not by_node.errors, (by_code.errors, by_node.errors)
    assert by_code.data[field] == by_node.data["node"]


def test_a_refused_nested_page_does_not_leak_through_node(api):
    # the cap is enforced at the nested edge whichever way the parent was reached
    result = api("query($id: ID!) { node(id: $id) { ... on AccreditationBody { statuses(first: 101) { totalCount } } } }",
                 {"id": to_global_id("AccreditationBody", "KCA")})
    assert error_codes(result) == ["INVALID_PAGE_SIZE"]
    assert result.data == {"node": None}
