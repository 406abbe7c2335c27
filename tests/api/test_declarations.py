"""Completeness declarations, look-alike bodies and activity starts through the API: browsing (look-ups, connections
with filters, node ids) and the two declaration mutations (errors as data, versions, the change log).

Fixtures: data/fixtures/scenarios.json (SCENARIOS.md section 1, 1.6 for the declarations). Codes starting with ZZ-
are invented for these tests."""
from __future__ import annotations


from graphql_relay import to_global_id

from mra_registry.store.tokens import Role

from .support import changes, error_codes, mutate, registry_version, version


def query(api, text: str, variables: dict | None = None) -> dict:
    result = api(text, variables)
    assert not result.errors, result.errors
    return result.data


def test_a_declaration_is_found_by_code_and_by_node_id_with_every_field(api):
    selection = ("id code version kind validFrom validTo importer hsPrefixes excludedHsPrefixes includesMembers "
                 "arrangement { code } activities accreditationBody { code } sector { code } party list "
                 "confidence sources note")
    by_code = query(api, f'{{ completenessDeclaration(code: "DECL-IMPORT-EU") {{ {selection} }} }}')
    declared = by_code["completenessDeclaration"]
    assert declared | {"id": None} == {
        "id": None, "code": "DECL-IMPORT-EU", "version": 1, "kind": "IMPORT_POLICIES", "validFrom": "2000-01-01",
        "validTo": None, "importer": "EU", "hsPrefixes": ["04", "12", "90"], "excludedHsPrefixes": [],
        "includesMembers": True, "arrangement": None, "activities": [], "accreditationBody": None, "sector": None,
        "party": None, "list": None, "confidence": "FIXTURE", "sources": [], "note": "SCENARIOS.md 1.6"}
    by_node = query(api, f'query($id: ID!) {{ node(id: $id) {{ ... on CompletenessDeclaration {{ {selection} }} }} }}',
                    {"id": to_global_id("CompletenessDeclaration", "DECL-IMPORT-EU")})
    assert by_node["node"] == declared
    designations = query(api, '{ completenessDeclaration(code: "DECL-DESIGNATIONS-EU-US-GMP-V") '
                              '{ arrangement { code kind } sector { code } validFrom } }')["completenessDeclaration"]
    assert designations == {"arrangement": {"code": "EU_US_MRA", "kind": "GOVERNMENT"},
                            "sector": {"code": "EU-US-GMP-V"}, "validFrom": "2023-05-31"}
    assert query(api, '{ completenessDeclaration(code: "ZZ-NONE") { code } }') == {"completenessDeclaration": None}


def test_declarations_are_browsed_with_filters(api):
    def codes(arguments: str) -> tuple[int, list[str]]:
        page = query(api, f"{{ completenessDeclarations({arguments}) {{ totalCount edges {{ node {{ code }} }} }} }}")
        connection = page["completenessDeclarations"]
        return connection["totalCount"], [e["node"]["code"] for e in connection["edges"]]

    assert codes("first: 100")[0] == 45
    assert codes("kind: ACCREDITATIONS, first: 100")[0] == 15
    assert codes('kind: IMPORT_POLICIES, importer: "JP"') == (1, ["DECL-IMPORT-JP"])
    assert codes('arrangement: "ILAC_MRA"') == (1, ["DECL-SIGNATORIES-ILAC_MRA"])
    assert codes('accreditationBody: "ENAC"') == (0, [])
    assert codes('accreditationBody: "CNAS"') == (1, ["DECL-ACCREDITATIONS-CNAS"])
    # the veterinary GMP sector's declaration starts with its first operational day
    assert "DECL-DESIGNATIONS-EU-US-GMP-V" not in codes('kind: DESIGNATIONS, asOf: "2020-01-01"')[1]
    assert "DECL-DESIGNATIONS-EU-US-GMP-V" in codes('kind: DESIGNATIONS, asOf: "2024-01-01"')[1]
    total, first_two = codes("first: 2")
    after = query(api, "{ completenessDeclarations(first: 2) { pageInfo { endCursor hasNextPage } } }")
    cursor = after["completenessDeclarations"]["pageInfo"]["endCursor"]
    assert after["completenessDeclarations"]["pageInfo"]["hasNextPage"]
    assert codes(f'first: 2, after: "{cursor}"')[1][0] not in first_two


