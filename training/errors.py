"""Training's refusals; they extend the roster's errors so pages and the API render them alike."""

from __future__ import annotations

from dataclasses import dataclass

from agents.errors import Forbidden, InvalidValue, NotFound, RosterError

__all__ = [
    "AttemptRefused",
    "CourseFileError",
    "Forbidden",
    "InvalidValue",
    "NotFound",
    "Problem",
    "TrainingError",
]


class TrainingError(RosterError):
    """A training command was refused and changed nothing."""


class AttemptRefused(TrainingError):
    """Starting or submitting an attempt is not allowed now (limit, cool-down, resubmission)."""

    status = 409


@dataclass(frozen=True)
class Problem:
    """One defect of a course file: the file, the line, the place in the document and the field."""

    file: str
    line: int | None
    place: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        place = f" {self.place}" if self.place else ""
        return f"{where}:{place} field '{self.field}': {self.message}"


class CourseFileError(InvalidValue):
    """A course file is malformed; every problem names file, line, place and field."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        summary = "; ".join(str(p) for p in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        super().__init__(f"course file refused: {summary}{more}", field="course_file")
