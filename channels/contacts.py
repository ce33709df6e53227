"""Contacts, call legs and transcripts: created once per Twilio id, and handed to the routing
engine as commands (the channel layer never decides routing). Functions never commit."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from channels.models import CallLeg, Contact, EntryPoint, TranscriptMessage, WebhookReceipt
from database.clock import SYSTEM, Clock, utcnow
from database.engine import READ_ONLY, writes
from dispatcher import commands
from dispatcher.tables import RoutingReservation, RoutingTask

#: Routing task states in which the customer is still waiting for an agent.
WAITING = frozenset({"pending", "reserved"})


@dataclass(frozen=True, slots=True)
class TaskView:
    """The engine's committed view of a task (read, never decided here)."""

    state: str | None
    agent_id: str | None


def begin_write(session: Session) -> None:
    """Start the transaction as a writer: on SQLite it queues for this process's writer lock
    and takes the write lock up front (database.engine), so its reads see the latest commit
    and its writes cannot be refused half-way; a read-only transaction begun before ends first
    (it wrote nothing). Raises database.engine.WriterBusy when no turn came. PostgreSQL needs
    nothing."""
    if session.get_bind().dialect.name != "sqlite":
        return
    if session.in_transaction():
        if not session.connection().get_execution_options().get(READ_ONLY):
            return  # already a writer
        session.commit()
    writes(session)
    session.connection()  # BEGIN IMMEDIATE: the write lock, taken now


def once(session: Session, key: str) -> bool:
    """True the first time `key` is seen (the receipt commits with the caller's effect)."""
    try:
        with session.begin_nested():
            session.add(WebhookReceipt(key=key[:160]))
    except IntegrityError:
        return False
    return True


def _insert_once(session: Session, *rows) -> bool:
    """Insert rows in order (parents first) in a savepoint; False if a unique key exists."""
    try:
        with session.begin_nested():
            for row in rows:
                session.add(row)
                session.flush()
    except IntegrityError:
        return False
    return True


def open_call(
    *, session: Session, call_sid: str, entry: EntryPoint, caller: str
) -> tuple[Contact, bool]:
    """The contact of an inbound call (task id = CallSid) and whether this request created it."""
    existing = session.get(Contact, call_sid)
    if existing is not None:
        return existing, False
    contact = Contact(
        task_id=call_sid, channel="voice", entry_point_id=entry.id, customer=caller,
        queue_id=entry.queue_id, language=entry.language,
    )  # fmt: skip
    leg = CallLeg(call_sid=call_sid, task_id=call_sid, role="caller", status="in-progress")
    if _insert_once(session, contact, leg):
        return contact, True
    return session.get(Contact, call_sid), False


def open_chat(
    *,
    session: Session,
    task_id: str,
    channel: str,
    entry: EntryPoint | None,
    customer: str,
    conversation_sid: str | None = None,
) -> tuple[Contact, bool]:
    """The contact of a chat (Conversations or web widget), created once per task id."""
    existing = session.get(Contact, task_id)
    if existing is not None:
        return existing, False
    contact = Contact(
        task_id=task_id, channel=channel, entry_point_id=entry.id if entry else None,
        customer=customer[:120], conversation_sid=conversation_sid,
        queue_id=entry.queue_id if entry else None, language=entry.language if entry else None,
    )  # fmt: skip
    if _insert_once(session, contact):
        return contact, True
    return session.get(Contact, task_id), False


def enqueue(
    *, session: Session, contact: Contact, queue_id: str | None = None, choice: str = "",
    language: str | None = None, priority: int = 0, created_at: float | None = None,
    clock: Clock = SYSTEM,
) -> bool:  # fmt: skip
    """Ask the engine to queue the contact (once); False when it was already asked.
    `created_at` (epoch seconds) gives the task an earlier place in line (a callback)."""
    if contact.enqueued or not once(session, f"enqueue:{contact.task_id}"):
        return False
    contact.queue_id = queue_id or contact.queue_id
    contact.choice = choice or contact.choice
    contact.language = language or contact.language
    contact.enqueued = True
    channel = _routing_channel(contact.channel)
    payload = {
        "task_id": contact.task_id, "queue_id": contact.queue_id, "channel": channel,
        "priority": priority, "language": contact.language,
        # source: the contact's own channel (web, whatsapp…); volunteers take "web" chats only.
        "attributes": {"customer": contact.customer, "choice": contact.choice,
                       "source": contact.channel},
    }  # fmt: skip
    if created_at is not None:
        payload["created_at"] = created_at
    commands.submit(session, "enqueue", payload, now=clock.now())
    return True


