"""Certifications: issue when every module is passed, revoke with a reason, expire, remind,
and onboarding (training → certified once a program's required courses are all held).

Every issue, revocation, expiry and reminder appends a training event in the same transaction.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from agents import audit
from agents.models import Agent, Stage, User
from agents.roster import change_stage, send_back_to_training
from agents.validation import validate_text
from database.base import utcnow
from training import events, grading
from training.enrolments import attempts_of
from training.errors import AttemptRefused, InvalidValue, NotFound
from training.models import Certification, Course, Enrolment

# Reminders look this far ahead at most (the largest reminder_days a course file allows).
MAX_REMINDER_DAYS = 365


def certification_or_raise(*, session: Session, certification_id: int) -> Certification:
    found = session.get(Certification, certification_id)
    if found is None:
        raise NotFound(f"no certification with id {certification_id}", field="certification_id")
    return found


def list_certifications(
    *, session: Session, agent_id: int | None = None, course_id: int | None = None
) -> list[Certification]:
    query = select(Certification).order_by(Certification.issued_at.desc(), Certification.id.desc())
    if agent_id is not None:
        query = query.where(Certification.agent_id == agent_id)
    if course_id is not None:
        query = query.where(Certification.course_id == course_id)
    return list(session.scalars(query))


def complete_if_done(*, session: Session, enrolment: Enrolment, now: datetime):
    """Issue the certification when every module of the enrolment's version is passed."""
    scores = []
    for module in enrolment.version.modules:
        passing = [a for a in attempts_of(session, enrolment, module) if a.passed]
        if not passing:
            return None
        scores.append(passing[0].score)
    return issue(session=session, enrolment=enrolment, scores=scores, now=now)


def issue(
    *, session: Session, enrolment: Enrolment, scores: list[float], now: datetime
) -> Certification:
    version = enrolment.version
    score = grading.certification_score(scores)
    previous = session.scalars(
        select(Certification).where(
            Certification.agent_id == enrolment.agent_id,
            Certification.course_id == version.course_id,
            Certification.superseded_at.is_(None),
        )
    )
    for older in previous:
        older.superseded_at = now
    certification = Certification(
        agent_id=enrolment.agent_id,
        course_id=version.course_id,
        version=version,
        enrolment_id=enrolment.id,
        score=score,
        proficiency=grading.proficiency(score),
        issued_at=now,
        expires_at=now + timedelta(days=version.validity_days),
    )
    session.add(certification)
    enrolment.completed_at = now
    session.flush()
    events.record(
        session=session,
        kind=events.ISSUED,
        at=now,
        agent_id=enrolment.agent_id,
        certification=certification,
        payload=_payload(certification),
    )
    _advance_onboarding(session, enrolment.agent, version.course, now)
    return certification


def _payload(certification: Certification) -> dict:
    return {
        "course_code": certification.version.course.code,
        "program_code": certification.version.course.program.code,
        "version": certification.version.version,
        "proficiency": certification.proficiency,
        "expires_at": certification.expires_at.isoformat(),
    }


def required_courses(
    *, session: Session, program_id: int, at: datetime | None = None
) -> list[Course]:
    """Courses of the program whose current version is marked required; with `at`, only those
    whose requirement is in effect at `at` (required_from unset or reached)."""
    courses = session.scalars(select(Course).where(Course.program_id == program_id))
    return [c for c in courses if c.versions and c.current.required
            and (at is None or requirement_in_effect(c, at))]  # fmt: skip


def requirement_in_effect(course: Course, at: datetime) -> bool:
    starts = course.current.required_from
    return starts is None or starts <= at


def holds_program(*, session: Session, agent_id: int, program_id: int, at: datetime) -> bool:
    """True when the agent holds a valid certification of every required course in effect at
    `at`."""
    required = required_courses(session=session, program_id=program_id, at=at)
    if not required:
        return False
    held = {c.course_id for c in list_certifications(session=session, agent_id=agent_id)
            if c.valid_at(at)}  # fmt: skip
    return all(course.id in held for course in required)


