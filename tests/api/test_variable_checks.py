"""The one compiled pass over a request's variables (api/variable_checks.py) says "fine" exactly when the three
path-building walks (lists, texts, domain values) refuse nothing; when it does not, the request's refusals are
those walks' own, in their order."""
from __future__ import annotations

import pytest
from graphql import get_operation_ast, parse
from hypothesis import HealthCheck, given, settings, strategies as st

from mra_registry.api.input_lists import variable_list_refusals
from mra_registry.api.input_values import variable_value_refusals
from mra_registry.api.schema import request_limits, schema
from mra_registry.api.text_input import variable_text_refusals
from mra_registry.api.variable_checks import VariableChecks
from mra_registry.settings import Settings

GRAPHQL_SCHEMA = schema.graphql_schema
CLEARANCE = "query Clearance($input: ClearanceInput!) { clearance(input: $input) { outcome } }"
DECLARATION = "query Declaration($inputs: [ClearanceInput!]!) { clearances(inputs: $inputs) { outcome } }"
BOTH = ("query Q($input: ClearanceInput!, $inputs: [ClearanceInput!]!) "
        "{ clearance(input: $input) { outcome } clearances(inputs: $inputs) { outcome } }")
POLICY = ("mutation P($input: ImportPolicyCreateInput!) { importPolicyCreate(input: $input) { errors { code } } }")
LOAD = ("mutation L($input: RegistryDocumentLoadInput!, $message: String) "
        "{ registryDocumentLoad(input: $input) { errors { code } } }")
NO_VARIABLES = "query { arrangements(first: 1) { edges { node { code } } } }"
TESTS = ('query T($tests: [String!]) { clearance(input: {exporter: "NZ", importer: "DE", hsCode: "040690", '
         'attestation: {type: TESTING, issuer: "L01", issueDate: "2026-08-20", tests: $tests}}) { outcome } }')

LINE = {"exporter": "NZ", "importer": "DE", "hsCode": "040690", "clearanceDate": "2026-09-10", "lot": "S01-LOT",
        "attestation": {"type": "TESTING", "issuer": "L01", "issueDate": "2026-08-20",
                        "accreditationBody": "IANZ", "lot": "S01-LOT", "tests": ["listeria", "salmonella"]}}
ATTESTATION = LINE["attestation"]


def operation_of(query: str):
    document = parse(query)
    return document, get_operation_ast(document)


def walks_refuse(document, operation, variables, limit: int) -> bool:
    return bool(variable_list_refusals(operation, variables, limit) or variable_text_refusals(operation, variables)
                or variable_value_refusals(GRAPHQL_SCHEMA, document, operation, variables))


def agree(query: str, variables, limit: int = 3) -> bool:
    """The pass's answer, after checking it against the walks (with a fresh pass and the cached one)."""
    document, operation = operation_of(query)
    expected = not walks_refuse(document, operation, variables, limit)
    checks = VariableChecks(GRAPHQL_SCHEMA, limit)
    assert checks.all_fine(document, operation, variables) is expected, variables
    assert checks.all_fine(document, operation, variables) is expected, variables  # compiled and cached
    return expected


def with_line(**changes) -> dict:
    return {**LINE, **changes}


def with_attestation(**changes) -> dict:
    return with_line(attestation={**ATTESTATION, **changes})


FINE = [
    (CLEARANCE, {"input": LINE}),
    (CLEARANCE, {"input": with_line(lot=None, clearanceDate=None, attestation=None)}),
    (CLEARANCE, {"input": with_line(attestations=[ATTESTATION, None, ATTESTATION])}),
    (CLEARANCE, {"input": {"exporter": "NZ"}}),  # a missing key is graphql-core's to word
    (CLEARANCE, {"input": with_line(hsCode=None)}),
    (CLEARANCE, {"input": with_line(lot=7, attestation=with_attestation(underAccreditation="yes")["attestation"])}),
    (CLEARANCE, {"input": with_line(unknown={"deep": ["ok", 1, None]})}),
    (CLEARANCE, {"input": with_line(attestation="a plain text where an object goes")}),
    (CLEARANCE, {"input": None}),
    (CLEARANCE, {}),
    (CLEARANCE, None),
    (CLEARANCE, {"input": LINE, "undeclared": ["x", "y"]}),
    (DECLARATION, {"inputs": [LINE, LINE, LINE]}),
    (DECLARATION, {"inputs": [LINE] * 5}),  # a batch's own list is limited by max_batch, not the list limit
    (DECLARATION, {"inputs": LINE}),  # one line given where a list goes
    (BOTH, {"input": LINE, "inputs": [LINE] * 4}),
    (POLICY, {"input": {"code": "P", "importer": "EU", "hsPrefixes": ["04", "0406"], "origins": ["NZ"],
                        "message": "two\nlines\tand a tab", "provenance": {"note": "a\tnote", "sources": ["s"]},
                        "routes": [{"kind": "ARRANGEMENT", "arrangements": ["EU-NZ"]}]}}),
    (LOAD, {"input": {"document": '{"a": "\\u0000 is JSON text"}', "message": "ok"}}),
    (LOAD, {"input": {"document": {"raw": "nul\x00 under document is the loader's"}}, "message": "m"}),
    (LOAD, {"input": {"document": "{}"}, "message": "tab\tand\nnewline"}),
    (LOAD, {"input": {"document": "{}"}, "document": "nul\x00"}),  # an undeclared variable named document
    (NO_VARIABLES, {"stray": "text"}),
]