def _routing_channel(channel: str) -> str:
    return {"voice": "voice", "sms": "sms", "community": "community"}.get(channel, "chat")


def task_view(*, session: Session, task_id: str) -> TaskView:
    row = session.execute(
        select(RoutingTask.state, RoutingTask.agent_id).where(RoutingTask.task_id == task_id)
    ).one_or_none()
    return TaskView(None, None) if row is None else TaskView(row.state, row.agent_id)


def reservation_state(*, session: Session, reservation_id: str) -> tuple[str | None, str | None]:
    """(state, agent_id) of a reservation as committed by the engine."""
    row = session.execute(
        select(RoutingReservation.state, RoutingReservation.agent_id).where(
            RoutingReservation.reservation_id == reservation_id
        )
    ).one_or_none()
    return (None, None) if row is None else (row.state, row.agent_id)


def customer_left(*, session: Session, contact: Contact, clock: Clock = SYSTEM) -> None:
    """The customer hung up or closed the chat: abandon if waiting, wrap up if talking."""
    if contact.customer_left_at is None:
        contact.customer_left_at = utcnow(clock)
    view = task_view(session=session, task_id=contact.task_id)
    if not contact.enqueued:
        contact.outcome = contact.outcome or "abandoned"
        contact.ended_at = contact.ended_at or utcnow(clock)
    elif view.state in WAITING or view.state is None:
        if once(session, f"abandon:{contact.task_id}"):
            commands.submit(session, "abandon", {"task_id": contact.task_id}, now=clock.now())
    elif view.state == "assigned":
        wrap_up(session=session, task_id=contact.task_id, clock=clock)


def wrap_up(*, session: Session, task_id: str, clock: Clock = SYSTEM) -> bool:
    """End the conversation (once): the engine starts the task's wrap-up."""
    if not once(session, f"wrap_up:{task_id}"):
        return False
    commands.submit(session, "wrap_up", {"task_id": task_id}, now=clock.now())
    return True


def leg(*, session: Session, call_sid: str) -> CallLeg | None:
    return session.scalar(select(CallLeg).where(CallLeg.call_sid == call_sid))


def add_leg(*, session: Session, call_sid: str, task_id: str, role: str, **values) -> CallLeg:
    leg_row = CallLeg(call_sid=call_sid, task_id=task_id, role=role, **values)
    _insert_once(session, leg_row)
    return leg_row


def caller_leg(*, session: Session, task_id: str) -> CallLeg | None:
    return session.scalar(
        select(CallLeg).where(CallLeg.task_id == task_id, CallLeg.role.in_(("caller", "callback")))
        .order_by(CallLeg.id.desc()).limit(1)
    )  # fmt: skip


def agent_leg(*, session: Session, task_id: str, agent_id: str) -> CallLeg | None:
    return session.scalar(
        select(CallLeg).where(
            CallLeg.task_id == task_id, CallLeg.role == "agent", CallLeg.agent_id == agent_id,
            CallLeg.accepted,
        ).order_by(CallLeg.id.desc()).limit(1)
    )  # fmt: skip


def append_message(
    *, session: Session, task_id: str, author_kind: str, author: str, body: str,
    message_sid: str | None = None,
) -> tuple[TranscriptMessage, bool]:  # fmt: skip
    """Add a message to the transcript; the same MessageSid twice is stored once."""
    if message_sid:
        found = session.scalar(
            select(TranscriptMessage).where(TranscriptMessage.message_sid == message_sid)
        )
        if found is not None:
            return found, False
    message = TranscriptMessage(
        task_id=task_id, message_sid=message_sid, author_kind=author_kind, author=author[:120],
        body=body,
    )  # fmt: skip
    if _insert_once(session, message):
        return message, True
    return session.scalar(
        select(TranscriptMessage).where(TranscriptMessage.message_sid == message_sid)
    ), False


def transcript(*, session: Session, task_id: str) -> list[TranscriptMessage]:
    return list(
        session.scalars(
            select(TranscriptMessage)
            .where(TranscriptMessage.task_id == task_id)
            .order_by(TranscriptMessage.at, TranscriptMessage.id)
        )
    )


def message_json(message: TranscriptMessage) -> dict:
    return {
        "id": message.id, "task_id": message.task_id, "author_kind": message.author_kind,
        "author": message.author, "body": message.body, "at": message.at.isoformat(),
    }  # fmt: skip
