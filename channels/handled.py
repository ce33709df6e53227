"""The contacts agents handled, as quality's review sample reads them (quality cannot import
channels: the composition root hands it this function)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from channels.models import Contact, EntryPoint
from quality.reviews import Handled

HANDLED_OUTCOMES = ("answered", "callback")


def handled_contacts(session: Session, start: datetime, end: datetime) -> list[Handled]:
    """Contacts created in [start, end) that an agent answered (the last agent who had it)."""
    rows = session.execute(
        select(Contact.task_id, Contact.agent_id, EntryPoint.program_id)
        .join(EntryPoint, EntryPoint.id == Contact.entry_point_id)
        .where(Contact.created_at >= start, Contact.created_at < end,
               Contact.agent_id.is_not(None), Contact.outcome.in_(HANDLED_OUTCOMES))
        .order_by(Contact.created_at, Contact.task_id)
    ).all()  # fmt: skip
    return [Handled(task_id, agent_id, program_id) for task_id, agent_id, program_id in rows]
