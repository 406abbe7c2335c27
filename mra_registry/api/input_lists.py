"""Input list sizes: no list a client sends (tests of an attestation, HS prefixes of a policy, scope items...)
may hold more than `max_input_list` items, whether it is written in the document (checked with the rest of
validation) or passed in a variable (checked per request, before anything runs). The lines of a `clearances`
batch have their own limit (`max_batch`, BATCH_TOO_LARGE); the lists inside each line do not."""
from __future__ import annotations

from typing import Any, Iterator

from graphql import GraphQLError, ValidationRule
from graphql.language import (
    FieldNode,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    ValueNode,
    VariableNode,
    Visitor,
    visit,
)

CODE = "INPUT_LIST_TOO_LONG"
BATCH_FIELD, BATCH_ARGUMENT = "clearances", "inputs"


def _too_long(where: str, size: int, limit: int, node=None) -> GraphQLError:
    return GraphQLError(f"{where} holds {size} items; the limit is {limit}", node,
                        extensions={"code": CODE, "limit": limit})


def _literal_lists(value: ValueNode, batch: bool = False) -> Iterator[ListValueNode]:
    """The lists written in an argument value; a batch's own list is not one of them, its lines' lists are."""
    if isinstance(value, ListValueNode):
        if not batch:
            yield value
        for item in value.values:
            yield from _literal_lists(item)
    elif isinstance(value, ObjectValueNode):
        for field in value.fields:
            yield from _literal_lists(field.value)


def input_list_rule(limit: int) -> type[ValidationRule]:
    class InputListSizes(ValidationRule):
        def enter_field(self, node: FieldNode, *_: Any) -> None:
            for argument in node.arguments or ():
                batch = node.name.value == BATCH_FIELD and argument.name.value == BATCH_ARGUMENT
                for listed in _literal_lists(argument.value, batch):
                    if len(listed.values) > limit:
                        self.report_error(_too_long(f"a list in argument '{argument.name.value}'",
                                                    len(listed.values), limit, listed))

    return InputListSizes


class _BatchVariables(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def enter_field(self, node: FieldNode, *_: Any) -> None:
        if node.name.value != BATCH_FIELD:
            return
        for argument in node.arguments or ():
            if argument.name.value == BATCH_ARGUMENT and isinstance(argument.value, VariableNode):
                self.names.add(argument.value.name.value)


def batch_variables(operation: OperationDefinitionNode) -> set[str]:
    """The variables passed as a `clearances` batch: their own list is limited by `max_batch`, not by this."""
    batches = _BatchVariables()
    visit(operation, batches)
    return batches.names


def _long_lists(value: Any, where: str, limit: int, batch: bool = False) -> Iterator[tuple[str, int]]:
    if isinstance(value, list):
        if not batch and len(value) > limit:
            yield where, len(value)
            return
        for index, item in enumerate(value):
            yield from _long_lists(item, f"{where}[{index}]", limit)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _long_lists(item, f"{where}.{key}", limit)


def _any_long(value: Any, limit: int) -> bool:
    """Whether `_long_lists` would find a list (a batch's own counted too), without building a path per value."""
    if isinstance(value, list):
        if len(value) > limit:
            return True
        items = value
    elif isinstance(value, dict):
        items = value.values()
    else:
        return False
    for item in items:
        if isinstance(item, (list, dict)) and _any_long(item, limit):
            return True
    return False


def variable_list_refusals(operation: OperationDefinitionNode, variables: dict[str, Any] | None,
                           limit: int) -> list[GraphQLError]:
    """One error per list in the variables that is longer than ``limit`` (a batch's lines excepted)."""
    if not variables or not any(_any_long(value, limit) for value in variables.values()):
        return []  # the common case, without walking the document to find which variable is a batch
    batches = batch_variables(operation)
    return [_too_long(f"variable ${where}", size, limit)
            for name, value in variables.items()
            for where, size in _long_lists(value, name, limit, batch=name in batches)]
