"""Domain scalars: values are checked where they enter, so resolvers only see well-formed ones.

A bad value is refused the same way whether it is written in the document or sent in a variable: a request error
with `extensions.code` BAD_USER_INPUT, `extensions.reason` (UNKNOWN_ECONOMY, INVALID_HS_CODE, INVALID_DATE,
INVALID_DATE_TIME; INVALID_ENUM_VALUE for enums) and `extensions.field`, the value's path (api/errors.py,
api/input_values.py). parse_value raises BadInputValue (graphql-core keeps its reason as the original error);
parse_literal raises the finished error, with the path the input-values rule recorded for the literal."""
from __future__ import annotations

import datetime as dt
from contextvars import ContextVar
from typing import Any

import graphene
from graphql import print_ast, value_from_ast_untyped
from graphql.language import ast

from ..domain.economies import is_country
from .errors import BadInputValue, InputReason, bad_input

# id(value node) -> (the node, its path from its argument): filled by the input-values validation rule for the
# document being validated, read by parse_literal to name the field at fault.
LITERAL_PATHS: ContextVar[dict[int, tuple[ast.Node, str]]] = ContextVar("literal_paths", default={})


def literal_path(node) -> str | None:
    entry = LITERAL_PATHS.get().get(id(node))
    return entry[1] if entry is not None and entry[0] is node else None


def _parse_literal(scalar, node, reason: InputReason):
    """A literal in the document: the same check as a variable's value, as the same error, with the literal's
    location and path attached (graphql-core reports a GraphQLError from parse_literal as it is)."""
    try:
        if not isinstance(node, ast.StringValueNode):
            raise BadInputValue(reason, f"{print_ast(node)} is not a string")
        return scalar.parse_value(node.value)
    except BadInputValue as error:
        raise bad_input(literal_path(node), error.reason, error.message, node) from None


class CountryCode(graphene.Scalar):
    """An economy: ISO 3166-1 alpha-2 code, upper case (e.g. `FR`, `NZ`)."""

    @staticmethod
    def serialize(value: str) -> str:
        return value

    @staticmethod
    def parse_value(value) -> str:
        if not isinstance(value, str) or not is_country(value):
            hint = " (the United Kingdom is GB)" if value == "UK" else ""
            raise BadInputValue(InputReason.UNKNOWN_ECONOMY,
                                f"{value!r} is not an ISO 3166-1 alpha-2 country code{hint}")
        return value

    @classmethod
    def parse_literal(cls, node, _variables=None) -> str:
        return _parse_literal(cls, node, InputReason.UNKNOWN_ECONOMY)


class PartyCode(graphene.Scalar):
    """An economy (ISO 3166-1 alpha-2) or a union's code (`EU`)."""

    @staticmethod
    def serialize(value: str) -> str:
        return value

    @staticmethod
    def parse_value(value) -> str:
        if not isinstance(value, str) or not (value.isascii() and value.isalpha() and value.isupper() and 2 <= len(value) <= 16):
            raise BadInputValue(InputReason.UNKNOWN_ECONOMY, f"{value!r} is not an economy or union code")
        return value

    @classmethod
    def parse_literal(cls, node, _variables=None) -> str:
        return _parse_literal(cls, node, InputReason.UNKNOWN_ECONOMY)


def serialized_by_value(*types: type):
    """Marks a serialiser whose answer, for a value of exactly one of `types` (immutable, hashable, and whose equal
    values serialise alike: not so a datetime, whose equal instants in two time zones do not), depends on the value
    alone: the planned execution remembers its recent answers (web/planned_execution.py)."""
    def mark(serialize):
        serialize.serialized_by_value = types
        return serialize
    return mark


class Date(graphene.Scalar):
    """A calendar date, ISO 8601 (`2026-01-01`)."""

    @staticmethod
    @serialized_by_value(dt.date)  # a datetime given here is serialised each time
    def serialize(value: dt.date) -> str:
        return value.isoformat()

    @staticmethod
    def parse_value(value) -> dt.date:
        if not isinstance(value, str) or len(value) != 10:
            raise BadInputValue(InputReason.INVALID_DATE, f"{value!r} is not a date in the form YYYY-MM-DD")
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise BadInputValue(InputReason.INVALID_DATE, f"{value!r} is not a real calendar date") from None

    @classmethod
    def parse_literal(cls, node, _variables=None) -> dt.date:
        return _parse_literal(cls, node, InputReason.INVALID_DATE)


class DateTime(graphene.Scalar):
    """An instant, ISO 8601 with time zone."""

    @staticmethod
    def serialize(value: dt.datetime) -> str:
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.timezone.utc)
        return value.isoformat()

    @staticmethod
    def parse_value(value) -> dt.datetime:
        try:
            return dt.datetime.fromisoformat(value)
        except (TypeError, ValueError):
            raise BadInputValue(InputReason.INVALID_DATE_TIME, f"{value!r} is not an ISO 8601 date-time") from None

    @classmethod
    def parse_literal(cls, node, _variables=None) -> dt.datetime:
        return _parse_literal(cls, node, InputReason.INVALID_DATE_TIME)


class HsCode(graphene.Scalar):
    """A Harmonized System code of 6 to 10 digits (a national tariff line extends the 6-digit subheading)."""

    @staticmethod
    def serialize(value: str) -> str:
        return value

    @staticmethod
    def parse_value(value) -> str:
        if not isinstance(value, str) or not (value.isdigit() and value.isascii() and 6 <= len(value) <= 10):
            raise BadInputValue(InputReason.INVALID_HS_CODE,
                                f"{value!r} is not an HS code: give 6 to 10 digits, without dots or spaces")
        return value

    @classmethod
    def parse_literal(cls, node, _variables=None) -> str:
        return _parse_literal(cls, node, InputReason.INVALID_HS_CODE)


class HsPrefix(graphene.Scalar):
    """A prefix of HS codes, 2 to 10 digits (`04`, `0406`, `30049092`)."""

    @staticmethod
    def serialize(value: str) -> str:
        return value

    @staticmethod
    def parse_value(value) -> str:
        if not isinstance(value, str) or not (value.isdigit() and value.isascii() and 2 <= len(value) <= 10):
            raise BadInputValue(InputReason.INVALID_HS_CODE, f"{value!r} is not an HS prefix of 2 to 10 digits")
        return value

    @classmethod
    def parse_literal(cls, node, _variables=None) -> str:
        return _parse_literal(cls, node, InputReason.INVALID_HS_CODE)


class JSON(graphene.Scalar):
    """Any JSON value (object, list, string, number, boolean or null), as itself: not JSON text in a string."""

    @staticmethod
    def serialize(value: Any) -> Any:
        return value

    @staticmethod
    def parse_value(value: Any) -> Any:
        return value

    @staticmethod
    def parse_literal(node, _variables=None) -> Any:
        return value_from_ast_untyped(node, _variables)


__all__ = ["CountryCode", "PartyCode", "Date", "DateTime", "HsCode", "HsPrefix", "JSON"]
