"""Read registry documents: decode them, check their structure (``document_schema``), then their meaning
(``entities``), then their references (``references``), reporting every problem of every document with its JSON
path. Produces domain entities; writes nothing."""
from __future__ import annotations

import json
from typing import Any, Sequence

from .document_schema import plain_schema_message, schema_errors
from .entities import EntityBuilder
from .parsed import KnownCodes, ParsedDocument
from .problems import DocumentInvalid, Problem, ProblemCode as C
from .references import check_references


def decode(name: str, raw: bytes | str) -> Any:
    try:
        return json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        detail = error.msg if isinstance(error, json.JSONDecodeError) else str(error)
        where = f" at line {error.lineno} column {error.colno}" if isinstance(error, json.JSONDecodeError) else ""
        raise DocumentInvalid([Problem("$", f"not valid JSON ({detail}{where}); is the file truncated?", name,
                                       C.MALFORMED_JSON)]) from None


def read_documents(named_data: Sequence[tuple[str, Any]], known: KnownCodes | None = None) -> list[ParsedDocument]:
    """Validate every document (already decoded JSON) and return them parsed, or raise ``DocumentInvalid``
    with every problem of every document. References may point to the registry (``known``) or to any
    document of the same set."""
    problems: list[Problem] = []
    structurally_valid: list[tuple[str, Any]] = []
    for name, data in named_data:
        errors = schema_errors(data)
        if errors:
            problems.extend(Problem(e.json_path, plain_schema_message(e), name, C.INVALID) for e in errors)
        else:
            structurally_valid.append((name, data))
    parsed: list[ParsedDocument] = []
    for name, data in structurally_valid:
        builder = EntityBuilder(name)
        parsed.append(builder.document(data))
        problems.extend(builder.problems)
    if problems:
        raise DocumentInvalid(problems)
    context = KnownCodes(**{k: _copy(v) for k, v in vars(known or KnownCodes()).items()})
    for doc in parsed:
        context.add_document(doc)
    for (name, data), doc in zip(structurally_valid, parsed):
        problems.extend(check_references(name, data, doc, context))
    if problems:
        raise DocumentInvalid(problems)
    return parsed


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: set(v) if isinstance(v, set) else v for k, v in value.items()}
    return set(value)

