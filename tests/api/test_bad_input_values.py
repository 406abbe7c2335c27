"""One error code and shape for every bad input value, whichever way it arrives (issue 13): written in the
document or sent in a variable, a bad country, date, HS code or enum value is a request error with
`extensions.code` BAD_USER_INPUT, `extensions.reason` naming the kind of problem and `extensions.field` the
value's path from its argument; nothing runs."""
from __future__ import annotations

import json

import pytest

GOOD = {"exporter": "FR", "importer": "JP", "hsCode": "040690", "clearanceDate": "2025-09-15",
        "attestations": [{"type": "TESTING", "issuer": "L02", "issueDate": "2025-08-10"},
                         {"type": "TESTING", "issuer": "L02", "issueDate": "2025-08-10"}]}


def with_(path: str, value) -> dict:
    line = json.loads(json.dumps(GOOD))
    target = line
    *parents, leaf = path.replace("[", ".").replace("]", "").split(".")
    for key in parents:
        target = target[int(key)] if isinstance(target, list) else target[key]
    target[leaf] = value
    return line


def literal(value) -> str:
    """The GraphQL literal of a JSON value (enum values are written bare: keys of ENUM_FIELDS)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {ENUM(v) if k == 'type' else literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    return json.dumps(value)


def ENUM(value) -> str:  # noqa: N802
    return value if isinstance(value, str) and value.isidentifier() else literal(value)


CASES = {
    # name: (path in the input, bad value, reason)
    "unknown country": ("exporter", "XX", "UNKNOWN_ECONOMY"),
    "three-letter country": ("importer", "FRA", "UNKNOWN_ECONOMY"),
    "lower-case country": ("importer", "jp", "UNKNOWN_ECONOMY"),
    "impossible clearance date": ("clearanceDate", "2025-02-30", "INVALID_DATE"),
    "date of a later document": ("attestations[1].issueDate", "2025-8-1", "INVALID_DATE"),
    "HS code with a letter": ("hsCode", "04A690", "INVALID_HS_CODE"),
    "short HS code": ("hsCode", "0406", "INVALID_HS_CODE"),
    "HS code with a dot": ("hsCode", "0406.90", "INVALID_HS_CODE"),
    "unknown enum value": ("attestations[1].type", "ASTROLOGY", "INVALID_ENUM_VALUE"),
}


def one_error(result) -> dict:
    assert result.data is None, result.data  # nothing ran
    assert len(result.errors) == 1, result.errors
    return result.errors[0]


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_same_error_in_a_literal_and_in_a_variable(api, name):
    path, value, reason = CASES[name]
    line = with_(path, value)
    in_variable = one_error(api("query($input: ClearanceInput!) { clearance(input: $input) { outcome } }",
                                {"input": line}))
    in_literal = one_error(api("{ clearance(input: %s) { outcome } }" % literal(line)))
    for error in (in_variable, in_literal):
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "reason": reason, "field": f"input.{path}"}, error
        assert error["message"].startswith(f"input.{path}: ") and str(value) in error["message"]
        assert error.get("locations")
    assert in_variable["message"] == in_literal["message"]


def test_a_variable_is_named_by_the_argument_it_is_passed_to(api):
    # `$line` is passed as `input`: the field is input.exporter, as when the value is written in place
    error = one_error(api("query($line: ClearanceInput!) { clearance(input: $line) { outcome } }",
                          {"line": with_("exporter", "UK")}))
    assert error["extensions"]["field"] == "input.exporter"
    assert "GB" in error["message"]  # the hint for the United Kingdom
    # a variable inside a literal object
    error = one_error(api('query($e: CountryCode!) { clearance(input: {exporter: $e, importer: "JP", '
                          'hsCode: "040690"}) { outcome } }', {"e": "XX"}))
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "reason": "UNKNOWN_ECONOMY", "field": "input.exporter"}
    # a batch line by its index
    error = one_error(api("query($lines: [ClearanceInput!]!) { clearances(inputs: $lines) { outcome } }",
                          {"lines": [GOOD, with_("hsCode", "12")]}))
    assert error["extensions"]["field"] == "inputs[1].hsCode"
    error = one_error(api("{ clearances(inputs: [%s, %s]) { outcome } }" % (literal(GOOD), literal(with_("hsCode", "12")))))
    assert error["extensions"]["field"] == "inputs[1].hsCode"


@pytest.mark.parametrize("argument, type_, value, reason", [
    ("economy", "CountryCode", "XX", "UNKNOWN_ECONOMY"),
    ("asOf", "Date", "2021-02-30", "INVALID_DATE"),
    ("activity", "Activity", "ASTROLOGY", "INVALID_ENUM_VALUE"),
])
def test_browsing_arguments_both_ways(api, argument, type_, value, reason):
    in_literal = value if type_ == "Activity" else json.dumps(value)
    for result in (api("{ accreditationBodies(%s: %s) { totalCount } }" % (argument, in_literal)),
                   api("query($v: %s) { accreditationBodies(%s: $v) { totalCount } }" % (type_, argument), {"v": value})):
        error = one_error(result)
        assert error["extensions"] == {"code": "BAD_USER_INPUT", "reason": reason, "field": argument}


def test_hs_code_scalars_both_ways(api):
    for result in (api('{ importPolicies(hsCode: "04A6") { totalCount } }'),
                   api("query($h: HsCode) { importPolicies(hsCode: $h) { totalCount } }", {"h": "04A6"})):
        assert one_error(result)["extensions"] == {"code": "BAD_USER_INPUT", "reason": "INVALID_HS_CODE",
                                                   "field": "hsCode"}


def test_every_bad_value_is_reported_at_once(api):
    line = with_("exporter", "XX") | {"hsCode": "0406", "clearanceDate": "2025-13-01"}
    for result in (api("query($input: ClearanceInput!) { clearance(input: $input) { outcome } }", {"input": line}),
                   api("{ clearance(input: %s) { outcome } }" % literal(line))):
        fields = sorted(error["extensions"]["field"] for error in result.errors)
        assert fields == ["input.clearanceDate", "input.exporter", "input.hsCode"]


def test_a_mutation_input_both_ways(api):
    query = "mutation($i: ConformityAssessmentBodyCreateInput!) { conformityAssessmentBodyCreate(input: $i) { errors { code } } }"
    good = {"code": "ZZ-LAB", "name": "x", "economy": "QQ", "kinds": ["LABORATORY"]}
    error = one_error(api(query, {"i": good}))
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "reason": "UNKNOWN_ECONOMY", "field": "input.economy"}
    error = one_error(api(query, {"i": good | {"economy": "FR", "kinds": ["LABORATORY", "WIZARD"]}}))
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "reason": "INVALID_ENUM_VALUE", "field": "input.kinds[1]"}
    error = one_error(api('mutation { conformityAssessmentBodyCreate(input: {code: "ZZ-LAB", name: "x", economy: "FR", '
                          'kinds: [LABORATORY, WIZARD]}) { errors { code } } }'))
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "reason": "INVALID_ENUM_VALUE", "field": "input.kinds[1]"}