REFUSED = [
    (CLEARANCE, {"input": with_line(lot="nul\x00")}),
    (CLEARANCE, {"input": with_line(lot="tab\tnot in a lot")}),
    (CLEARANCE, {"input": with_attestation(issuer="esc\x1b")}),
    (CLEARANCE, {"input": with_attestation(tests=["ok", "c1\x85"])}),
    (CLEARANCE, {"input": with_line(attestations=[ATTESTATION, {**ATTESTATION, "lot": "\x7f"}])}),
    (CLEARANCE, {"input": with_line(unknown={"deep": ["ok", "bell\x07"]})}),
    (CLEARANCE, {"input": with_line(attestation="nul\x00 where an object goes")}),
    (CLEARANCE, {"input": with_line(exporter="nul\x00")}),
    (CLEARANCE, {"input": with_line(importer="XX")}),
    (CLEARANCE, {"input": with_line(importer="UK")}),
    (CLEARANCE, {"input": with_line(exporter=33)}),
    (CLEARANCE, {"input": with_line(hsCode="04.06")}),
    (CLEARANCE, {"input": with_line(hsCode=40690)}),
    (CLEARANCE, {"input": with_line(hsCode=["040690"])}),
    (CLEARANCE, {"input": with_line(clearanceDate="2026-02-30")}),
    (CLEARANCE, {"input": with_line(clearanceDate="2026-9-1")}),
    (CLEARANCE, {"input": with_attestation(issueDate=20260820)}),
    (CLEARANCE, {"input": with_attestation(type="NOPE")}),
    (CLEARANCE, {"input": with_attestation(type=1)}),
    (CLEARANCE, {"input": with_line(attestations=[ATTESTATION, {**ATTESTATION, "type": "testing"}])}),
    (CLEARANCE, {"input": with_attestation(tests=["a", "b", "c", "d"])}),
    (CLEARANCE, {"input": with_line(unknown=[1, 2, 3, 4])}),
    (CLEARANCE, {"input": LINE, "undeclared": ["a", "b", "c", "d"]}),
    (CLEARANCE, {"input": LINE, "undeclared": "nul\x00"}),
    (CLEARANCE, {"input": [LINE] * 4}),
    (DECLARATION, {"inputs": [LINE, with_line(hsCode="12")]}),
    (DECLARATION, {"inputs": [LINE] * 4 + [with_line(lot="\x00")]}),
    (DECLARATION, {"inputs": [LINE] * 4 + [with_attestation(tests=["a"] * 4)]}),
    (DECLARATION, {"inputs": [LINE, [LINE] * 4]}),
    (BOTH, {"input": LINE, "inputs": [LINE] * 4, "other": [1, 2, 3, 4]}),
    (POLICY, {"input": {"code": "P", "importer": "eu"}}),
    (POLICY, {"input": {"code": "P", "importer": "EU", "hsPrefixes": ["4"]}}),
    (POLICY, {"input": {"code": "P", "importer": "EU", "routes": [{"kind": "NOPE"}]}}),
    (POLICY, {"input": {"code": "P", "importer": "EU", "provenance": {"note": "nul\x00"}}}),
    (POLICY, {"input": {"code": "P", "importer": "EU", "provenance": {"sources": ["tab\t"]}}}),
    (LOAD, {"input": {"document": "{}", "message": "cr\r"}}),
    (LOAD, {"input": {"document": {"a": [1, 2, 3, 4]}}}),  # JSON text is not read, its lists are counted
    (LOAD, {"input": {"document": "{}"}, "message": "nul\x00"}),
]


@pytest.mark.parametrize("query, variables", FINE)
def test_the_pass_finds_nothing_where_the_walks_find_nothing(query, variables):
    assert agree(query, variables)


