"""Courses: look-ups, what an agent may take, and admin edits (which make a new version)."""

from __future__ import annotations

import copy

from sqlalchemy import select
from sqlalchemy.orm import Session

from agents.models import Agent
from training.course_format import dump_course, parse_course
from training.errors import CourseFileError, InvalidValue, NotFound
from training.importer import Imported, import_definition
from training.models import Course, CourseVersion, Module, Question

# Fields an admin edits in the web UI; every other change goes through a course file.
EDITABLE = ("title", "validity_days", "pass_mark")


def list_courses(*, session: Session, program_ids: list[int] | None = None) -> list[Course]:
    query = select(Course).order_by(Course.program_id, Course.code)
    if program_ids is not None:
        query = query.where(Course.program_id.in_(program_ids))
    return list(session.scalars(query))


def courses_for_agent(*, session: Session, agent: Agent) -> list[Course]:
    """The courses of the programs the agent is assigned to."""
    return list_courses(session=session, program_ids=[p.id for p in agent.programs])


def course_or_raise(*, session: Session, course_id: int) -> Course:
    course = session.get(Course, course_id)
    if course is None:
        raise NotFound(f"no course with id {course_id}", field="course_id")
    return course


def module_or_raise(*, session: Session, module_id: int) -> Module:
    module = session.get(Module, module_id)
    if module is None:
        raise NotFound(f"no module with id {module_id}", field="module_id")
    return module


def version_or_raise(*, session: Session, version_id: int) -> CourseVersion:
    version = session.get(CourseVersion, version_id)
    if version is None:
        raise NotFound(f"no course version with id {version_id}", field="version_id")
    return version


def questions_by_id(*, session: Session, ids: list[int]) -> dict[int, Question]:
    if not ids:
        return {}
    return {q.id: q for q in session.scalars(select(Question).where(Question.id.in_(ids)))}


def export_course(version: CourseVersion) -> str:
    """The version as a course file (YAML, lessons inline), ready to edit and upload again."""
    return dump_course(version.definition)


def edit_course(
    *, session: Session, course: Course, changes: dict, actor_id: int | None
) -> Imported:
    """Apply `changes` (title, validity_days, pass_mark for every module) to a copy of the
    current definition and import it: a real change makes a new version, none changes nothing."""
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise InvalidValue(f"unknown field(s): {', '.join(unknown)}", field=unknown[0])
    definition = copy.deepcopy(course.current.definition)
    if "title" in changes:
        definition["title"] = changes["title"]
    if "validity_days" in changes:
        definition["validity_days"] = changes["validity_days"]
    if "pass_mark" in changes:
        for module in definition["modules"]:
            module["quiz"]["pass_mark"] = changes["pass_mark"]
    file = f"{course.program.code}/{course.code}"
    try:
        # Through the file format so an edit obeys exactly the rules of an import.
        checked = parse_course(dump_course(definition), file=file, base_dir=None)
    except CourseFileError as error:
        problem = error.problems[0]
        field = "pass_mark" if problem.field == "pass_mark" else problem.field
        raise InvalidValue(f"{field}: {problem.message}", field=field) from None
    return import_definition(session=session, definition=checked, file=file, actor_id=actor_id)
