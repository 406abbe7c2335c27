"""Bad input values, one error whichever way they arrive (api/errors.py: BAD_USER_INPUT with `reason` and
`field`), before anything runs:

- written in the document: the validation rule below records the path of every literal inside each argument
  (and each variable's default) so that the domain scalars' parse_literal and the enums, checked by graphql-core's
  own rule, name the field at fault; it checks the fixed core's `ClearanceInput.hsCode` (a String, API.md) itself;
- sent in a variable: `variable_value_refusals` walks each variable's value with its declared type and refuses
  what the domain scalars, the enums and `ClearanceInput.hsCode` refuse, with the path from the argument the
  variable is passed to (`input.exporter`), so a client reads the same field either way.

Anything else wrong with a variable (a missing required field, a number where a string goes) is left to
graphql-core's coercion, which the transport reports as BAD_USER_INPUT without a reason."""
from __future__ import annotations

from typing import Any, Callable, Iterator

from graphql import (
    GraphQLEnumType,
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    GraphQLSchema,
    Undefined,
    ValidationRule,
    print_ast,
)
from graphql.language import (
    ArgumentNode,
    DocumentNode,
    EnumValueNode,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    StringValueNode,
    ValueNode,
    VariableDefinitionNode,
    VariableNode,
    Visitor,
    visit,
)
from graphql.utilities import type_from_ast

from .errors import BadInputValue, InputReason, bad_input
from .scalars import LITERAL_PATHS, HsCode, literal_path

# Input fields typed String whose values are checked as a domain scalar (the fixed core keeps hsCode a String).
CHECKED_FIELDS: dict[tuple[str, str], Callable[[Any], Any]] = {("ClearanceInput", "hsCode"): HsCode.parse_value}
_ENUMS_PATCHED = "_mra_structured_enums"


def _unwrap(type_):
    return type_.of_type if isinstance(type_, GraphQLNonNull) else type_


def _literals(value: ValueNode, type_: GraphQLInputType | None, path: str,
              check: Callable[[Any], Any] | None = None) -> Iterator[tuple[ValueNode, str, GraphQLError | None]]:
    """Every value node under `value` with its path, and the error of a String checked as a domain scalar."""
    error = None
    if check is not None and isinstance(value, StringValueNode):
        try:
            check(value.value)
        except BadInputValue as refused:
            error = bad_input(path, refused.reason, refused.message, value)
    yield value, path, error
    type_ = _unwrap(type_)
    if isinstance(type_, GraphQLList) and not isinstance(value, ListValueNode):
        type_ = _unwrap(type_.of_type)  # one item given where a list goes: it is read as the list of it
    if isinstance(value, ListValueNode):
        item_type = type_.of_type if isinstance(type_, GraphQLList) else None
        for index, item in enumerate(value.values):
            yield from _literals(item, item_type, f"{path}[{index}]")
    elif isinstance(value, ObjectValueNode):
        fields = type_.fields if isinstance(type_, GraphQLInputObjectType) else {}
        for field in value.fields:
            name = field.name.value
            definition = fields.get(name)
            yield from _literals(field.value, definition.type if definition else None, f"{path}.{name}",
                                 CHECKED_FIELDS.get((type_.name, name)) if definition else None)


def structured_enums(schema: GraphQLSchema) -> None:
    """Make every enum of the schema refuse an unknown literal with the structured error (graphql-core's own rule
    then reports it as it is), once per schema."""
    if getattr(schema, _ENUMS_PATCHED, False):
        return
    for type_ in schema.type_map.values():
        if isinstance(type_, GraphQLEnumType) and not type_.name.startswith("__"):
            type_.parse_literal = _enum_literal(type_)
    setattr(schema, _ENUMS_PATCHED, True)


def _enum_literal(enum: GraphQLEnumType):
    parse = type(enum).parse_literal

    def parse_literal(node, variables=None, *more):
        try:
            result = parse(enum, node, variables, *more)
        except GraphQLError:
            result = Undefined
        if result is Undefined and not isinstance(node, VariableNode):
            raise bad_input(literal_path(node), InputReason.INVALID_ENUM_VALUE,
                            f"{_shown(node)} is not one of {enum.name}'s values ({_names(enum)})", node)
        return result
    return parse_literal