@pytest.mark.parametrize("query, variables", REFUSED)
def test_the_pass_finds_what_the_walks_find(query, variables):
    assert not agree(query, variables)


def test_a_batch_longer_than_the_list_limit_still_has_its_lines_checked():
    assert agree(DECLARATION, {"inputs": [LINE] * 10}, limit=3)
    assert not agree(DECLARATION, {"inputs": [LINE] * 9 + [with_line(exporter="XX")]}, limit=3)
    assert not agree(DECLARATION, {"inputs": [LINE] * 9 + [with_line(lot="\x00")]}, limit=3)
    assert not agree(DECLARATION, {"inputs": [LINE] * 9 + [with_attestation(tests=["t"] * 4)]}, limit=3)
    # a variable that is no batch of this operation keeps the limit
    assert not agree(CLEARANCE, {"input": LINE, "inputs": [LINE] * 10}, limit=3)
    assert agree(TESTS, {"tests": ["listeria"] * 3}, limit=3)
    assert not agree(TESTS, {"tests": ["listeria"] * 4}, limit=3)


def test_an_accepted_code_is_remembered_without_changing_the_answer():
    document, operation = operation_of(CLEARANCE)
    checks = VariableChecks(GRAPHQL_SCHEMA, 3)
    for _ in range(3):
        assert checks.all_fine(document, operation, {"input": LINE})
        assert not checks.all_fine(document, operation, {"input": with_line(importer="XX")})
        assert not checks.all_fine(document, operation, {"input": with_line(importer="DE\x00")})


def test_the_request_check_answers_as_the_walks_did():
    settings_ = Settings.from_env({"MRA_MAX_INPUT_LIST": "3"})
    check = request_limits(settings_)
    for query, variables in FINE + REFUSED:
        document, operation = operation_of(query)
        walked = (variable_list_refusals(operation, variables, 3) + variable_text_refusals(operation, variables)
                  + variable_value_refusals(GRAPHQL_SCHEMA, document, operation, variables))
        answer = check(document, operation, variables)
        refusals = [] if answer is None else answer[1]
        assert [(e.message, e.extensions, e.path) for e in refusals if e.extensions.get("code") != "QUERY_TOO_COSTLY"] \
            == [(e.message, e.extensions, e.path) for e in walked], (query, variables)


texts = st.one_of(
    st.sampled_from(["NZ", "DE", "XX", "UK", "EU", "040690", "0406", "04.06", "2026-03-01", "2026-02-30", "TESTING",
                     "NOPE", "L01", "a\tb", "a\nb", "nul\x00", "bell\x07", "c1\x85", "é", "\u00a0nbsp", ""]),
    st.text(max_size=6),
)
leaves = st.one_of(texts, st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False))
KEYS = ["exporter", "importer", "hsCode", "clearanceDate", "lot", "attestation", "attestations", "type", "issuer",
        "issueDate", "accreditationBody", "accreditationNumber", "tests", "underAccreditation", "credential",
        "message", "note", "document", "unknown"]
values = st.recursive(leaves, lambda children: st.one_of(
    st.lists(children, max_size=5),
    st.dictionaries(st.sampled_from(KEYS), children, max_size=6),
), max_leaves=25)
attestations = st.fixed_dictionaries({}, optional={key: st.one_of(st.just(ATTESTATION.get(key)), values)
                                                   for key in ATTESTATION | {"underAccreditation": True}})
lines = st.fixed_dictionaries({}, optional={
    **{key: st.one_of(st.just(value), values) for key, value in LINE.items() if key != "attestation"},
    "attestation": st.one_of(attestations, values),
    "attestations": st.one_of(st.lists(st.one_of(attestations, st.none()), max_size=5), values),
    "unknown": values,
})
OPERATIONS = [operation_of(query) for query in (CLEARANCE, DECLARATION, BOTH)]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(lines, values), st.one_of(st.lists(st.one_of(lines, values), max_size=6), values),
       st.dictionaries(st.sampled_from(["other", "document", "note"]), values, max_size=2), st.integers(1, 4))
def test_the_pass_agrees_with_the_walks_on_any_clearance_input(line, batch, others, limit):
    checks = VariableChecks(GRAPHQL_SCHEMA, limit)
    for variables in ({"input": line, **others}, {"inputs": batch, **others}, {"input": line, "inputs": batch}):
        for document, operation in OPERATIONS:
            expected = not walks_refuse(document, operation, variables, limit)
            assert checks.all_fine(document, operation, variables) is expected, (limit, variables)
