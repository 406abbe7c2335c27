"""The quick schema check never lets through a document that jsonschema refuses: it may only be stricter, and
then jsonschema decides. Each document below is the bundled fixtures with one fault put in."""
from __future__ import annotations

import copy
import json

import pytest

from mra_registry.interchange.document_schema import _validators, schema_errors
from tests.conftest import REFERENCE, SCENARIOS


def fixtures() -> dict:
    return json.loads(SCENARIOS.read_text(encoding="utf-8"))


def faulty(change) -> dict:
    document = copy.deepcopy(fixtures())
    change(document)
    return document


FAULTS = {
    "a wrong type": lambda d: d["accreditationBodies"][0].__setitem__("name", 7),
    "a missing required field": lambda d: d["conformityAssessmentBodies"][0].pop("economy"),
    "an unknown field": lambda d: d["importPolicies"][0].__setitem__("colour", "red"),
    "a malformed HS prefix": lambda d: d["importPolicies"][0].__setitem__("hsPrefixes", ["4o6"]),
    "an unknown enum value": lambda d: d["arrangements"][0].__setitem__("kind", "FRIENDSHIP"),
    "a repeated list item": lambda d: d["importPolicies"][0].__setitem__("hsPrefixes", ["0406", "0406"]),
    "an empty code": lambda d: d["accreditationBodies"][0].__setitem__("code", ""),
    "a wrong format version": lambda d: d.__setitem__("formatVersion", 99),
    "a list where an object belongs": lambda d: d.__setitem__("unions", {"EU": {}}),
    "null for a list": lambda d: d["conformityAssessmentBodies"][0].__setitem__("kinds", None),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_a_faulty_document_is_refused_by_both_checks(fault):
    document = faulty(FAULTS[fault])
    quick, thorough = _validators()
    assert list(thorough.iter_errors(document)), "the fault should break the schema"
    with pytest.raises(Exception):
        quick(document)
    assert schema_errors(document)


@pytest.mark.parametrize("path", [REFERENCE, SCENARIOS], ids=["reference", "fixtures"])
def test_the_bundled_documents_pass_both_checks(path):
    document = json.loads(path.read_text(encoding="utf-8"))
    quick, thorough = _validators()
    quick(document)
    assert list(thorough.iter_errors(document)) == []
    assert schema_errors(document) == []
