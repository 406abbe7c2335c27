"""Variable coercion compiled once per operation: graphql-core's `get_variable_values` without its per-value
type dispatch, for the values that coerce cleanly.

graphql-core coerces a request's variables by walking each value beside its type, asking at every node what
kind of type it is, building a `Path` per field and list item for error messages that are almost never
needed, and walking the value a second time first to guard its own recursion. For a cached document the
types do not change between requests, so a coercer is built once per variable type: a tree of small
functions that only read, parse and build the coerced value.

It is an optimisation, never a second semantics: it accepts only what graphql-core would coerce to the same
value, and says `None` (graphql-core then coerces, and words the errors) whenever a value is anything but
plainly right: a missing required variable or field, a null where the type says non-null, an unknown field,
a value a scalar or an enum refuses, or a single item given where a list goes (graphql-core reads it as a
list of one; rare enough not to copy). Types it does not compile (`@oneOf` inputs, nesting deeper than
MAX_TYPE_DEPTH) leave the whole operation to graphql-core.
"""
from __future__ import annotations

import datetime
import enum
from typing import Any, Callable, Collection

from graphql import (
    GraphQLEnumType,
    GraphQLID,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLString,
    Undefined,
    VariableDefinitionNode,
    is_input_type,
    value_from_ast,
)
from graphql.utilities import type_from_ast

Coerce = Callable[[Any], Any]
# Far below graphql-core's own guard (MAX_NESTING_DEPTH 200): a value can nest no deeper than its compiled type.
MAX_TYPE_DEPTH = 32


class Refused(Exception):
    """The value is not plainly right: graphql-core coerces it and words what is wrong."""


class Uncompilable(Exception):
    """A type this module does not compile: graphql-core coerces every request of the operation."""


def compile_variables(schema: GraphQLSchema,
                      definitions: Collection[VariableDefinitionNode]) -> Callable[[dict], dict | None]:
    """A function from the raw variables to graphql-core's coerced ones, or None when graphql-core must do it.
    Raises Uncompilable when the operation's variable types are beyond this module."""
    plans = []
    for definition in definitions:
        name = definition.variable.name.value
        type_ = type_from_ast(schema, definition.type)
        if type_ is None or not is_input_type(type_):
            raise Uncompilable(f"variable ${name} has no input type")
        default = Undefined
        if definition.default_value is not None:
            default = value_from_ast(definition.default_value, type_)
            if default is Undefined:
                raise Uncompilable(f"the default of ${name}")
        plans.append((name, _coercer(type_, 0), default, isinstance(type_, GraphQLNonNull)))

    def coerce_variables(raw: dict) -> dict | None:
        coerced: dict[str, Any] = {}
        try:
            for name, coerce, default, required in plans:
                if name in raw:
                    coerced[name] = coerce(raw[name])
                elif default is not Undefined:
                    coerced[name] = default
                elif required:
                    return None
        except Refused:
            return None
        return coerced

    return coerce_variables


def _coercer(type_: GraphQLInputType, depth: int) -> Coerce:
    if depth > MAX_TYPE_DEPTH:
        raise Uncompilable("input types nested too deeply")
    if isinstance(type_, GraphQLNonNull):
        if isinstance(type_.of_type, GraphQLInputObjectType):  # the null check inside its generated function
            return _input_object(type_.of_type, depth, refuse_null=True)
        return _non_null(_coercer(type_.of_type, depth))
    if isinstance(type_, GraphQLList):
        item_type = type_.of_type.of_type if isinstance(type_.of_type, GraphQLNonNull) else type_.of_type
        return _list(_coercer(type_.of_type, depth + 1), _PARSED_AS_IS.get(item_type))
    if isinstance(type_, GraphQLInputObjectType):
        return _input_object(type_, depth)
    if isinstance(type_, (GraphQLScalarType, GraphQLEnumType)):
        return _leaf(type_.parse_value)
    raise Uncompilable(f"input type {type_}")


def _non_null(inner: Coerce) -> Coerce:
    def coerce_non_null(value: Any) -> Any:
        if value is None:
            raise Refused
        return inner(value)
    return coerce_non_null


def _list(item: Coerce, as_is: type | None = None) -> Coerce:
    def coerce_list(value: Any) -> Any:
        if value is None:
            return None
        if type(value) is not list:  # JSON gives lists; a single item stands for a list of it: graphql-core's case
            raise Refused
        if as_is is not None:  # items that are their own coerced value (texts where strings go): no call for them
            return [element if type(element) is as_is else item(element) for element in value]
        return [item(element) for element in value]
    return coerce_list


