"""A customer's past contacts, shown on the agent's task card: earlier contacts of the same
caller number or messaging address, in the same client program, newest first. A web-widget
chat has none: its customer is only a name typed in a form, which proves nothing about who
they are, and another person's history must never be shown as theirs."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from channels.models import Contact, EntryPoint

MAX_PAST = 5


def past_contacts(*, session: Session, contact: Contact, limit: int = MAX_PAST) -> list[dict]:
    """At most `limit` contacts created before this one, from the same customer address (a
    phone number or whatsapp:<number>, as the carrier reports it) through the same program."""
    if not contact.customer or contact.entry_point is None or contact.channel == "web":
        return []
    rows = session.scalars(
        select(Contact)
        .join(EntryPoint, Contact.entry_point_id == EntryPoint.id)
        .where(
            Contact.customer == contact.customer,
            Contact.channel != "web",
            EntryPoint.program_id == contact.entry_point.program_id,
            Contact.task_id != contact.task_id,
            Contact.created_at <= contact.created_at,
        )
        .order_by(Contact.created_at.desc(), Contact.task_id)
        .limit(limit)
    )
    return [
        {
            "task_id": c.task_id,
            "at": c.created_at.isoformat(),
            "channel": c.channel,
            "queue_id": c.queue_id,
            "outcome": c.outcome,
            "disposition": c.disposition,
        }
        for c in rows
    ]
