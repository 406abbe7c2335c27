"""Errors as data: every mutation payload carries `errors: [{field, message, code}]` with codes from one
enum, shared with the document loader's problem codes.

`field` is the offending value's camelCase path from the mutation's argument, with list indexes: `input.code`,
`input.scope[1].identifier`, `input.requirements[0].routes[1].list`, `input.document.arrangements[2].sectors[0].code`
(the same convention as a bad input value's `extensions.field` below); null when the problem concerns the whole
input or no value of it (a missing token, a write not allowed, the database unavailable). A write is checked as a
registry document (store/writes.py renders the entity it writes), so a document problem's path
(`$.accreditationBodies[0].statuses[3].to`) is mapped onto the input by the mutation's `InputPaths`: which document
path the input (or `input.document`) stands for, and how document keys are named in the input (`from` ->
`validFrom`); a path naming no field of the input type is null, never a guess."""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field as dataclass_field
from enum import Enum

import graphene
from graphql import GraphQLError, GraphQLInputObjectType, GraphQLInputType, GraphQLList, GraphQLNonNull

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
    field = graphene.String(description="The offending value's camelCase path from the mutation's argument, with list "
                                        "indexes (`input.validTo`, `input.scope[1].identifier`, "
                                        "`input.document.arrangements[2].sectors[0].code`); null when the problem "
                                        "concerns the whole input or none of its values (authentication, "
                                        "authorization, an unavailable database).")
    message = graphene.String(required=True)
    code = graphene.Field(MutationErrorCode, required=True)


class WriteRefused(Exception):
    """Raised inside a write to refuse it; the transaction rolls back and the errors become data."""

    def __init__(self, *errors: tuple[str | None, str, str]):
        self.errors = [{"field": f, "message": msg, "code": MutationErrorCodeValues(c)} for f, msg, c in errors]
        super().__init__("; ".join(e["message"] for e in self.errors))


# document key -> input field, the renames most inputs share
DATED: Mapping[str, str] = {"from": "validFrom", "to": "validTo"}
PROVENANCE: Mapping[str, str] = {"confidence": "provenance.confidence", "sources": "provenance.sources",
                                 "note": "provenance.note"}
_SEGMENT = re.compile(r"\.([^.\[\]]+)|\[(\d+)\]")


@dataclass(frozen=True)
class InputPaths:
    """Where a mutation's input sits in the registry document its write is checked as.

    ``root`` is the document path of what ``at`` (an input path) stands for: an entity written whole
    (``$.importPolicies[0]`` is ``input``), one item of an entity's list (``$.accreditationBodies[0].statuses[3]`` is
    ``input``: a status event), or a whole document (``$`` is ``input.document``). Below the root, document keys are
    the input's unless ``renames`` says otherwise (relative document path prefix -> relative input path, the longest
    prefix first; None: not a value of the input). ``outside`` names the document paths above the root that are
    input values (a status's accreditation body: ``$.accreditationBodies[0].code`` is ``input.accreditationBody``).
    """

    root: str = "$"
    at: str = "input"
    renames: Mapping[str, str | None] = dataclass_field(default_factory=dict)
    outside: Mapping[str, str] = dataclass_field(default_factory=dict)

    def input_path(self, path: str) -> str | None:
        """The input path of a document path, before checking that the input has such a value."""
        if path in self.outside:
            return self.outside[path]
        if path != self.root and not path.startswith((self.root + ".", self.root + "[")):
            return None  # not something this input says (another item of the entity, its other lists)
        tail = path[len(self.root):].removeprefix(".")
        for prefix in sorted(self.renames, key=len, reverse=True):
            if tail == prefix or tail.startswith((prefix + ".", prefix + "[")):
                renamed = self.renames[prefix]
                if renamed is None:
                    return None
                tail = renamed + tail[len(prefix):]
                break
        if not tail:
            return self.at
        return self.at + tail if tail.startswith("[") else f"{self.at}.{tail}"

    def field(self, path: str, argument: GraphQLInputType | None = None) -> str | None:
        """The `field` of a problem at document ``path``: null for the whole argument, or for a path that names no
        value of ``argument`` (the argument's GraphQL input type; below a scalar, such as a JSON document, any path
        goes)."""
        found = self.input_path(path)
        if found is None or _SEGMENT.search(found) is None:
            return None  # the argument itself: the whole input
        if argument is not None and not names_a_value(found, argument):
            return None
        return found


def names_a_value(path: str, argument: GraphQLInputType) -> bool:
    """Whether ``path`` (``input.scope[0].identifier``) names a value an argument of this type can hold."""
    current: GraphQLInputType = argument
    head = re.match(r"[^.\[]+", path)
    position = head.end() if head else 0
    while position < len(path):
        while isinstance(current, GraphQLNonNull):
            current = current.of_type
        if not isinstance(current, (GraphQLInputObjectType, GraphQLList)):
            return True  # inside a scalar's value (a JSON document, one of a list's codes)
        segment = _SEGMENT.match(path, position)
        if segment is None:
            return False
        key, index = segment.groups()
        if key is not None:
            if not isinstance(current, GraphQLInputObjectType) or key not in current.fields:
                return False
            current = current.fields[key].type
        else:
            if not isinstance(current, GraphQLList):
                return False
            current = current.of_type
        position = segment.end()
    return True


def from_problems(problems: list[Problem], paths: InputPaths | None = None,
                  argument: GraphQLInputType | None = None) -> WriteRefused:
    """A refusal holding a document's problems, each at its input path (``paths``; without them, null)."""
    if paths is None:
        return WriteRefused(*((None, p.message, p.code) for p in problems))
    return WriteRefused(*((paths.field(p.path, argument), p.message, p.code) for p in problems))


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
