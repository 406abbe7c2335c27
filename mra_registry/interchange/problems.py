"""Validation problems, each with the JSON path it is about and a plain message."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    path: str  # a JSONPath such as "$.accreditationBodies[3].statuses[0].to"
    message: str
    document: str | None = None  # the file it came from, when loading several

    def __str__(self) -> str:
        where = f"{self.document}: " if self.document else ""
        return f"{where}{self.path}: {self.message}"


class DocumentInvalid(Exception):
    """Raised with every problem found; nothing has been written when it is raised."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the registry document:\n" + "\n".join(map(str, problems)))
