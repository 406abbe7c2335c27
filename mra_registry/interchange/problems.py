"""Validation problems, each with the JSON path it is about and a plain message."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    path: str  # a JSONPath such as "$.accreditationBodies[3].statuses[0].to"
    message: str
    document: str | None = None  # the file it came from, when loading several
    code: str = "INVALID"  # a ProblemCode value: what kind of problem, for programs

    def __str__(self) -> str:
        where = f"{self.document}: " if self.document else ""
        return f"{where}{self.path}: {self.message}"


class ProblemCode:
    """What kind of problem a document or a write has; shared with the API's mutation error codes."""

    INVALID = "INVALID"  # wrong shape or type, unknown field, malformed value
    MALFORMED_JSON = "MALFORMED_JSON"
    INVALID_DATE = "INVALID_DATE"
    INVALID_DATE_RANGE = "INVALID_DATE_RANGE"
    OVERLAPPING_INTERVAL = "OVERLAPPING_INTERVAL"
    UNKNOWN_ECONOMY = "UNKNOWN_ECONOMY"
    UNKNOWN_REFERENCE = "UNKNOWN_REFERENCE"
    DUPLICATE_CODE = "DUPLICATE_CODE"
    INCONSISTENT = "INCONSISTENT"  # values that contradict each other
    FIXTURE_OVERWRITE = "FIXTURE_OVERWRITE"  # an invented record would replace a real one


class DocumentInvalid(Exception):
    """Raised with every problem found; nothing has been written when it is raised."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the registry document:\n" + "\n".join(map(str, problems)))
