"""The compiled variable coercer gives graphql-core's coerced variables exactly, or says None (graphql-core then
coerces and words the errors); it never accepts what graphql-core refuses.

Checked on the registry's own schema (its ClearanceInput is the hot path) and on a schema invented here, with
values drawn by hypothesis around the valid ones: missing, null, unknown and wrongly typed fields included."""
from __future__ import annotations

from typing import Any

import graphene
import pytest
from graphql import get_operation_ast, parse
from graphql.execution.values import get_variable_values
from hypothesis import HealthCheck, given, settings, strategies as st

from mra_registry.api.schema import schema as registry_schema
from mra_registry.web.variable_coercion import Uncompilable, compile_variables

REGISTRY = registry_schema.graphql_schema
CLEARANCE = parse("query Q($input: ClearanceInput!, $v: Int) { clearance(input: $input, asOfRegistryVersion: $v) "
                  "{ outcome } }")
DECLARATION = parse("query Q($inputs: [ClearanceInput!]!) { clearances(inputs: $inputs) { outcome } }")


def _same_as_graphql_core(schema, document, raw: dict[str, Any]) -> Any:
    operation = get_operation_ast(document)
    expected = get_variable_values(schema, operation.variable_definitions, raw)
    compiled = compile_variables(schema, operation.variable_definitions)(raw)
    if isinstance(expected, list):  # graphql-core refuses: the compiled coercer must not accept
        assert compiled is None, (raw, expected)
        return None
    if compiled is not None:
        assert compiled == expected, raw
        assert _shapes(compiled) == _shapes(expected), raw  # the same container types (graphene's input objects)
    return compiled


def _shapes(value: Any) -> Any:
    if isinstance(value, dict):
        return (type(value).__name__, {key: _shapes(item) for key, item in value.items()})
    if isinstance(value, list):
        return [_shapes(item) for item in value]
    return type(value).__name__


VALID = {"exporter": "FR", "importer": "JP", "hsCode": "040690", "clearanceDate": "2026-03-01", "lot": "L-1",
         "attestation": {"type": "TESTING", "issuer": "L01", "issueDate": "2026-02-01", "accreditationBody": "COFRAC",
                         "accreditationNumber": "1-0001", "tests": ["ISO 6888-1"], "lot": "L-1"}}

codes = st.sampled_from(["FR", "JP", "XX", "fr", "", "EU", 7, None, ["FR"], {"a": 1}])
dates = st.sampled_from(["2026-03-01", "2026-02-30", "2026-3-1", "", 20260301, None, True])
texts = st.one_of(st.text(max_size=8), st.integers(), st.none(), st.booleans(), st.lists(st.text(max_size=3), max_size=2))
kinds = st.sampled_from(["TESTING", "INSPECTION", "testing", "NOPE", 1, None])


def _maybe(draw, value, alternatives):
    """The valid value most of the time; else an alternative, or the key left out."""
    choice = draw(st.integers(0, 9))
    if choice < 6:
        return value
    if choice == 6:
        return _MISSING
    return draw(alternatives)


_MISSING = object()


@st.composite
def clearance_inputs(draw):
    value: dict[str, Any] = {}
    for key, alternatives in (("exporter", codes), ("importer", codes), ("hsCode", texts), ("clearanceDate", dates),
                              ("lot", texts)):
        chosen = _maybe(draw, VALID[key], alternatives)
        if chosen is not _MISSING:
            value[key] = chosen
    attestation: dict[str, Any] = {}
    for key, alternatives in (("type", kinds), ("issuer", texts), ("issueDate", dates),
                              ("accreditationBody", texts), ("accreditationNumber", texts),
                              ("tests", st.one_of(st.lists(texts, max_size=3), texts)), ("lot", texts),
                              ("underAccreditation", st.sampled_from([True, False, "yes", None]))):
        chosen = _maybe(draw, VALID["attestation"].get(key, False), alternatives)
        if chosen is not _MISSING:
            attestation[key] = chosen
    shape = draw(st.integers(0, 9))
    if shape < 7:
        value["attestation"] = attestation
    elif shape == 7:
        value["attestation"] = None
    elif shape == 8:
        value["attestations"] = [attestation, attestation]
    if draw(st.integers(0, 19)) == 0:
        value["notAField"] = 1
    return value


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(clearance_inputs(), st.sampled_from([None, 1, "1", 2.5, _MISSING]))
def test_a_clearance_input_coerces_as_graphql_core_does(value, version):
    raw = {"input": value}
    if version is not _MISSING:
        raw["v"] = version
    _same_as_graphql_core(REGISTRY, CLEARANCE, raw)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(clearance_inputs(), max_size=4), st.booleans())
def test_a_declaration_coerces_as_graphql_core_does(lines, single):
    raw = {"inputs": lines[0] if single and lines else lines}
    _same_as_graphql_core(REGISTRY, DECLARATION, raw)


def test_a_plainly_right_input_is_coerced_without_graphql_core():
    coerced = _same_as_graphql_core(REGISTRY, CLEARANCE, {"input": VALID})
    assert coerced is not None and coerced["input"]["attestation"]["issuer"] == "L01"


@pytest.mark.parametrize("raw", [
    {},  # a required variable missing
    {"input": None},
    {"input": {**VALID, "exporter": "XX"}},  # a domain scalar refuses it
    {"input": {**VALID, "attestation": {**VALID["attestation"], "type": "NOPE"}}},  # an enum refuses it
    {"input": {**VALID, "unknown": 1}},
    {"input": {key: value for key, value in VALID.items() if key != "importer"}},  # a required field missing
])
def test_what_graphql_core_refuses_is_left_to_it(raw):
    operation = get_operation_ast(CLEARANCE)
    assert compile_variables(REGISTRY, operation.variable_definitions)(raw) is None
    assert isinstance(get_variable_values(REGISTRY, operation.variable_definitions, raw), list)