def _input_object(type_: GraphQLInputObjectType, depth: int, refuse_null: bool = False) -> Coerce:
    """One generated function per input type: each field's steps written out in turn (a leaf's remembered texts read
    inline), in place of a loop over the fields calling a non-null check and a leaf's coercer per field. A request's
    input has a dozen leaves or so, and each call was a good part of coercing it."""
    if type_.is_one_of:
        raise Uncompilable(f"@oneOf input {type_.name}")
    namespace: dict[str, Any] = {"Refused": Refused, "Undefined": Undefined, "dict": dict, "type": type,
                                 "str": str, "known": frozenset(type_.fields), "out_type": type_.out_type}
    lines = ["def coerce_input_object(value):",
             "    if value is None:",
             "        raise Refused" if refuse_null else "        return None",
             "    if type(value) is not dict or not known.issuperset(value):",
             "        raise Refused",
             "    coerced = {}"]
    for index, (name, field) in enumerate(type_.fields.items()):
        namespace[f"name_{index}"], namespace[f"out_{index}"] = name, field.out_name or name
        non_null = isinstance(field.type, GraphQLNonNull)
        inner = field.type.of_type if non_null else field.type
        lines += [f"    value_{index} = value.get(name_{index}, Undefined)",
                  f"    if value_{index} is not Undefined:"]
        if isinstance(inner, (GraphQLScalarType, GraphQLEnumType)):
            if depth + 1 > MAX_TYPE_DEPTH:  # as _coercer refuses any type that deep
                raise Uncompilable("input types nested too deeply")
            leaf = _leaf(inner.parse_value)
            namespace[f"leaf_{index}"], namespace[f"remembered_{index}"] = leaf, leaf.remembered  # type: ignore
            lines += [f"        if value_{index} is None:",
                      "            raise Refused" if non_null else f"            coerced[out_{index}] = None"]
            if _PARSED_AS_IS.get(inner) is str:  # a text where a string goes is its own coerced value
                lines += [f"        elif type(value_{index}) is str:",
                          f"            coerced[out_{index}] = value_{index}"]
            lines += ["        else:",  # (one look-up: another thread may clear what is remembered)
                      f"            found = remembered_{index}.get(value_{index}, Undefined) "
                      f"if type(value_{index}) is str else Undefined",
                      f"            coerced[out_{index}] = found if found is not Undefined "
                      f"else leaf_{index}(value_{index})"]
        else:
            namespace[f"coerce_{index}"] = _coercer(field.type, depth + 1)
            lines.append(f"        coerced[out_{index}] = coerce_{index}(value_{index})")
        if field.default_value is not Undefined:
            namespace[f"default_{index}"] = field.default_value
            lines += ["    else:", f"        coerced[out_{index}] = default_{index}"]
        elif non_null:
            lines += ["    else:", "        raise Refused"]
    lines.append("    return out_type(coerced)")
    exec(compile("\n".join(lines), f"<coercion of {type_.name}>", "exec"), namespace)
    return namespace["coerce_input_object"]


# Built-in scalars whose parse_value returns a value of exactly this Python type unchanged.
_PARSED_AS_IS = {GraphQLString: str, GraphQLID: str}

# A leaf's short texts already parsed, per leaf type: the same codes and dates come request after request. Only
# immutable results are kept (the same object is handed to every request that sends the text), and a scalar's
# parse_value is taken to depend on the text alone (the schema's scalars check its form only).
_REMEMBERED_TEXTS, _REMEMBERED_LENGTH = 4096, 40
_IMMUTABLE_RESULTS = (str, int, float, bool, datetime.date, datetime.datetime, enum.Enum)


def _leaf(parse: Callable[[Any], Any]) -> Coerce:
    remembered: dict[str, Any] = {}

    def coerce_leaf(value: Any) -> Any:
        if value is None:
            return None
        text = type(value) is str
        if text:
            known = remembered.get(value, Undefined)
            if known is not Undefined:
                return known
        try:
            parsed = parse(value)
        except Exception:
            raise Refused from None
        if parsed is Undefined:
            raise Refused
        if text and len(value) <= _REMEMBERED_LENGTH and isinstance(parsed, _IMMUTABLE_RESULTS):
            if len(remembered) >= _REMEMBERED_TEXTS:
                remembered.clear()
            remembered[value] = parsed
        return parsed
    coerce_leaf.remembered = remembered  # type: ignore[attr-defined]  # input objects read it inline
    return coerce_leaf
