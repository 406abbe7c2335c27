"""Abuse limits and typed inputs: depth, aliases and cost are refused in validation with their codes; a
`clearances` batch over the maximum, a page over 100, a cursor the API never gave out, and impossible scalar
values are refused before anything is resolved."""
from __future__ import annotations

import pytest
from graphql_relay import to_global_id

from mra_registry.api.limits import Limits, analyse
from mra_registry.api.pagination import DEFAULT_PAGE, MAX_PAGE, encode_cursor
from mra_registry.settings import Settings

DEFAULTS = Settings(database_url="sqlite://")


def codes(result) -> list[str]:
    return [str((e.get("extensions") or {}).get("code")) for e in result.errors]


def refused_in_validation(result, code: str) -> dict:
    assert result.data is None
    assert codes(result) == [code], result.errors
    return result.errors[0]


def nested(depth: int) -> str:
    """A query exactly `depth` levels deep, through single objects (so that only depth, not cost, is at stake):
    arrangement → supersededBy → supersededBy → … → code."""
    query = "code"
    for _ in range(depth - 2):
        query = f"supersededBy {{ {query} }}"
    return f'{{ arrangement(code: "ILAC_MRA") {{ {query} }} }}'


# -- depth ----------------------------------------------------------------------------------------------------
def test_the_deepest_query_allowed_runs(api):
    result = api(nested(DEFAULTS.max_query_depth))
    assert not result.errors, result.errors
    assert result.data["arrangement"]["supersededBy"] == {"supersededBy": None}  # ILAC MRA → Global ACI MRA


def test_one_level_deeper_is_refused_with_query_too_deep(api):
    error = refused_in_validation(api(nested(DEFAULTS.max_query_depth + 1)), "QUERY_TOO_DEEP")
    assert error["extensions"]["limit"] == DEFAULTS.max_query_depth


def test_fragments_count_towards_depth(api):
    # the same selections, spread through a fragment, are counted level by level
    def through_fragment(depth: int) -> str:
        return "query { ...deep } fragment deep on Query " + nested(depth)

    assert not api(through_fragment(DEFAULTS.max_query_depth)).errors
    refused_in_validation(api(through_fragment(DEFAULTS.max_query_depth + 1)), "QUERY_TOO_DEEP")


# -- aliases --------------------------------------------------------------------------------------------------
def aliased(count: int) -> str:
    return "{ " + " ".join(f"v{i}: registryVersion" for i in range(count)) + " }"


def test_as_many_aliases_as_allowed_run(api):
    result = api(aliased(DEFAULTS.max_aliases))
    assert not result.errors
    assert len(result.data) == DEFAULTS.max_aliases


def test_one_alias_more_is_refused_with_too_many_aliases(api):
    error = refused_in_validation(api(aliased(DEFAULTS.max_aliases + 1)), "TOO_MANY_ALIASES")
    assert error["extensions"]["limit"] == DEFAULTS.max_aliases


# -- cost -----------------------------------------------------------------------------------------------------
FIELDS = ("id code version name region confidence sources note economy { code name } "
          "statuses { edges { node { status validFrom validTo activity standard } } }")


def test_a_query_over_the_default_cost_is_refused_with_query_too_costly(api):
    # given: 28 aliased pages of 100 bodies with their statuses (no depth or alias limit is reached)
    query = "{ " + " ".join(f"p{i}: accreditationBodies(first: 100) {{ edges {{ node {{ {FIELDS} }} }} }}"
                            for i in range(28)) + " }"

    error = refused_in_validation(api(query), "QUERY_TOO_COSTLY")

    assert error["extensions"]["limit"] == DEFAULTS.max_query_cost
    assert error["extensions"]["cost"] > DEFAULTS.max_query_cost


FAN_OUT = """{ arrangement(code: "ILAC_MRA") { signatories(first: 100) { edges { node { accreditationBody {
    statuses(first: 100) { edges { node { arrangement {
    signatories(first: 100) { edges { node { accreditationBody { code } } } } } } } } } } } } } }"""


