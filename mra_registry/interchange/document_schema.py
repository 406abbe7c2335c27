"""The registry document's format and structure: its name and version, its JSON Schema, the check of a decoded
document against it (every error with its JSON path) and a plain sentence for each error. Meaning (dates,
intervals, references) is checked elsewhere: ``entities`` and ``references``."""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any, Callable

import fastjsonschema
import jsonschema

from .requirements import FLAT_FIELDS as REQUIREMENT_FIELDS

FORMAT = "mra-registry"
FORMAT_VERSION = 1


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("registry-document.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


@lru_cache(maxsize=None)
def _validators() -> tuple[Callable[[Any], Any], jsonschema.Draft202012Validator]:
    """A compiled check that says quickly whether a document is valid, and jsonschema, which has the last word
    and reports every problem with its path. jsonschema alone spent half of a large load's time validating."""
    document_schema = schema()
    return fastjsonschema.compile(document_schema), jsonschema.Draft202012Validator(document_schema)


def schema_errors(data: Any) -> list[jsonschema.ValidationError]:
    """Every way ``data`` breaks the registry document's JSON Schema, in path order; empty when it is valid."""
    quick, thorough = _validators()
    try:
        quick(data)
        return []
    except fastjsonschema.JsonSchemaException:
        pass  # invalid, or only stricter than jsonschema (it checks formats): let jsonschema decide and say why
    return sorted(thorough.iter_errors(data), key=lambda e: (list(map(str, e.absolute_path)), e.message))


def plain_schema_message(error: jsonschema.ValidationError) -> str:
    """One schema error as a sentence for the person who wrote the document."""
    if error.validator == "not" and list(error.absolute_schema_path)[-2:] == ["then", "not"]:
        given = [k for k in REQUIREMENT_FIELDS if isinstance(error.instance, dict) and k in error.instance]
        return (f"'requirements' and the flat requirement fields ({', '.join(given)}) do not go together: give one "
                "requirement in the flat fields, or every requirement in 'requirements'")
    if error.validator == "additionalProperties":
        return f"unknown field: {error.message.split('(')[-1].rstrip(')')}"
    if error.validator == "enum":
        return f"{error.instance!r} is not one of {', '.join(map(str, error.validator_value))}"
    if error.validator == "pattern" and isinstance(error.instance, str):
        return f"{error.instance!r} is malformed (expected to match {error.validator_value})"
    return error.message