def _shown(node) -> str:
    """The value as a variable's would be shown (an enum literal's name quoted like a string)."""
    return repr(node.value) if isinstance(node, EnumValueNode) else print_ast(node)


def _names(enum: GraphQLEnumType) -> str:
    names = list(enum.values)
    return ", ".join(names[:12]) + (", ..." if len(names) > 12 else "")


def input_value_rule() -> type[ValidationRule]:
    class InputValues(ValidationRule):
        def __init__(self, context):
            super().__init__(context)
            structured_enums(context.schema)
            self.paths: dict[int, tuple[ValueNode, str]] = {}
            self.token = None

        def enter_document(self, *_):
            self.token = LITERAL_PATHS.set(self.paths)

        def leave_document(self, *_):
            if self.token is not None:
                LITERAL_PATHS.reset(self.token)
                self.token = None

        def _record(self, value: ValueNode, type_, path: str) -> None:
            for node, where, error in _literals(value, type_, path):
                self.paths[id(node)] = (node, where)
                if error is not None:
                    self.report_error(error)

        def enter_argument(self, node: ArgumentNode, *_):
            definition = self.context.get_argument()
            self._record(node.value, definition.type if definition else None, node.name.value)

        def enter_variable_definition(self, node: VariableDefinitionNode, *_):
            if node.default_value is not None:
                self._record(node.default_value, type_from_ast(self.context.schema, node.type),
                             f"${node.variable.name.value}")

    return InputValues


def _variable_usages(document: DocumentNode) -> dict[str, str]:
    """Variable name -> the path of the first argument value it is passed as (`inputs`, `input.exporter`)."""
    usages: dict[str, str] = {}

    class Usages(Visitor):
        def enter_argument(self, node: ArgumentNode, *_):
            for value, path in _variable_nodes(node.value, node.name.value):
                usages.setdefault(value.name.value, path)

    visit(document, Usages())
    return usages


def _variable_nodes(value: ValueNode, path: str) -> Iterator[tuple[VariableNode, str]]:
    if isinstance(value, VariableNode):
        yield value, path
    elif isinstance(value, ListValueNode):
        for index, item in enumerate(value.values):
            yield from _variable_nodes(item, f"{path}[{index}]")
    elif isinstance(value, ObjectValueNode):
        for field in value.fields:
            yield from _variable_nodes(field.value, f"{path}.{field.name.value}")


_DECLARED: dict[int, tuple[VariableDefinitionNode, Any]] = {}  # id(definition) -> (it, kept alive; its type)


def declared_type(schema: GraphQLSchema, definition: VariableDefinitionNode):
    """A variable's declared type, looked up once per definition of a cached document (not once per request)."""
    known = _DECLARED.get(id(definition))
    if known is not None and known[0] is definition:
        return known[1]
    type_ = type_from_ast(schema, definition.type)
    if len(_DECLARED) >= 4096:
        _DECLARED.clear()
    _DECLARED[id(definition)] = (definition, type_)
    return type_


def variable_value_refusals(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode,
                            variables: dict[str, Any] | None) -> list[GraphQLError]:
    """One error per bad value of a domain scalar, an enum or a checked field in the variables."""
    if not variables or not operation.variable_definitions:
        return []
    usages = None
    errors: list[GraphQLError] = []
    for definition in operation.variable_definitions:
        name = definition.variable.name.value
        if name not in variables:
            continue
        type_ = declared_type(schema, definition)
        if not _any_refused(variables[name], type_, None):
            continue  # the common case, without building a path per value
        found = list(_refusals(variables[name], type_, None))
        if found:
            usages = usages if usages is not None else _variable_usages(document)
            root = usages.get(name, f"${name}")
            errors += [bad_input(root + tail, reason, message, definition) for tail, reason, message in found]
    return errors


def _any_refused(value: Any, type_, check: Callable[[Any], Any] | None) -> bool:
    """Whether `_refusals` would find anything: the same walk without the paths, compiled once per type."""
    checker = _checker(type_, check)
    return checker is not None and value is not None and checker(value)


Checker = Callable[[Any], bool]  # called with a value that is not None
_NAMED_CHECKERS: dict[int, tuple[Any, Checker | None]] = {}  # id(named type) -> (the type, kept alive; its checker)