def test_nested_registry_lists_multiply_the_cost(api):
    # signatories → their bodies → their statuses → those arrangements → their signatories: 14 levels, within
    # the depth limit, and cheap-looking, but its answer grows as the product of its pages (100 × 100 × 100)
    error = refused_in_validation(api(FAN_OUT), "QUERY_TOO_COSTLY")
    assert error["extensions"]["cost"] > 10 * DEFAULTS.max_query_cost


def test_a_nested_connection_is_costed_by_its_first_or_the_default_page():
    from graphql import parse

    def cost(query: str) -> int:
        [operation] = parse(query).definitions
        return analyse(operation, {}, Limits()).cost

    # one status costs 3 (edges, node, status); the body 1, the connection 1 more
    assert cost('{ accreditationBody(code: "KCA") { statuses(first: 5) { edges { node { status } } } } }') == 1 + 1 + 5 * 3
    assert cost('{ accreditationBody(code: "KCA") { statuses { edges { node { status } } } } }') == 1 + 1 + DEFAULT_PAGE * 3
    # nested pages multiply
    assert cost('{ conformityAssessmentBody(code: "L04") { accreditations(first: 10) { edges { node { '
                'scope(first: 4) { edges { node { identifier } } } } } } } }') == 1 + 1 + 10 * (1 + 1 + (1 + 4 * 3))


def test_a_page_size_the_resolver_refuses_never_lowers_the_cost(api):
    # given: a query over the ceiling, and beside it a connection asked for a negative page
    heavy = ("b: accreditationBodies(first: 100) { edges { node { statuses(first: 100) { edges { node { "
             "arrangement { signatories(first: 100) { edges { node { status } } } } } } } } } }")
    negative = "a: economies(first: -2000000000) { edges { node { code } } }"

    # then: the negative page is costed as the largest page, and the whole query is refused before it runs
    refused_in_validation(api("{ " + heavy + " }"), "QUERY_TOO_COSTLY")
    refused_in_validation(api("{ " + negative + " " + heavy + " }"), "QUERY_TOO_COSTLY")


def test_accepted_bodies_is_costed_by_its_own_page_sizes():
    from graphql import parse

    from mra_registry.api.reverse import DEFAULT_ACCEPTED, MAX_ACCEPTED

    def cost(arguments: str) -> int:
        [operation] = parse('{ acceptedBodies(exporter: "FR", importer: "JP", hsCode: "040690"' + arguments +
                            ') { bodies { cab { code } } } }').definitions
        return analyse(operation, {}, Limits()).cost

    one_body = 1 + (1 + 1)  # bodies, cab, code
    assert cost("") == 1 + DEFAULT_ACCEPTED * one_body
    assert cost(", first: 200") == 1 + MAX_ACCEPTED * one_body
    assert cost(", first: -5") == cost(", first: 201") == 1 + MAX_ACCEPTED * one_body


def test_every_connection_of_the_schema_is_costed_as_one():
    # the cost rule knows connections by field name: every field answering a connection must be in its set
    from graphql import get_named_type

    from mra_registry.api.limits import CONNECTION_FIELDS
    from mra_registry.api.schema import schema

    answering_connections = {
        name for type_ in schema.graphql_schema.type_map.values() if hasattr(type_, "fields") and not
        type_.name.startswith("__") for name, field in type_.fields.items()
        if get_named_type(field.type).name.endswith("Connection")
    }
    assert answering_connections == CONNECTION_FIELDS


def test_one_level_of_nested_lists_is_affordable(api):
    result = api('{ arrangement(code: "ILAC_MRA") { signatories(activity: TESTING, asOf: "2025-01-01", first: 100) '
                 '{ edges { node { status accreditationBody { code economy { name } '
                 'statuses { edges { node { status arrangement { code } } } } } } } } } }')
    assert not result.errors, result.errors


