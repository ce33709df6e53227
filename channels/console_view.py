"""What an agent's console shows, read from the routing tables and the event log: the
authoritative state after any (re)connect, and "my day" (figures of the current UTC day)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import String, cast, func, select
from sqlalchemy.orm import Session

from agents.models import Agent, User
from channels import consults, contacts, dispositions, escalations, history
from channels.models import AgentVoiceEndpoint, CallLeg, Contact
from dispatcher.statistics import HELD, start_of_day
from dispatcher.tables import (
    RoutingAgent,
    RoutingEvent,
    RoutingQueue,
    RoutingReservation,
    RoutingTask,
)
from pay import statements as pay_statements

MY_DAY_EVENTS = (
    "ReservationCreated", "ReservationAccepted", "ReservationRejected", "ReservationTimedOut",
    "TaskAssigned", "TaskWrapping", "TaskCompleted", "TaskTransferred",
)  # fmt: skip


def state_of(*, session: Session, agent_id: str, now: float) -> dict:
    """Status, state, pending offers and held tasks (with chat transcripts and call legs)."""
    row = session.get(RoutingAgent, agent_id)
    offers = session.scalars(
        select(RoutingReservation).where(
            RoutingReservation.agent_id == agent_id, RoutingReservation.state == "pending"
        )
    ).all()
    tasks = session.scalars(
        select(RoutingTask).where(RoutingTask.agent_id == agent_id, RoutingTask.state.in_(HELD))
    ).all()
    endpoint = session.get(AgentVoiceEndpoint, int(agent_id)) if agent_id.isdigit() else None
    return {
        "now": now,
        "status": row.status if row else "offline",
        "paused": _paused(row),
        "status_since": session.scalar(
            select(func.max(RoutingEvent.at)).where(
                RoutingEvent.agent_id == agent_id, RoutingEvent.type == "AgentStatusChanged"
            )
        ),
        "state": row.state if row else "idle",
        "endpoint": endpoint.kind if endpoint is not None else "phone",
        "offers": [_offer(session, r) for r in offers],
        "tasks": [_task(session, t, agent_id) for t in tasks if t.state != "reserved"],
        "queues": sorted(session.scalars(select(RoutingQueue.queue_id))),
        "colleagues": _colleagues(session, agent_id),
    }


def _colleagues(session: Session, agent_id: str, limit: int = 100) -> list[dict]:
    """Available agents a conversation can be transferred to by name (not the agent)."""
    rows = session.execute(
        select(RoutingAgent.agent_id, User.display_name)
        .join(Agent, cast(Agent.id, String) == RoutingAgent.agent_id)
        .join(User, User.id == Agent.user_id)
        .where(RoutingAgent.status == "available", RoutingAgent.agent_id != agent_id)
        .order_by(User.display_name).limit(limit)
    ).all()  # fmt: skip
    return [{"agent_id": a, "name": name} for a, name in rows]


def _paused(row: RoutingAgent | None) -> dict | None:
    """Why the agent is paused: `missed_offers` (the engine paused them after that many
    offers in a row went unanswered) or `supervisor`; None when not paused."""
    if row is None or row.status != "paused":
        return None
    missed = int((row.data or {}).get("missed_offers") or 0)
    return {"reason": "missed_offers" if missed else "supervisor", "missed_offers": missed}


def _contact_fields(contact: Contact | None) -> dict:
    if contact is None:
        return {"channel": "task", "customer": "", "choice": ""}
    return {"channel": contact.channel, "customer": contact.customer, "choice": contact.choice}


def _offer(session: Session, reservation: RoutingReservation) -> dict:
    """call_sid: the call ringing the agent for this offer (a browser phone ties it to the
    offer card by this id), once the carrier has placed it."""
    ringing = session.scalar(
        select(CallLeg.call_sid).where(
            CallLeg.reservation_id == reservation.reservation_id, CallLeg.role == "agent",
            CallLeg.ended_at.is_(None),
        ).limit(1)
    )  # fmt: skip
    return {
        "reservation_id": reservation.reservation_id,
        "task_id": reservation.task_id,
        "deadline": reservation.deadline,
        "call_sid": ringing,
        **_contact_fields(session.get(Contact, reservation.task_id)),
    }


def _task(session: Session, task: RoutingTask, agent_id: str) -> dict:
    contact = session.get(Contact, task.task_id)
    found = {
        "task_id": task.task_id,
        "queue_id": task.queue_id,
        "program": session.scalar(
            select(RoutingQueue.program).where(RoutingQueue.queue_id == task.queue_id)
        ),
        "state": task.state,
        "assigned_at": task.data.get("assigned_at"),
        "wrap_until": task.data.get("wrap_until"),
        **_contact_fields(contact),
        "call": None,
        "call_sid": None,
        "on_hold": False,
        "muted": False,
        "consult": None,
        "transcript": [],
        "dispositions": dispositions.codes_for(session=session, queue_id=task.queue_id),
        "past_contacts": []
        if contact is None
        else history.past_contacts(session=session, contact=contact),
    }
    if contact is not None and contact.channel == "voice":
        leg = contacts.agent_leg(session=session, task_id=task.task_id, agent_id=agent_id)
        ringing = leg or _ringing_leg(session, task.task_id, agent_id)
        caller = contacts.caller_leg(session=session, task_id=task.task_id)
        found["call"] = leg.status if leg is not None else "ringing your phone"
        found["call_sid"] = ringing.call_sid if ringing is not None else None
        found["muted"] = bool(leg is not None and leg.muted)
        found["on_hold"] = bool(caller is not None and caller.on_hold and not caller.ended_at)
        found["consult"] = consults.view(session=session, task_id=task.task_id)
    elif contact is not None and contact.channel == escalations.CHANNEL:
        found["transcript"] = escalations.transcript(session=session, contact=contact)
    elif contact is not None:
        found["transcript"] = [
            contacts.message_json(m)
            for m in contacts.transcript(session=session, task_id=task.task_id)
        ]
    return found


def _ringing_leg(session: Session, task_id: str, agent_id: str) -> CallLeg | None:
    """The call ringing the agent for a task they accepted before answering it (browser)."""
    return session.scalar(
        select(CallLeg).where(
            CallLeg.task_id == task_id, CallLeg.role == "agent", CallLeg.agent_id == agent_id,
            CallLeg.ended_at.is_(None),
        ).order_by(CallLeg.id.desc()).limit(1)
    )  # fmt: skip


def my_day(*, session: Session, agent_id: str, pay_rate: Decimal, now: float) -> dict:
    """Today (UTC): contacts handled (completed, from the agent's rows of the event log), talk
    minutes and earnings from the pay ledger (the entries written when each talk ended, plus
    staff adjustments: the same figures as the weekly statement), acceptance rate = accepted /
    (accepted + rejected + timed out) offers, and `in_progress_minutes`: the conversation the
    agent holds right now, paid when it ends. Nothing grows while the agent is idle.
    `talk_seconds` (whole seconds, rounded half up; the console shows m:ss) is the same talk as
    the ledger's entries."""
    start = start_of_day(now)
    rows = session.execute(
        select(RoutingEvent.type, RoutingEvent.at, RoutingEvent.task_id)
        .where(RoutingEvent.agent_id == agent_id, RoutingEvent.at >= start,
               RoutingEvent.type.in_(MY_DAY_EVENTS))
        .order_by(RoutingEvent.position)
    )  # fmt: skip
    counts = dict.fromkeys(MY_DAY_EVENTS, 0)
    for kind, _at, _task_id in rows:
        counts[kind] += 1
    paid = pay_statements.totals(
        pay_statements.entries(session=session, agent_id=agent_id, start=start, end=now + 1)
    )
    answered = sum(counts[f"Reservation{k}"] for k in ("Accepted", "Rejected", "TimedOut"))
    return {
        "contacts": counts["TaskCompleted"],
        "talk_seconds": int(Decimal(str(paid["talk_seconds"])).quantize(Decimal(1), ROUND_HALF_UP)),
        "talk_minutes": paid["talk_minutes"],
        "in_progress_minutes": round(_talking_seconds(session, agent_id, now) / 60, 1),
        "pay_rate_per_minute": str(pay_rate),
        "earnings": paid["total"],
        "offers": counts["ReservationCreated"],
        "acceptance_rate": counts["ReservationAccepted"] / answered if answered else None,
    }


def _talking_seconds(session: Session, agent_id: str, now: float) -> float:
    """Seconds of the conversations the agent holds now, from each one's assignment."""
    held = session.scalars(
        select(RoutingTask.task_id).where(RoutingTask.agent_id == agent_id,
                                          RoutingTask.state == "assigned")
    ).all()  # fmt: skip
    total = 0.0
    for task_id in held:
        since = session.scalar(
            select(func.max(RoutingEvent.at)).where(
                RoutingEvent.task_id == task_id, RoutingEvent.agent_id == agent_id,
                RoutingEvent.type == "TaskAssigned",
            )
        )  # fmt: skip
        total += max(0.0, now - since) if since is not None else 0.0
    return total
