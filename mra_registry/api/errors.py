"""Errors as data: every mutation payload carries `errors: [{field, message, code}]` with codes from one
enum, shared with the document loader's problem codes."""
from __future__ import annotations

from enum import Enum

import graphene

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
