"""Enrolments: an agent joins the current version of a course and works through its modules.

Rules: the agent must be assigned to the course's program and not suspended; an open
enrolment is reused; while a certification of the course is valid and its reminder window has
not opened (expires_at - reminder_days), recertifying is refused. An applicant who enrols moves
to the training stage.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from agents.models import Agent, Stage
from agents.roster import change_stage
from database.base import utcnow
from training.errors import AttemptRefused, Forbidden, NotFound
from training.models import Attempt, Certification, Course, CourseVersion, Enrolment, Module


@dataclass(frozen=True)
class ModuleProgress:
    module: Module
    attempts_used: int
    passed: bool
    best_score: float | None
    open_attempt: Attempt | None


def enrolment_or_raise(*, session: Session, enrolment_id: int) -> Enrolment:
    enrolment = session.get(Enrolment, enrolment_id)
    if enrolment is None:
        raise NotFound(f"no enrolment with id {enrolment_id}", field="enrolment_id")
    return enrolment


def list_enrolments(*, session: Session, agent_id: int | None = None) -> list[Enrolment]:
    query = select(Enrolment).order_by(Enrolment.id)
    if agent_id is not None:
        query = query.where(Enrolment.agent_id == agent_id)
    return list(session.scalars(query))


def open_enrolment(*, session: Session, agent_id: int, course_id: int) -> Enrolment | None:
    """The agent's enrolment in the course that has not ended in a certification yet."""
    return session.scalar(
        select(Enrolment)
        .join(Enrolment.version)
        .where(
            Enrolment.agent_id == agent_id,
            CourseVersion.course_id == course_id,
            Enrolment.completed_at.is_(None),
        )
        .order_by(Enrolment.id.desc())
        .limit(1)
    )


def check_may_train(agent: Agent, course: Course) -> None:
    if agent.stage is Stage.SUSPENDED:
        raise Forbidden("a suspended agent cannot take courses", field="agent_id")
    if course.program_id not in {p.id for p in agent.programs}:
        raise Forbidden(f"you are not assigned to program {course.program.code}", field="course_id")


def lock_agent(session: Session, agent_id: int) -> None:
    """Serialise one agent's enrolments and quiz starts: two at once would both see "nothing
    open yet" (a PostgreSQL row lock; SQLite write transactions are serial already)."""
    session.execute(select(Agent.id).where(Agent.id == agent_id).with_for_update())


def enrol(
    *, session: Session, agent: Agent, course: Course, now: datetime | None = None
) -> Enrolment:
    """Enrol `agent` in the course's current version (or return the open enrolment)."""
    now = now or utcnow()
    lock_agent(session, agent.id)
    check_may_train(agent, course)
    existing = open_enrolment(session=session, agent_id=agent.id, course_id=course.id)
    if existing is not None:
        return existing
    reason = enrol_refusal(session=session, agent_id=agent.id, course=course, now=now)
    if reason is not None:
        raise AttemptRefused(reason, field="course_id")
    enrolment = Enrolment(agent_id=agent.id, version=course.current, enrolled_at=now)
    session.add(enrolment)
    if agent.stage is Stage.APPLICANT:
        change_stage(
            session=session,
            actor=None,
            agent=agent,
            to_stage=Stage.TRAINING,
            reason=f"enrolled in course {course.code}",
        )
    session.flush()
    return enrolment


def enrol_refusal(*, session: Session, agent_id: int, course: Course, now: datetime) -> str | None:
    """Why (re)enrolling is closed now, or None when it is open: a live certificate opens for
    recertification `reminder_days` before it expires (pages say so beside the button)."""
    live = _live_certification(session, agent_id, course, now)
    if live is None:
        return None
    opens = live.expires_at - timedelta(days=live.version.reminder_days)
    if now >= opens:
        return None
    return (f"you are certified until {live.expires_at:%Y-%m-%d}; "
            f"recertification opens on {opens:%Y-%m-%d}")  # fmt: skip


def _live_certification(session: Session, agent_id: int, course: Course, now: datetime):
    certifications = session.scalars(
        select(Certification).where(
            Certification.agent_id == agent_id,
            Certification.course_id == course.id,
            Certification.revoked_at.is_(None),
            Certification.expires_at > now,
        )
    )
    return max(certifications, key=lambda c: c.expires_at, default=None)


def attempts_of(session: Session, enrolment: Enrolment, module: Module) -> list[Attempt]:
    return list(
        session.scalars(
            select(Attempt)
            .where(Attempt.enrolment_id == enrolment.id, Attempt.module_id == module.id)
            .order_by(Attempt.number)
        )
    )


def progress(
    *, session: Session, enrolment: Enrolment, now: datetime | None = None
) -> list[ModuleProgress]:
    """Per module of the enrolment's version: attempts used, passed, best score, open attempt."""
    now = now or utcnow()
    rows = []
    for module in enrolment.version.modules:
        attempts = attempts_of(session, enrolment, module)
        scores = [a.score for a in attempts if a.score is not None]
        open_attempt = next(
            (a for a in attempts if a.submitted_at is None and a.expires_at > now), None
        )
        rows.append(
            ModuleProgress(
                module=module,
                attempts_used=len(attempts),
                passed=any(a.passed for a in attempts),
                best_score=max(scores, default=None),
                open_attempt=open_attempt,
            )
        )
    return rows