# -- an invented schema (fixture) for what the registry's inputs do not use -------------------------------------

class Inner(graphene.InputObjectType):
    size = graphene.Int(default_value=3)
    name = graphene.String(required=True)
    key = graphene.ID()
    keys = graphene.List(graphene.NonNull(graphene.ID))
    notes = graphene.List(graphene.String)


class Query(graphene.ObjectType):
    echo = graphene.String(inner=graphene.Argument(Inner), many=graphene.List(graphene.List(graphene.Int)),
                           flag=graphene.Boolean())


INVENTED = graphene.Schema(query=Query).graphql_schema


@pytest.mark.parametrize("raw", [
    {"inner": {"name": "a"}},  # the field's default is filled in
    {"inner": {"name": "a", "size": None}},  # an explicit null stays null
    {"inner": None},
    {},  # the variable's own default
    {"many": [[1, 2], None, [None]]},
    {"many": [1]},  # an item for a list: graphql-core's list of one, left to it
    {"many": "x"},
    {"inner": {"size": 1}},
    {"flag": 1},
    # a text where an ID or a String goes is taken as it is; an int where an ID goes is made a text (graphql-core's)
    {"inner": {"name": "a", "key": "k1", "keys": ["k2", 7, "k3"], "notes": ["n", None, "m"]}},
    {"inner": {"name": "a", "key": 7, "keys": []}},
    {"inner": {"name": "a", "keys": ["k", None]}},  # a null where the items are non-null: refused
    {"inner": {"name": "a", "key": 2.5}},
    {"inner": {"name": "a", "notes": ["n", 3]}},  # a number where a String goes: refused
    {"inner": {"name": 7}},
])
def test_defaults_nulls_and_lists_as_graphql_core(raw):
    document = parse('query Q($inner: Inner = {name: "d"}, $many: [[Int]], $flag: Boolean) '
                     "{ echo(inner: $inner, many: $many, flag: $flag) }")
    _same_as_graphql_core(INVENTED, document, raw)


def test_a_one_of_input_is_not_compiled():
    from graphql import build_schema

    schema = build_schema("input Pick @oneOf { a: Int b: String } type Query { f(p: Pick): Int }")
    operation = get_operation_ast(parse("query Q($p: Pick) { f(p: $p) }"))
    with pytest.raises(Uncompilable):
        compile_variables(schema, operation.variable_definitions)


@pytest.mark.parametrize("levels, compiled", [(32, True), (33, False)])
def test_input_types_nested_past_the_compiled_depth_are_left_to_graphql_core(levels, compiled):
    """A chain of distinct input types ending in a leaf: the leaf at depth 33 is one too deep, as any type there."""
    from graphql import build_schema

    chain = " ".join(f"input T{n} {{ next: T{n + 1} }}" for n in range(levels - 1))
    schema = build_schema(f"{chain} input T{levels - 1} {{ value: String }} type Query {{ f(t: T0): Int }}")
    operation = get_operation_ast(parse("query Q($t: T0) { f(t: $t) }"))
    if compiled:
        assert compile_variables(schema, operation.variable_definitions)({"t": None}) == {"t": None}
    else:
        with pytest.raises(Uncompilable, match="nested too deeply"):
            compile_variables(schema, operation.variable_definitions)


def test_a_self_referring_input_type_is_left_to_graphql_core():
    from graphql import build_schema

    schema = build_schema("input Node { value: String next: Node } type Query { f(n: Node): Int }")
    operation = get_operation_ast(parse("query Q($n: Node) { f(n: $n) }"))
    with pytest.raises(Uncompilable, match="nested too deeply"):
        compile_variables(schema, operation.variable_definitions)


def test_texts_parsed_once_are_remembered_per_leaf_type_and_refusals_and_mutable_results_are_not():
    calls: list[Any] = []

    def parse_value(value):
        calls.append(value)
        if value == "bad":
            raise ValueError("refused")
        return [value] if value == "listed" else value.upper()

    Loud = graphene.Scalar  # a scalar invented here, whose parser counts its calls
    loud = type("Loud", (Loud,), {"serialize": staticmethod(str), "parse_value": staticmethod(parse_value),
                                  "parse_literal": staticmethod(lambda node, _variables=None: node.value)})

    class Query(graphene.ObjectType):
        echo = graphene.String(value=graphene.Argument(loud))

    schema = graphene.Schema(query=Query).graphql_schema
    document = parse("query Q($v: Loud) { echo(value: $v) }")
    coerce = compile_variables(schema, get_operation_ast(document).variable_definitions)
    assert coerce({"v": "fr"}) == {"v": "FR"} and coerce({"v": "fr"}) == {"v": "FR"}
    assert calls == ["fr"]  # the second request reused the first parse
    assert coerce({"v": "bad"}) is None and coerce({"v": "bad"}) is None
    assert calls == ["fr", "bad", "bad"]  # a refusal is never remembered: graphql-core words it each time
    first, second = coerce({"v": "listed"}), coerce({"v": "listed"})
    assert first == second == {"v": ["listed"]} and first["v"] is not second["v"]  # a list is parsed afresh
    assert calls.count("listed") == 2