def test_look_alikes_activity_starts_and_where_to_verify(api):
    data = query(api, """{
        lookalikeBodies { totalCount edges { node { code name economy { code } confidence } } }
        lookalikeBody(code: "GASB") { code version }
        accreditationBody(code: "GASB") { code }
        arrangement(code: "ILAC_MRA") { signatoryListUrl activityStarts { edges { node { activity validFrom confidence sources } } } }
        iaf: arrangement(code: "IAF_MLA") { validFrom activityStarts { totalCount } }
        enac: accreditationBody(code: "ENAC") { directoryUrl statuses { edges { node { activity validFrom reportedSince } } } }
    }""")
    assert data["lookalikeBodies"]["totalCount"] == 1
    assert data["lookalikeBodies"]["edges"][0]["node"] == {
        "code": "GASB", "name": "Global Accreditation Standards Board", "economy": None, "confidence": "FIXTURE"}
    assert data["lookalikeBody"] == {"code": "GASB", "version": 1}
    assert data["accreditationBody"] is None
    starts = [e["node"] for e in data["arrangement"]["activityStarts"]["edges"]]
    assert [(s["activity"], s["validFrom"], s["confidence"]) for s in starts] == [
        ("CALIBRATION", "2001-01-31", "CONFIRMED"), ("INSPECTION", "2012-10-24", "CONFIRMED"),
        ("TESTING", "2001-01-31", "CONFIRMED")]
    assert all(s["sources"] for s in starts)
    assert data["arrangement"]["signatoryListUrl"] is None
    assert data["iaf"] == {"validFrom": "1998-01-22", "activityStarts": {"totalCount": 0}}
    assert data["enac"]["directoryUrl"] is None
    assert {(s["node"]["activity"], s["node"]["validFrom"], s["node"]["reportedSince"])
            for s in data["enac"]["statuses"]["edges"]} == {(None, None, "2024-01-01"), ("TESTING", None, "2024-01-01")}


def test_a_regulator_records_replaces_and_ends_its_own_declaration(api):
    token = api.token(Role.IMPORT_REGULATOR, "JP")
    before = registry_version(api)
    created = mutate(api, "completenessDeclarationRecord", {
        "code": "ZZ-DECL-JP-22", "kind": "IMPORT_POLICIES", "importer": "JP", "hsPrefixes": ["22"],
        "validFrom": "2000-01-01", "provenance": {"confidence": "CONFIRMED", "sources": ["https://x.example/jp"]},
        "message": "JP declares chapter 22"}, token)
    assert created["errors"] == [] and created["registryVersion"] == before + 1
    assert created["completenessDeclaration"]["hsPrefixes"] == ["22"]
    assert created["completenessDeclaration"]["confidence"] == "CONFIRMED"

    # recording the same code again needs its version; a stale one is refused
    again = mutate(api, "completenessDeclarationRecord", {
        "code": "ZZ-DECL-JP-22", "kind": "IMPORT_POLICIES", "importer": "JP", "hsPrefixes": ["2201"]}, token)
    stale = mutate(api, "completenessDeclarationRecord", {
        "code": "ZZ-DECL-JP-22", "kind": "IMPORT_POLICIES", "importer": "JP", "hsPrefixes": ["2201"],
        "expectedVersion": 7}, token)
    assert error_codes(again) == ["ALREADY_EXISTS"] and error_codes(stale) == ["STALE_OBJECT"]
    replaced = mutate(api, "completenessDeclarationRecord", {
        "code": "ZZ-DECL-JP-22", "kind": "IMPORT_POLICIES", "importer": "JP", "hsPrefixes": ["2201"],
        "validFrom": "2000-01-01", "provenance": {"confidence": "CONFIRMED", "sources": ["https://x.example/jp"]},
        "expectedVersion": 1}, token)
    assert replaced["errors"] == [] and replaced["completenessDeclaration"]["version"] == 2

    ended = mutate(api, "completenessDeclarationEnd", {"code": "ZZ-DECL-JP-22", "validTo": "2030-12-31",
                                                       "expectedVersion": 2}, token)
    assert ended["errors"] == []
    assert ended["completenessDeclaration"]["validTo"] == "2030-12-31"
    assert ended["completenessDeclaration"]["confidence"] == "CONFIRMED"  # ending keeps its provenance
    twice = mutate(api, "completenessDeclarationEnd", {"code": "ZZ-DECL-JP-22", "validTo": "2031-12-31"}, token)
    assert error_codes(twice) == ["INVALID_TRANSITION"]

    log = changes(api, "ZZ-DECL-JP-22")
    assert [(c["entityType"], c["action"]) for c in log] == [("CompletenessDeclaration", "UPDATE")] * 2 + [
        ("CompletenessDeclaration", "CREATE")]
    before_end, after_end = log[0]["before"], log[0]["after"]
    assert before_end["hsPrefixes"] == ["2201"] and "to" not in before_end
    assert after_end["to"] == "2030-12-31"
    assert log[2]["message"] == "JP declares chapter 22" and log[2]["before"] is None