def _checker(type_, check: Callable[[Any], Any] | None = None, depth: int = 0) -> Checker | None:
    """A function telling whether a (non-null) value of `type_` holds a refusal; None when nothing under the type
    can be refused (built-in scalars, and inputs made only of them)."""
    if check is not None:
        return _refused_by(check)
    if type_ is None:
        return None
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    if isinstance(type_, GraphQLList):
        item = _checker(type_.of_type, None, depth + 1)
        return None if item is None else _list_checker(item)
    known = _NAMED_CHECKERS.get(id(type_))
    if known is not None and known[0] is type_:
        return known[1]
    if depth > 16:  # an input type nested this deep (or referring to itself): walked, not compiled
        return lambda value: any_value_refused(value, type_)
    if isinstance(type_, GraphQLInputObjectType):
        fields = tuple((name, checker) for name, field in type_.fields.items()
                       if (checker := _checker(field.type, CHECKED_FIELDS.get((type_.name, name)), depth + 1)))
        checker = _object_checker(fields) if fields else None
    elif isinstance(type_, GraphQLEnumType):
        values = type_.values
        checker = lambda value: not isinstance(value, str) or value not in values  # noqa: E731
    elif isinstance(type_, GraphQLScalarType) and type_.name not in BUILT_IN_SCALARS:
        checker = _refused_by(type_.parse_value)
    else:  # a built-in scalar never refuses with a reason: graphql-core words its own refusals
        checker = None
    _NAMED_CHECKERS[id(type_)] = (type_, checker)
    return checker


BUILT_IN_SCALARS = frozenset({"String", "Int", "Float", "Boolean", "ID"})


def _refused_by(parse: Callable[[Any], Any]) -> Checker:
    def refused(value: Any) -> bool:
        try:
            parse(value)
        except BadInputValue:
            return True
        except (GraphQLError, TypeError, ValueError):
            return False
        return False
    return refused


def _list_checker(item: Checker) -> Checker:
    def refused(value: Any) -> bool:
        if not isinstance(value, list):
            return item(value)
        for element in value:
            if element is not None and item(element):
                return True
        return False
    return refused


def _object_checker(fields: tuple[tuple[str, Checker], ...]) -> Checker:
    def refused(value: Any) -> bool:
        if not isinstance(value, dict):
            return False
        for name, checker in fields:
            field_value = value.get(name)
            if field_value is not None and checker(field_value):
                return True
        return False
    return refused


def any_value_refused(value: Any, type_) -> bool:
    """Whether the values walk finds anything in ``value`` sent where ``type_`` goes (not compiled: for the rare
    input nested too deep to compile)."""
    return any(True for _ in _refusals(value, type_, None))


def _refusals(value: Any, type_, check: Callable[[Any], Any] | None, tail: str = "") -> Iterator[tuple[str, str, str]]:
    if value is None or type_ is None:
        return
    type_ = _unwrap(type_)
    if check is not None:
        try:
            check(value)
        except BadInputValue as refused:
            yield tail, refused.reason, refused.message
        return
    if isinstance(type_, GraphQLList):
        if isinstance(value, list):
            for index, item in enumerate(value):
                yield from _refusals(item, type_.of_type, None, f"{tail}[{index}]")
        else:
            yield from _refusals(value, type_.of_type, None, tail)
    elif isinstance(type_, GraphQLInputObjectType):
        if isinstance(value, dict):
            for name, field in type_.fields.items():
                if name in value:
                    yield from _refusals(value[name], field.type, CHECKED_FIELDS.get((type_.name, name)),
                                         f"{tail}.{name}")
    elif isinstance(type_, GraphQLEnumType):
        if not isinstance(value, str) or value not in type_.values:
            yield tail, InputReason.INVALID_ENUM_VALUE, f"{value!r} is not one of {type_.name}'s values ({_names(type_)})"
    elif isinstance(type_, GraphQLScalarType):
        try:
            type_.parse_value(value)
        except BadInputValue as refused:
            yield tail, refused.reason, refused.message
        except (GraphQLError, TypeError, ValueError):
            pass  # a built-in scalar's refusal: graphql-core reports it
