"""A customer's past contacts, shown on the agent's task card: earlier contacts of the same
caller number or messaging address, in the same client program, newest first. A web-widget
chat has none: its customer is only a name typed in a form, which proves nothing about who
they are, and another person's history must never be shown as theirs. Also the agent's own
contacts of today (how each left them) and who may read which transcript."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from channels.models import Contact, EntryPoint
from dispatcher.tables import RoutingEvent, RoutingTask

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


#: How a contact ended for the agent who had it, from their own event rows.
ENDED_FOR_AGENT = {
    "TaskWrapping": "wrapped up",
    "TaskCompleted": "completed",
    "transfer": "transferred",
    "console_lost": "back to the queue: your console was closed",
}
TODAY_EVENTS = ("TaskAssigned", "TaskWrapping", "TaskCompleted", "TaskTransferred")


def my_contacts(*, session: Session, agent_id: str, since: float, limit: int = 50) -> list[dict]:
    """The contacts the agent took since `since` (clock seconds), newest first, each with how
    it left them; read from that agent's rows of the event log only ((agent_id, at) index)."""
    rows = session.execute(
        select(RoutingEvent.type, RoutingEvent.at, RoutingEvent.task_id, RoutingEvent.data)
        .where(RoutingEvent.agent_id == agent_id, RoutingEvent.at >= since,
               RoutingEvent.type.in_(TODAY_EVENTS))
        .order_by(RoutingEvent.position)
    )  # fmt: skip
    seen: dict[str, dict] = {}
    for kind, at, task_id, data in rows:
        if kind == "TaskAssigned":
            seen[task_id] = {"task_id": task_id, "at": at, "ended": "in conversation"}
        elif task_id in seen and seen[task_id]["ended"] == "in conversation":
            how = data.get("reason", "transfer") if kind == "TaskTransferred" else kind
            seen[task_id]["ended"] = ENDED_FOR_AGENT.get(how, "transferred")
    found = sorted(seen.values(), key=lambda c: c["at"], reverse=True)[:limit]
    contacts = {
        c.task_id: c
        for c in session.scalars(select(Contact).where(Contact.task_id.in_(list(seen))))
    } if found else {}  # fmt: skip
    for item in found:
        contact = contacts.get(item["task_id"])
        item.update(
            channel=contact.channel if contact else "task",
            customer=contact.customer if contact else "",
            disposition=contact.disposition if contact else None,
        )
    return found


def may_read(*, session: Session, agent_id: str, task_id: str) -> bool:
    """An agent reads a transcript of a contact they handled, or a past contact of a customer
    whose contact they hold now (the same address through the same program)."""
    handled = session.scalar(
        select(RoutingEvent.position).where(
            RoutingEvent.agent_id == agent_id, RoutingEvent.task_id == task_id,
            RoutingEvent.type == "TaskAssigned",
        ).limit(1)
    )  # fmt: skip
    if handled is not None:
        return True
    held = session.scalars(
        select(RoutingTask.task_id).where(
            RoutingTask.agent_id == agent_id,
            RoutingTask.state.in_(("assigned", "wrapping")),
        )
    ).all()  # fmt: skip
    for held_id in held:
        contact = session.get(Contact, held_id)
        if contact is not None and any(
            p["task_id"] == task_id for p in past_contacts(session=session, contact=contact)
        ):
            return True
    return False
