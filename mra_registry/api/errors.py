"""Errors as data: every mutation payload carries `errors: [{field, message, code}]` with codes from one
enum, shared with the document loader's problem codes."""
from __future__ import annotations

from enum import Enum

import graphene
from graphql import GraphQLError

from ..interchange.problems import Problem, ProblemCode


class MutationErrorCodeValues(str, Enum):
    INVALID = ProblemCode.INVALID
    INVALID_DATE = ProblemCode.INVALID_DATE
    INVALID_DATE_RANGE = ProblemCode.INVALID_DATE_RANGE
    OVERLAPPING_INTERVAL = ProblemCode.OVERLAPPING_INTERVAL
    UNKNOWN_ECONOMY = ProblemCode.UNKNOWN_ECONOMY
    UNKNOWN_REFERENCE = ProblemCode.UNKNOWN_REFERENCE
    DUPLICATE_CODE = ProblemCode.DUPLICATE_CODE
    INCONSISTENT = ProblemCode.INCONSISTENT
    MALFORMED_JSON = ProblemCode.MALFORMED_JSON
    FIXTURE_OVERWRITE = ProblemCode.FIXTURE_OVERWRITE
    NOT_FOUND = "NOT_FOUND"
    ALREADY_EXISTS = "ALREADY_EXISTS"
    STALE_OBJECT = "STALE_OBJECT"
    INVALID_TRANSITION = "INVALID_TRANSITION"
    OUT_OF_ORDER = "OUT_OF_ORDER"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    INVALID_TOKEN = "INVALID_TOKEN"
    TOKEN_EXPIRED = "TOKEN_EXPIRED"
    TOKEN_REVOKED = "TOKEN_REVOKED"
    FORBIDDEN = "FORBIDDEN"
    SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"
    ACTIVITY_NOT_COVERED = "ACTIVITY_NOT_COVERED"  # a signatory status for an activity its arrangement does not cover


MutationErrorCode = graphene.Enum.from_enum(MutationErrorCodeValues, name="MutationErrorCode",
                                            description="Why a write was refused.")


class MutationError(graphene.ObjectType):
    field = graphene.String(description="The input field at fault (camelCase path), when one is.")
    message = graphene.String(required=True)
    code = graphene.Field(MutationErrorCode, required=True)


class WriteRefused(Exception):
    """Raised inside a write to refuse it; the transaction rolls back and the errors become data."""

    def __init__(self, *errors: tuple[str | None, str, str]):
        self.errors = [{"field": f, "message": msg, "code": MutationErrorCodeValues(c)} for f, msg, c in errors]
        super().__init__("; ".join(e["message"] for e in self.errors))


_FIELD_NAMES = {"from": "validFrom", "to": "validTo"}


def field_of(problem: Problem) -> str | None:
    """Map a document path ($.accreditationBodies[0].statuses[1].to) to the input field name (validTo)."""
    tail = problem.path.rsplit(".", 1)[-1]
    tail = tail.split("[", 1)[0]
    if tail in ("$", ""):
        return None
    return _FIELD_NAMES.get(tail, tail)


def from_problems(problems: list[Problem]) -> WriteRefused:
    return WriteRefused(*((field_of(p), p.message, p.code) for p in problems))


# Bad input values outside mutations' errors-as-data: one request error shape, whichever way the value arrives
# (written in the document or sent in a variable), before anything runs:
#   {"message": "input.exporter: 'XX' is not ...", "extensions": {"code": "BAD_USER_INPUT",
#    "reason": "UNKNOWN_ECONOMY", "field": "input.exporter"}}
# `field` is the value's path from the argument that holds it (`inputs[1].hsCode`); for a variable, from the
# argument the variable is passed to (else from the variable, `$lines[1].hsCode`).
BAD_USER_INPUT = "BAD_USER_INPUT"


class InputReason(str, Enum):
    UNKNOWN_ECONOMY = "UNKNOWN_ECONOMY"  # not an ISO 3166-1 alpha-2 code (CountryCode), nor a union's (PartyCode)
    INVALID_HS_CODE = "INVALID_HS_CODE"  # not 6 to 10 digits (HsCode, ClearanceInput.hsCode), 2 to 10 (HsPrefix)
    INVALID_DATE = "INVALID_DATE"  # not YYYY-MM-DD, or no such day (Date)
    INVALID_DATE_TIME = "INVALID_DATE_TIME"  # not ISO 8601 (DateTime)
    INVALID_ENUM_VALUE = "INVALID_ENUM_VALUE"  # not one of the enum's values


class BadInputValue(ValueError):
    """Raised by a domain scalar's parse_value: why the value is refused. Not a GraphQLError, so that
    graphql-core keeps it as the original error and its `extensions` (the reason) survive variable coercion."""

    def __init__(self, reason: InputReason, message: str):
        super().__init__(message)
        self.reason = InputReason(reason)
        self.message = message
        self.extensions = {"code": BAD_USER_INPUT, "reason": self.reason.value}


def bad_input(field: str | None, reason: InputReason | str, message: str, nodes=None) -> GraphQLError:
    """The request error for a bad input value at `field`."""
    extensions = {"code": BAD_USER_INPUT, "reason": InputReason(reason).value}
    if field:
        extensions["field"] = field
    return GraphQLError(f"{field}: {message}" if field else message, nodes, extensions=extensions)
