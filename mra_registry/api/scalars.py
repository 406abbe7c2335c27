"""Domain scalars: values are checked where they enter, so resolvers only see well-formed ones."""
from __future__ import annotations

import datetime as dt

import graphene
from graphql import GraphQLError
from graphql.language import ast

from ..domain.economies import is_country


def _literal_string(node, kind: str) -> str:
    if not isinstance(node, ast.StringValueNode):
        raise GraphQLError(f"{kind} must be a string", node)
    return node.value


def _parse_literal(scalar, node, kind: str):
    """A literal in the document: the same check as a variable's value, with the literal's location attached
    (graphql-core reports a GraphQLError from parse_literal as it is, so it would have none)."""
    try:
        return scalar.parse_value(_literal_string(node, kind))
    except GraphQLError as error:
        raise GraphQLError(error.message, node) from None


class CountryCode(graphene.Scalar):
    """An economy: ISO 3166-1 alpha-2 code, upper case (e.g. `FR`, `NZ`)."""

    @staticmethod
    def serialize(value: str) -> str:
        return value

    @staticmethod
    def parse_value(value) -> str:
        if not isinstance(value, str) or not is_country(value):
            raise GraphQLError(f"{value!r} is not an ISO 3166-1 alpha-2 country code")
        return value

    @classmethod
    def parse_literal(cls, node, _variables=None) -> str:
        return _parse_literal(cls, node, "CountryCode")


class PartyCode(graphene.Scalar):
    """An economy (ISO 3166-1 alpha-2) or a union's code (`EU`)."""

    @staticmethod
    def serialize(value: str) -> str:
        return value

    @staticmethod
    def parse_value(value) -> str:
        if not isinstance(value, str) or not (value.isascii() and value.isalpha() and value.isupper() and 2 <= len(value) <= 16):
            raise GraphQLError(f"{value!r} is not an economy or union code")
        return value

    @classmethod
    def parse_literal(cls, node, _variables=None) -> str:
        return _parse_literal(cls, node, "PartyCode")


class Date(graphene.Scalar):
    """A calendar date, ISO 8601 (`2026-01-01`)."""

    @staticmethod
    def serialize(value: dt.date) -> str:
        return value.isoformat()

    @staticmethod
    def parse_value(value) -> dt.date:
        if not isinstance(value, str) or len(value) != 10:
            raise GraphQLError(f"{value!r} is not a date in the form YYYY-MM-DD")
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise GraphQLError(f"{value!r} is not a real calendar date") from None

    @classmethod
    def parse_literal(cls, node, _variables=None) -> dt.date:
        return _parse_literal(cls, node, "Date")


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
            raise GraphQLError(f"{value!r} is not an ISO 8601 date-time") from None

    @classmethod
    def parse_literal(cls, node, _variables=None) -> dt.datetime:
        return _parse_literal(cls, node, "DateTime")


class HsCode(graphene.Scalar):
    """A Harmonized System code of 6 to 10 digits (a national tariff line extends the 6-digit subheading)."""

    @staticmethod
    def serialize(value: str) -> str:
        return value

    @staticmethod
    def parse_value(value) -> str:
        if not isinstance(value, str) or not (value.isdigit() and value.isascii() and 6 <= len(value) <= 10):
            raise GraphQLError(f"{value!r} is not an HS code of 6 to 10 digits")
        return value

    @classmethod
    def parse_literal(cls, node, _variables=None) -> str:
        return _parse_literal(cls, node, "HsCode")


class HsPrefix(graphene.Scalar):
    """A prefix of HS codes, 2 to 10 digits (`04`, `0406`, `30049092`)."""

    @staticmethod
    def serialize(value: str) -> str:
        return value

    @staticmethod
    def parse_value(value) -> str:
        if not isinstance(value, str) or not (value.isdigit() and value.isascii() and 2 <= len(value) <= 10):
            raise GraphQLError(f"{value!r} is not an HS prefix of 2 to 10 digits")
        return value

    @classmethod
    def parse_literal(cls, node, _variables=None) -> str:
        return _parse_literal(cls, node, "HsPrefix")
