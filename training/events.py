"""The training event outbox: durable facts (issued, revoked, expired, reminder, certified)
written in the same transaction as the change, read by the dispatcher and notifiers."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from training.models import Certification, TrainingEvent

ISSUED = "certification.issued"
REVOKED = "certification.revoked"
EXPIRED = "certification.expired"
REMINDER = "certification.reminder"
AGENT_CERTIFIED = "agent.certified"
# A roster change that skills depend on: stage, programs or languages (training.roster_watch).
PROFILE_CHANGED = "agent.profile_changed"
# Kinds after which an agent's routing skills may have changed (re-read training.skills).
SKILL_CHANGES = frozenset({ISSUED, REVOKED, EXPIRED, AGENT_CERTIFIED, PROFILE_CHANGED})


def record(
    *,
    session: Session,
    kind: str,
    at: datetime,
    agent_id: int,
    certification: Certification | None = None,
    program_id: int | None = None,
    payload: dict | None = None,
) -> TrainingEvent:
    """Append one event to the caller's transaction."""
    course = certification.version.course if certification is not None else None
    event = TrainingEvent(
        kind=kind,
        occurred_at=at,
        agent_id=agent_id,
        program_id=program_id
        if program_id is not None
        else (course.program_id if course else None),
        course_id=course.id if course else None,
        certification_id=certification.id if certification is not None else None,
        payload=payload or {},
    )
    session.add(event)
    return event


def list_pending(*, session: Session, limit: int = 100) -> list[TrainingEvent]:
    """Unprocessed events, oldest first."""
    query = (
        select(TrainingEvent)
        .where(TrainingEvent.processed_at.is_(None))
        .order_by(TrainingEvent.id)
        .limit(limit)
    )
    return list(session.scalars(query))


def list_events(*, session: Session, agent_id: int | None = None, limit: int = 100):
    query = select(TrainingEvent).order_by(TrainingEvent.id)
    if agent_id is not None:
        query = query.where(TrainingEvent.agent_id == agent_id)
    return list(session.scalars(query.limit(limit)))


def mark_processed(*, session: Session, event_ids: Iterable[int], at: datetime) -> None:
    ids = list(event_ids)
    if ids:
        session.execute(
            update(TrainingEvent).where(TrainingEvent.id.in_(ids)).values(processed_at=at)
        )
