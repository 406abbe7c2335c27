"""The quick checks of a request's variables (lists too long, control characters, bad domain values) answer
exactly whether the full, path-building walks would find anything: they only decide whether those walks run.

Values are drawn by hypothesis around a valid ClearanceInput of the registry's own schema: control characters,
long lists, unknown economies, bad dates and enums, wrong types and unknown keys included."""
from __future__ import annotations

from graphql import get_operation_ast, parse
from graphql.utilities import type_from_ast
from hypothesis import HealthCheck, given, settings, strategies as st

from mra_registry.api import input_lists, input_values, text_input
from mra_registry.api.schema import schema

GRAPHQL_SCHEMA = schema.graphql_schema
OPERATION = get_operation_ast(parse(
    "query Q($input: ClearanceInput!, $inputs: [ClearanceInput!]!) "
    "{ clearance(input: $input) { outcome } clearances(inputs: $inputs) { outcome } }"))
INPUT_TYPE = type_from_ast(GRAPHQL_SCHEMA, OPERATION.variable_definitions[0].type)
INPUTS_TYPE = type_from_ast(GRAPHQL_SCHEMA, OPERATION.variable_definitions[1].type)

texts = st.one_of(
    st.sampled_from(["FR", "JP", "XX", "040690", "0406", "2026-03-01", "2026-02-30", "TESTING", "NOPE", "L01",
                     "a\tb", "a\nb", "nul\x00", "bell\x07", "c1\x85", "é", "\u00a0nbsp", ""]),
    st.text(max_size=6),
)
leaves = st.one_of(texts, st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False))
KEYS = ["exporter", "importer", "hsCode", "clearanceDate", "lot", "attestation", "attestations", "type", "issuer",
        "issueDate", "accreditationBody", "accreditationNumber", "tests", "underAccreditation", "message", "note",
        "document", "unknown"]
values = st.recursive(leaves, lambda children: st.one_of(
    st.lists(children, max_size=5),
    st.dictionaries(st.sampled_from(KEYS), children, max_size=6),
), max_leaves=25)



@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(KEYS), values, max_size=8), st.integers(1, 4))
def test_the_quick_checks_agree_with_the_full_walks(value, limit):
    for type_ in (INPUT_TYPE, INPUTS_TYPE):
        slow = any(True for _ in input_values._refusals(value, type_, None))
        assert input_values._any_refused(value, type_, None) == slow, value
    for key in ("input", "document", "message"):
        slow = any(True for _ in text_input._variable_refusals(value, f"${key}", key))
        assert text_input._any_refused(value, key) == slow, (key, value)
    slow = any(True for _ in input_lists._long_lists(value, "input", limit))
    assert input_lists._any_long(value, limit) == slow, (limit, value)


def test_each_quick_check_finds_its_refusal():
    valid = {"exporter": "FR", "importer": "JP", "hsCode": "040690",
             "attestation": {"type": "TESTING", "issuer": "L01", "issueDate": "2026-02-01", "tests": ["a", "b"]}}
    assert not input_values._any_refused(valid, INPUT_TYPE, None)
    assert input_values._any_refused({**valid, "importer": "XX"}, INPUT_TYPE, None)
    assert input_values._any_refused({**valid, "hsCode": "12"}, INPUT_TYPE, None)
    assert input_values._any_refused([valid, {**valid, "attestation": {"type": "NOPE"}}], INPUTS_TYPE, None)
    assert not text_input._any_refused(valid, "input")
    assert text_input._any_refused({**valid, "lot": "L\x00"}, "input")
    assert not text_input._any_refused({"message": "two\nlines\tand a tab"}, "input")
    assert not input_lists._any_long(valid, 2)
    assert input_lists._any_long(valid, 1)
