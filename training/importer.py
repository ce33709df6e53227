"""Course import: course files or definitions into course versions, all-or-nothing, idempotent.

A definition whose content hash equals the course's current version changes nothing; any other
content becomes version N+1. Older versions stay, with their modules, questions, attempts and
certifications. The caller owns the transaction: on any error it rolls back, so a batch of
files imports entirely or not at all.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from agents import audit
from agents.models import Agent, AgentProgram
from agents.programs import get_by_code
from database.base import utcnow
from training import events
from training.course_format import content_hash, parse_course
from training.errors import CourseFileError, Problem
from training.impact import EligibilityCheck, Impact
from training.models import Course, CourseVersion, Module, Question

COURSE_FILE = "course.yaml"


class Outcome(enum.StrEnum):
    CREATED = "created"
    NEW_VERSION = "new version"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class Imported:
    file: str
    course: Course
    version: CourseVersion
    outcome: Outcome
    impact: Impact = Impact()  # of the whole import this course was part of

    def describe(self) -> str:
        c = self.course
        said = f"{c.program.code}/{c.code} v{self.version.version}: {self.outcome.value}"
        if self.version.required and self.version.required_from is not None:
            said += f", required from {self.version.required_from:%Y-%m-%d %H:%M} UTC"
        return f"{said} ({self.file})"


def course_files(path: Path) -> list[Path]:
    """The course files at `path`: a file, a folder holding course.yaml, or a folder of them."""
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise CourseFileError([Problem(str(path), None, "", "path", "no such file or folder")])
    if (path / COURSE_FILE).is_file():
        return [path / COURSE_FILE]
    found = sorted(path.glob(f"*/{COURSE_FILE}"))
    if not found:
        raise CourseFileError(
            [Problem(str(path), None, "", "path", f"holds no {COURSE_FILE} nor folders with one")]
        )
    return found


def read_course_file(file: Path) -> dict:
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CourseFileError([Problem(str(file), None, "", "file", str(error))]) from None
    return parse_course(text, file=str(file), base_dir=file.parent)


def import_path(*, session: Session, path: Path, actor_id: int | None = None,
                required_from: datetime | None = None,
                confirm_eligibility_loss: bool = False) -> list[Imported]:  # fmt: skip
    """Import every course file at `path`; every file is checked before anything is written.
    A requirement it adds takes effect at `required_from` (default: at once, or the date the
    course's previous version had); EligibilityLossUnconfirmed when active agents would lose
    eligibility at once and `confirm_eligibility_loss` is not set (the caller rolls back)."""
    files = course_files(path)
    definitions, problems = [], []
    for file in files:
        try:
            definitions.append((str(file), read_course_file(file)))
        except CourseFileError as error:
            problems.extend(error.problems)
    if problems:
        raise CourseFileError(problems)
    _check_batch(session, definitions)
    return _import_checked(session, definitions, actor_id, required_from, confirm_eligibility_loss)


def import_text(*, session: Session, text: str, file: str, actor_id: int | None = None,
                required_from: datetime | None = None,
                confirm_eligibility_loss: bool = False) -> Imported:  # fmt: skip
    """Import one uploaded course file (lessons inline); the rest as import_path."""
    definition = parse_course(text, file=file, base_dir=None)
    _check_batch(session, [(file, definition)])
    return _import_checked(session, [(file, definition)], actor_id, required_from,
                           confirm_eligibility_loss)[0]  # fmt: skip


def _import_checked(session, definitions, actor_id, required_from, confirmed) -> list[Imported]:
    now = utcnow()
    check = EligibilityCheck(session=session, program_codes=[d["program"] for _f, d in definitions],
                             at=now)  # fmt: skip
    results = [
        import_definition(session=session, definition=d, file=f, actor_id=actor_id,
                          required_from=required_from)  # fmt: skip
        for f, d in definitions
    ]
    starts = [r.version.required_from for r in results if r.version.required_from is not None]
    impact = check.finish(confirmed=confirmed, required_from=max(starts, default=None))
    return [replace(result, impact=impact) for result in results]


def _check_batch(session: Session, definitions: list[tuple[str, dict]]) -> None:
    problems, seen = [], {}
    for file, definition in definitions:
        if get_by_code(session=session, code=definition["program"]) is None:
            problems.append(
                Problem(file, None, "", "program", f"no client program '{definition['program']}'")
            )
        ident = (definition["program"], definition["code"])
        if ident in seen:
            problems.append(
                Problem(
                    file, None, "", "code", f"course {ident[1]} is also defined in {seen[ident]}"
                )
            )
        seen[ident] = file
    if problems:
        raise CourseFileError(problems)


def import_definition(
    *, session: Session, definition: dict, file: str = "definition", actor_id: int | None = None,
    required_from: datetime | None = None,
) -> Imported:
    """Store `definition` (already checked by parse_course) as a course version if it is new.
    Its requirement takes effect at `required_from`, else when the previous version's did."""
    program = get_by_code(session=session, code=definition["program"])
    if program is None:
        raise CourseFileError([Problem(file, None, "", "program", "no such client program")])
    course = session.scalar(
        select(Course).where(Course.program_id == program.id, Course.code == definition["code"])
    )
    digest = content_hash(definition)
    if course is not None and course.versions and course.current.content_hash == digest:
        return Imported(file, course, course.current, Outcome.UNCHANGED)
    outcome = Outcome.NEW_VERSION if course is not None else Outcome.CREATED
    was_required = bool(course is not None and course.versions and course.current.required)
    if course is None:
        course = Course(program=program, code=definition["code"], versions=[])
        session.add(course)
    version = _build_version(definition, digest, number=len(course.versions) + 1)
    version.created_by_id = actor_id
    version.required_from = _required_from(course, version, required_from)
    course.versions.append(version)
    session.flush()
    audit.record(
        session=session,
        actor_id=actor_id,
        action="course.import",
        entity_type="course",
        entity_id=course.id,
        after={"code": course.code, "version": version.version, "title": version.title},
    )
    if version.required or was_required:
        _announce_program_change(session, program, course)
    return Imported(file, course, version, outcome)


def _required_from(course: Course, version: CourseVersion, asked: datetime | None):
    """A requirement already in effect stays so (a date cannot suspend it); a new or still
    coming one takes effect at the date asked, else at the previous version's."""
    if not version.required:
        return None
    if not course.versions:
        return asked
    previous = course.versions[-1]
    if previous.required and (previous.required_from is None or previous.required_from <= utcnow()):
        return previous.required_from
    return asked or previous.required_from


def _announce_program_change(session: Session, program, course) -> None:
    """A required course added, changed or dropped changes who holds the program's skill: tell
    the dispatcher about every agent of the program (it re-reads their skills at once)."""

    now = utcnow()
    agent_ids = session.scalars(
        select(Agent.id).join(AgentProgram).where(AgentProgram.program_id == program.id)
    ).all()
    for agent_id in agent_ids:
        events.record(
            session=session,
            kind=events.PROFILE_CHANGED,
            at=now,
            agent_id=agent_id,
            program_id=program.id,
            payload={"course_code": course.code},
        )


def _build_version(definition: dict, digest: str, *, number: int) -> CourseVersion:
    return CourseVersion(
        version=number,
        title=definition["title"],
        description=definition["description"],
        validity_days=definition["validity_days"],
        reminder_days=definition["reminder_days"],
        reveal_answers=definition["reveal_answers"],
        required=definition["required"],
        content_hash=digest,
        definition=definition,
        modules=[_build_module(m, position) for position, m in enumerate(definition["modules"], 1)],
    )


def _build_module(module: dict, position: int) -> Module:
    quiz = module["quiz"]
    return Module(
        position=position,
        key=module["key"],
        title=module["title"],
        lesson_markdown=module["lesson"],
        pass_mark=quiz["pass_mark"],
        attempt_limit=quiz["attempt_limit"],
        cooldown_minutes=quiz["cooldown_minutes"],
        time_limit_minutes=quiz["time_limit_minutes"],
        shuffle=quiz["shuffle"],
        sample_size=quiz["sample"],
        questions=[
            Question(
                position=i,
                key=q["key"],
                kind=q["type"],
                prompt=q["prompt"],
                explanation=q["explanation"],
                choices=[{"key": c["key"], "text": c["text"]} for c in q["choices"]],
                correct=sorted(c["key"] for c in q["choices"] if c["correct"]),
            )
            for i, q in enumerate(quiz["questions"], 1)
        ],
    )
