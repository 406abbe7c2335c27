"""Text inputs, checked before anything runs: no string a client sends (an argument written in the document or
a variable, in a query or a mutation, at any depth of an input object) may hold a control character (Unicode
category Cc, U+0000-U+001F and U+007F-U+009F), except tab and newline in free text (`message`, `note`). A refusal
is a request error with code BAD_USER_INPUT and `extensions.field`, the path of the value (`input.provenance.note`,
or `$input.provenance.sources[1]` for a variable); nothing runs, so nothing is stored.

Length is a problem of the write, as a text longer than its column always was: a mutation refuses a `message`,
a provenance `note` or one of its `sources` over its limit (store/lengths.py) as data, INVALID with the field,
and names, codes and the rest by their columns through the loader.

A registry document sent to `registryDocumentLoad` is JSON text (where newlines are formatting): its decoded
values are checked by the loader with the same rules (store/lengths.py), as every write is."""
from __future__ import annotations

from typing import Any, Iterator

from graphql import GraphQLError, ValidationRule
from graphql.language import (
    FieldNode,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    StringValueNode,
    ValueNode,
)

from ..store.lengths import FREE_TEXT, MESSAGE_MAX, NOTE_MAX, SOURCE_MAX, control_character

CODE = "BAD_USER_INPUT"
LIMITS = {"message": MESSAGE_MAX, "note": NOTE_MAX, "sources": SOURCE_MAX}
# JSON text checked after decoding, by the loader
UNCHECKED = frozenset({"document"})


def refusal(text: str, key: str | None, lengths: bool = False) -> str | None:
    """Why ``text``, sent as ``key``, is refused (with ``lengths``, also for its length); None when it is fine."""
    found = control_character(text, free_text=key in FREE_TEXT)
    if found:
        allowed = " (tab and newline are allowed in free text)" if key in FREE_TEXT else ""
        return f"holds a control character ({found}){allowed}"
    limit = LIMITS.get(key or "") if lengths else None
    if limit is not None and len(text) > limit:
        return f"is {len(text)} characters long; at most {limit} are allowed"
    return None


def _error(where: str, why: str, node=None) -> GraphQLError:
    return GraphQLError(f"{where} {why}", node, extensions={"code": CODE, "field": where})


def _literal_refusals(value: ValueNode, path: str, key: str) -> Iterator[tuple[str, str, ValueNode]]:
    if key in UNCHECKED:
        return
    if isinstance(value, StringValueNode):
        why = refusal(value.value, key)
        if why:
            yield path, why, value
    elif isinstance(value, ListValueNode):
        for index, item in enumerate(value.values):
            yield from _literal_refusals(item, f"{path}[{index}]", key)
    elif isinstance(value, ObjectValueNode):
        for field in value.fields:
            yield from _literal_refusals(field.value, f"{path}.{field.name.value}", field.name.value)


def text_input_rule() -> type[ValidationRule]:
    class TextInputs(ValidationRule):
        def enter_field(self, node: FieldNode, *_: Any) -> None:
            for argument in node.arguments or ():
                name = argument.name.value
                for where, why, value in _literal_refusals(argument.value, name, name):
                    self.report_error(_error(where, why, value))

    return TextInputs


def _variable_refusals(value: Any, path: str, key: str | None, lengths: bool = False) -> Iterator[tuple[str, str]]:
    if key in UNCHECKED:
        return
    if isinstance(value, str):
        why = refusal(value, key, lengths)
        if why:
            yield path, why
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _variable_refusals(item, f"{path}[{index}]", key, lengths)
    elif isinstance(value, dict):
        for child_key, item in value.items():
            yield from _variable_refusals(item, f"{path}.{child_key}", str(child_key), lengths)


def _any_refused(value: Any, key: str | None) -> bool:
    """Whether `_variable_refusals` would find anything, without building a path per value (the common case)."""
    if key in UNCHECKED:
        return False
    if isinstance(value, str):
        # a printable text holds no control character (Cc is never printable): the regular expression is for the rest
        return not value.isprintable() and control_character(value, free_text=key in FREE_TEXT) is not None
    if isinstance(value, list):
        for item in value:
            if item is not None and _any_refused(item, key):
                return True
    elif isinstance(value, dict):
        for child_key, item in value.items():
            if item is not None and _any_refused(item, str(child_key)):
                return True
    return False


def variable_text_refusals(operation: OperationDefinitionNode, variables: dict[str, Any] | None) -> list[GraphQLError]:
    """One error per string in the variables that may not be sent (a variable is checked by its own name and
    the names of the input fields that hold the string)."""
    if not variables or not any(_any_refused(value, name) for name, value in variables.items()):
        return []
    return [_error(where, why) for name, value in variables.items()
            for where, why in _variable_refusals(value, f"${name}", name)]


def input_text_refusals(data: Any, path: str = "input") -> list[tuple[str, str]]:
    """A mutation's own check of its coerced input (snake_case keys): control characters (for writes that did not
    come through the transport's checks) and free-text lengths: (camelCase path, why)."""
    return list(_variable_refusals(_camel(data), path, path, lengths=True))


def _camel(value: Any) -> Any:
    if isinstance(value, dict):
        return {_camel_key(str(k)): _camel(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_camel(v) for v in value]
    return value


def _camel_key(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)