def test_list_sizes_multiply_the_cost(api):
    # given: a cost ceiling of 300
    api.configure(Settings.from_env({"MRA_DATABASE_URL": api.settings.database_url, "MRA_MAX_QUERY_COST": "300"}))
    page = "{{ accreditationBodies(first: {n}) {{ edges {{ node {{ code name }} }} }} }}"

    # then: a page's cost is its size times what one item costs: 10 bodies pass (41), 100 do not (401)
    small = api(page.format(n=10))
    large = api(page.format(n=100))
    assert not small.errors, small.errors
    refused_in_validation(large, "QUERY_TOO_COSTLY")
    assert large.errors[0]["extensions"]["cost"] == 1 + 100 * (1 + 1 + 2)


def test_a_clearances_batch_is_costed_by_its_lines(api):
    api.configure(Settings.from_env({"MRA_DATABASE_URL": api.settings.database_url, "MRA_MAX_QUERY_COST": "100"}))
    line = '{exporter: "FR", importer: "JP", hsCode: "040690", clearanceDate: "2025-09-15"}'
    query = "{{ clearances(inputs: [{lines}]) {{ outcome reason registryVersion }} }}"
    assert not api(query.format(lines=", ".join([line] * 10))).errors
    refused_in_validation(api(query.format(lines=", ".join([line] * 40))), "QUERY_TOO_COSTLY")


DECLARATION = ("query($lines: [ClearanceInput!]!) { clearances(inputs: $lines) { outcome reason "
               "reasons { code message route } path { kind record holds } warnings { code message } } }")
DECLARATION_LINE = {"exporter": "FR", "importer": "JP", "hsCode": "040690", "clearanceDate": "2025-09-15"}


def test_a_batch_in_a_variable_is_costed_by_the_lines_it_holds(api):
    # given: a ceiling of 400 and a selection of 13 per line
    api.configure(Settings.from_env({"MRA_DATABASE_URL": api.settings.database_url, "MRA_MAX_QUERY_COST": "400"}))

    # when
    thirty = api(DECLARATION, {"lines": [DECLARATION_LINE] * 30})
    thirty_one = api(DECLARATION, {"lines": [DECLARATION_LINE] * 31})

    # then: 1 + 30 x 13 = 391 runs; 1 + 31 x 13 = 404 is refused before anything is decided
    assert not thirty.errors, thirty.errors
    assert len(thirty.data["clearances"]) == 30
    refused_in_validation(thirty_one, "QUERY_TOO_COSTLY")
    assert thirty_one.errors[0]["extensions"]["cost"] == 1 + 31 * 13


def test_a_rich_declaration_is_not_refused_for_the_largest_batch_it_could_have_been(api):
    # given: the officer's whole decision per line, which would pass the ceiling only for batches under 1,000
    from graphql import parse

    from mra_registry.api.limits import request_cost

    query = ("query($lines: [ClearanceInput!]!) { clearances(inputs: $lines) { outcome reason "
             "reasons { code message route } route { kind arrangement { id code name kind } sector { code name hsPrefixes } } "
             "path { kind subject record validFrom validTo statusOnIssue statusOnClearance holds confidence sources } "
             "warnings { code message } policy { id code importer name hsPrefixes excludedHsPrefixes requiredType "
             "requiredTests maxAgeDays lotMatch validFrom validTo routes { kind arrangements } } "
             "issueDate clearanceDate registryVersion } }")
    document = parse(query)
    largest = {"lines": [DECLARATION_LINE] * DEFAULTS.max_batch}
    assert request_cost(document, document.definitions[0], largest, Limits()) > DEFAULTS.max_query_cost

    # when: a declaration of 20 lines
    result = api(query, {"lines": [DECLARATION_LINE] * 20})

    # then
    assert not result.errors, result.errors
    assert len(result.data["clearances"]) == 20