def _advance_onboarding(session: Session, agent: Agent, course: Course, now: datetime) -> None:
    if not holds_program(session=session, agent_id=agent.id, program_id=course.program_id, at=now):
        return
    if agent.stage is Stage.TRAINING:
        change_stage(
            session=session,
            actor=None,
            agent=agent,
            to_stage=Stage.CERTIFIED,
            reason=f"passed the required courses of program {course.program.code}",
        )
    events.record(
        session=session,
        kind=events.AGENT_CERTIFIED,
        at=now,
        agent_id=agent.id,
        program_id=course.program_id,
        payload={"program_code": course.program.code, "stage": agent.stage.value},
    )


def revoke(
    *,
    session: Session,
    certification: Certification,
    actor: User,
    reason: str,
    now: datetime | None = None,
) -> Certification:
    """Withdraw a certification at once; the reason is required and audited."""
    now = now or utcnow()
    reason = validate_text(reason, field="reason", max_length=500, required=False)
    if not reason:
        raise InvalidValue("a reason is required to revoke a certification", field="reason")
    if certification.revoked_at is not None:
        raise AttemptRefused(
            f"certification {certification.id} was already revoked", field="certification_id"
        )
    certification.revoked_at, certification.revoked_by_id = now, actor.id
    certification.revoke_reason = reason
    if certification.version.required:
        # Re-passing the quiz alone must not undo a revocation: the agent trains again and a
        # supervisor decides when they take contacts again.
        send_back_to_training(
            session=session,
            actor=actor,
            agent=certification.agent,
            reason=f"certification {certification.id} revoked: {reason}",
        )
    audit.record(
        session=session,
        actor_id=actor.id,
        action="certification.revoke",
        entity_type="certification",
        entity_id=certification.id,
        before={"status": "valid"},
        after={"status": "revoked", "agent_id": certification.agent_id},
        reason=reason,
    )
    events.record(
        session=session,
        kind=events.REVOKED,
        at=now,
        agent_id=certification.agent_id,
        certification=certification,
        payload={**_payload(certification), "reason": reason},
    )
    session.flush()
    return certification


def expire_overdue(*, session: Session, now: datetime) -> list[Certification]:
    """Announce every certification whose expiry has passed (once each); returns them.

    Eligibility does not wait for this job: training.skills compares expires_at with the time
    it is asked about. The job records the expiry event the dispatcher and notifiers act on.
    """
    due = list(
        session.scalars(
            select(Certification)
            .where(
                Certification.expires_at <= now,
                Certification.expired_at.is_(None),
                Certification.revoked_at.is_(None),
            )
            .order_by(Certification.expires_at, Certification.id)
        )
    )
    for certification in due:
        certification.expired_at = now
        if certification.superseded_at is None:
            events.record(
                session=session,
                kind=events.EXPIRED,
                at=now,
                agent_id=certification.agent_id,
                certification=certification,
                payload=_payload(certification),
            )
    session.flush()
    return due


def send_reminders(*, session: Session, now: datetime) -> list[Certification]:
    """Remind each holder once, reminder_days before expiry, unless already recertified."""
    candidates = session.scalars(
        select(Certification).where(
            Certification.expires_at > now,
            Certification.expires_at <= now + timedelta(days=MAX_REMINDER_DAYS),
            Certification.reminded_at.is_(None),
            Certification.revoked_at.is_(None),
            Certification.superseded_at.is_(None),
        )
    )
    reminded = []
    for certification in candidates:
        window = timedelta(days=certification.version.reminder_days)
        if certification.version.reminder_days == 0 or now < certification.expires_at - window:
            continue
        certification.reminded_at = now
        events.record(
            session=session,
            kind=events.REMINDER,
            at=now,
            agent_id=certification.agent_id,
            certification=certification,
            payload=_payload(certification),
        )
        reminded.append(certification)
    session.flush()
    return sorted(reminded, key=lambda c: c.id)