def test_a_faulty_range_comes_back_as_errors_on_its_fields(api):
    admin = api.token(Role.ADMINISTRATOR)
    cases = [
        ({"kind": "SIGNATORIES", "arrangement": "ILAC_MRA", "importer": "JP"}, ("input.importer", "INCONSISTENT")),
        ({"kind": "SIGNATORIES", "arrangement": "EU_US_MRA"}, ("input.arrangement", "INCONSISTENT")),
        ({"kind": "IMPORT_POLICIES", "importer": "JP", "includesMembers": True},
         ("input.includesMembers", "INCONSISTENT")),
        ({"kind": "ACCREDITATIONS", "accreditationBody": "GASB"}, ("input.accreditationBody", "UNKNOWN_REFERENCE")),
        ({"kind": "DESIGNATIONS", "arrangement": "EU_US_MRA", "sector": "EU-CH-MD"},
         ("input.sector", "UNKNOWN_REFERENCE")),
        ({"kind": "LIST_ENTRIES"}, ("input.list", "INCONSISTENT")),
        ({"kind": "CABS", "validFrom": "2020-01-01", "validTo": "2019-01-01"}, ("input.validTo", "INVALID_DATE_RANGE")),
    ]
    before = registry_version(api)
    for data, expected in cases:
        payload = mutate(api, "completenessDeclarationRecord", {"code": "ZZ-DECL"} | data, admin, selection="")
        assert [(e["field"], e["code"]) for e in payload["errors"]] == [expected], data
    assert registry_version(api) == before


def test_a_fixture_declaration_cannot_replace_a_confirmed_one_through_the_api(api):
    admin = api.token(Role.ADMINISTRATOR)
    data = {"code": "ZZ-DECL", "kind": "CABS", "provenance": {"confidence": "CONFIRMED", "sources": ["https://x.example/"]}}
    assert mutate(api, "completenessDeclarationRecord", data, admin, selection="")["errors"] == []
    payload = mutate(api, "completenessDeclarationRecord", data | {
        "provenance": {"confidence": "FIXTURE"}, "expectedVersion": version(api, "CompletenessDeclaration", "ZZ-DECL")},
        admin, selection="")
    assert error_codes(payload) == ["FIXTURE_OVERWRITE"]
    assert "confirmed" in payload["errors"][0]["message"]


def test_ending_an_unknown_declaration_is_not_found(api):
    payload = mutate(api, "completenessDeclarationEnd", {"code": "ZZ-NONE", "validTo": "2030-01-01"},
                     api.token(Role.ADMINISTRATOR), selection="")
    assert error_codes(payload) == ["NOT_FOUND"]