def test_the_cost_of_a_batch_in_a_variable_is_the_cost_of_the_same_batch_written_out():
    from graphql import parse

    from mra_registry.api.limits import request_cost

    written_out = parse("{ clearances(inputs: [{exporter: \"FR\"}, {exporter: \"DE\"}, {exporter: \"IT\"}]) "
                        "{ outcome reasons { code } } }")
    in_a_variable = parse("query($l: [ClearanceInput!]!) { clearances(inputs: $l) { outcome reasons { code } } }")
    [literal], [variable] = written_out.definitions, in_a_variable.definitions
    assert request_cost(in_a_variable, variable, {"l": [{}, {}, {}]}, Limits()) == analyse(literal, {}, Limits()).cost


def test_the_cost_analysis_matches_what_the_rule_reports():
    from graphql import parse

    document = parse("{ economies(first: 7) { edges { node { code name } } } registryVersion }")
    [operation] = document.definitions
    assert analyse(operation, {}, Limits()).cost == (1 + 7 * (1 + 1 + 2)) + 1


# -- batch size -----------------------------------------------------------------------------------------------
CLEARANCES = "query($lines: [ClearanceInput!]!) { clearances(inputs: $lines) { outcome reason } }"
LINE = {"exporter": "FR", "importer": "JP", "hsCode": "040690", "clearanceDate": "2025-09-15"}


def test_a_batch_over_the_configured_maximum_is_refused_with_batch_too_large(api):
    # given: MRA_MAX_BATCH=3
    api.configure(Settings.from_env({"MRA_DATABASE_URL": api.settings.database_url, "MRA_MAX_BATCH": "3"}))

    # when
    at_limit = api(CLEARANCES, {"lines": [LINE] * 3})
    over = api(CLEARANCES, {"lines": [LINE] * 4})

    # then
    assert not at_limit.errors
    assert len(at_limit.data["clearances"]) == 3
    assert over.data is None
    assert codes(over) == ["BATCH_TOO_LARGE"]
    assert over.errors[0]["extensions"]["limit"] == 3
    assert over.errors[0]["path"] == ["clearances"]


def test_the_default_maximum_batch_is_a_thousand_lines(api):
    assert DEFAULTS.max_batch == 1000
    over = api(CLEARANCES, {"lines": [LINE] * 1001})
    assert codes(over) == ["BATCH_TOO_LARGE"]
    assert over.errors[0]["extensions"]["limit"] == 1000


@pytest.mark.slow
def test_a_batch_of_a_thousand_lines_is_decided_in_order(api):
    lines = [LINE | {"lot": f"LOT-{i}", "hsCode": "040690" if i % 2 else "851762"} for i in range(1000)]
    result = api("query($lines: [ClearanceInput!]!) { clearances(inputs: $lines) { policy { code } } }",
                 {"lines": lines})
    assert not result.errors, result.errors[:1]
    assert [d["policy"]["code"] if d["policy"] else None for d in result.data["clearances"][:4]] == [
        None, "P-JP-0406", None, "P-JP-0406"]


# -- pages and cursors ----------------------------------------------------------------------------------------
CONNECTIONS = ["economies", "unions", "arrangements", "accreditationBodies", "conformityAssessmentBodies",
               "importPolicies", "changes"]


@pytest.mark.parametrize("connection", CONNECTIONS)
def test_a_page_of_a_hundred_is_the_largest(api, connection):
    allowed = api(f"{{ {connection}(first: {MAX_PAGE}) {{ pageInfo {{ hasNextPage }} }} }}")
    over = api(f"{{ {connection}(first: {MAX_PAGE + 1}) {{ pageInfo {{ hasNextPage }} }} }}")
    negative = api(f"{{ {connection}(first: -1) {{ pageInfo {{ hasNextPage }} }} }}")
    assert not allowed.errors, allowed.errors
    assert codes(over) == ["INVALID_PAGE_SIZE"]
    assert codes(negative) == ["INVALID_PAGE_SIZE"]
    assert over.data == {connection: None}


def test_accepted_bodies_caps_its_list_too(api):
    query = '{{ acceptedBodies(exporter: "TW", importer: "US", hsCode: "851762", first: {n}) {{ bodies {{ cab {{ code }} }} }} }}'
    assert not api(query.format(n=200)).errors
    assert codes(api(query.format(n=201))) == ["INVALID_PAGE_SIZE"]


@pytest.mark.parametrize("cursor", [
    "nonsense",
    "",
    "b2Zmc2V0Oi0x",  # "offset:-1"
    encode_cursor(3).replace("=", "") + "!",
    to_global_id("Economy", "FR"),  # an id is not a cursor
    "b2Zmc2V0OmFiYw==",  # "offset:abc"
])
@pytest.mark.parametrize("connection", ["economies", "accreditationBodies", "changes"])
def test_a_cursor_the_api_never_gave_out_is_refused(api, connection, cursor):
    result = api(f"query($after: String) {{ {connection}(after: $after) {{ totalCount }} }}", {"after": cursor})
    assert codes(result) == ["INVALID_CURSOR"]
    assert result.data == {connection: None}


# -- typed scalars --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("query", "variables", "value"), [
    ('{ economy(code: "XX") { name } }', None, "XX"),
    ('{ economy(code: "fr") { name } }', None, "fr"),
    ('query($c: CountryCode!) { economy(code: $c) { name } }', {"c": "XX"}, "XX"),
    ('{ accreditationBodies(economy: "FRA") { totalCount } }', None, "FRA"),
    ('{ acceptedBodies(exporter: "TW", importer: "US", hsCode: "04A6") { requiredType } }', None, "04A6"),
    ('{ acceptedBodies(exporter: "TW", importer: "US", hsCode: "0406") { requiredType } }', None, "0406"),
    ('query($h: HsCode) { importPolicies(hsCode: $h) { totalCount } }', {"h": "04A6"}, "04A6"),
    ('{ importPolicies(asOf: "2021-02-30") { totalCount } }', None, "2021-02-30"),
    ('query($d: Date) { importPolicies(asOf: $d) { totalCount } }', {"d": "2021-02-30"}, "2021-02-30"),
    ('query($d: Date) { importPolicies(asOf: $d) { totalCount } }', {"d": "2021-2-3"}, "2021-2-3"),
    ('{ clearance(input: {exporter: "XX", importer: "JP", hsCode: "040690"}) { outcome } }', None, "XX"),
    ('query($i: ClearanceInput!) { clearance(input: $i) { outcome } }',
     {"i": {"exporter": "FR", "importer": "JP", "hsCode": "040690", "clearanceDate": "2021-02-30"}}, "2021-02-30"),
    ('{ union(code: "eu") { name } }', None, "eu"),
])
def test_an_impossible_scalar_is_refused_before_anything_runs(api, query, variables, value):
    result = api(query, variables)
    assert result.data is None
    assert len(result.errors) == 1
    error = result.errors[0]
    assert value in error["message"]  # the message names the value at fault
    assert error.get("locations")  # and where it is
    assert "path" not in error  # nothing was resolved


def test_an_impossible_hs_code_in_the_fixed_core_is_bad_user_input_with_its_reason(api):
    # the core's hsCode is a String (API.md): it is checked as an HS code before anything runs
    result = api('{ clearance(input: {exporter: "FR", importer: "JP", hsCode: "04A6"}) { outcome } }')
    assert codes(result) == ["BAD_USER_INPUT"]
    assert result.errors[0]["extensions"]["reason"] == "INVALID_HS_CODE"
    assert result.errors[0]["extensions"]["field"] == "input.hsCode"


def test_an_impossible_line_of_a_batch_names_its_index(api):
    lines = [LINE, LINE | {"hsCode": "04A6"}]
    result = api(CLEARANCES, {"lines": lines})
    assert codes(result) == ["BAD_USER_INPUT"]
    assert result.errors[0]["extensions"]["reason"] == "INVALID_HS_CODE"
    assert result.errors[0]["extensions"]["field"] == "inputs[1].hsCode"  # the argument's path, whatever the variable


def test_an_impossible_scalar_in_a_mutation_input_writes_nothing(api):
    from mra_registry.store.tokens import Role

    from .support import registry_version

    token = api.token(Role.ADMINISTRATOR)
    before = registry_version(api)
    result = api("mutation($i: ImportPolicyCreateInput!) { importPolicyCreate(input: $i) { errors { code } } }",
                 {"i": {"code": "ZZ-P", "importer": "JP", "hsPrefixes": ["4"], "requiredType": "TESTING"}}, token=token)
    assert result.data is None and "'4'" in result.errors[0]["message"]
    assert registry_version(api) == before


def test_a_confidence_outside_its_enum_is_refused_before_anything_runs(api):
    from mra_registry.store.tokens import Role

    from .support import registry_version

    token = api.token(Role.ADMINISTRATOR)
    before = registry_version(api)
    create = "mutation($i: AccreditationBodyCreateInput!) { accreditationBodyCreate(input: $i) { errors { code } } }"
    refused = api(create, {"i": {"code": "ZZ-AB", "name": "x", "provenance": {"confidence": "certain"}}}, token=token)
    assert refused.data is None and "Confidence" in refused.errors[0]["message"]
    assert registry_version(api) == before
    accepted = api(create, {"i": {"code": "ZZ-AB", "name": "x", "provenance": {"confidence": "FIXTURE"}}}, token=token)
    assert accepted.data == {"accreditationBodyCreate": {"errors": []}}


# -- input list sizes -----------------------------------------------------------------------------------------
def limited_lists(api, size: int) -> None:
    api.configure(Settings.from_env({"MRA_DATABASE_URL": api.settings.database_url, "MRA_MAX_INPUT_LIST": str(size)}))


ATTESTED = {"exporter": "FR", "importer": "JP", "hsCode": "040690", "clearanceDate": "2025-09-15",
            "attestation": {"type": "TESTING", "issuer": "L02", "issueDate": "2025-08-10"}}
ONE = "query($line: ClearanceInput!) { clearance(input: $line) { outcome } }"


def test_a_list_written_in_the_document_over_the_limit_is_refused_in_validation(api):
    limited_lists(api, 3)
    query = ('{{ acceptedBodies(exporter: "FR", importer: "JP", hsCode: "040690", tests: [{tests}]) '
             '{{ bodies {{ cab {{ code }} }} }} }}')
    assert not api(query.format(tests='"a", "b", "c"')).errors
    error = refused_in_validation(api(query.format(tests='"a", "b", "c", "d"')), "INPUT_LIST_TOO_LONG")
    assert error["extensions"]["limit"] == 3


def test_a_list_in_a_variable_over_the_limit_is_refused_before_anything_runs(api):
    limited_lists(api, 3)
    line = ATTESTED | {"attestation": ATTESTED["attestation"] | {"tests": ["a", "b", "c", "d"]}}
    error = refused_in_validation(api(ONE, {"line": line}), "INPUT_LIST_TOO_LONG")
    assert "$line.attestation.tests" in error["message"]
    within = ATTESTED | {"attestation": ATTESTED["attestation"] | {"tests": ["a", "b", "c"]}}
    assert not api(ONE, {"line": within}).errors


def test_a_batch_has_its_own_limit_but_the_lists_in_its_lines_do_not(api):
    limited_lists(api, 3)
    query = "query($lines: [ClearanceInput!]!) { clearances(inputs: $lines) { outcome } }"
    five_lines = api(query, {"lines": [ATTESTED] * 5})
    assert not five_lines.errors, five_lines.errors
    long_line = ATTESTED | {"attestation": ATTESTED["attestation"] | {"tests": ["a", "b", "c", "d"]}}
    refused_in_validation(api(query, {"lines": [ATTESTED, long_line]}), "INPUT_LIST_TOO_LONG")
    written = "{ clearances(inputs: [" + ", ".join(['{exporter: "FR", importer: "JP", hsCode: "040690"}'] * 5) + \
        "]) { outcome } }"
    assert not api(written).errors
