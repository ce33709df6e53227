"""Warm transfer on the channel side: the consulted colleague's leg (role "consult") in the
call's conference, what its progress and its end mean, and what the console shows of it.

The engine decides (commands consult / end_consult); the carrier reports the consult leg's
progress to /twilio/voice/consult/status. A leg that ends while the consult is open cancels it
(declined when the colleague never answered, left when they hung up); once the call has been
handed over, the leg is the colleague's own and its end ends the conversation (wrap-up).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from agents.models import Agent
from channels import contacts
from channels.call_ends import FINAL_STATUSES
from channels.models import CallLeg
from database.clock import SYSTEM, Clock, utcnow
from dispatcher import commands
from dispatcher.tables import RoutingTask

ROLE = "consult"
CONNECTED = "in-progress"
#: How an unanswered consult leg ended, as the agent reads it.
UNANSWERED = {
    "busy": "declined", "no-answer": "did not answer", "failed": "could not be reached",
    "canceled": "was not reached",
}  # fmt: skip


def legs(*, session: Session, task_id: str, live: bool = True) -> list[CallLeg]:
    """The consult legs of a call, newest first (only those still up when `live`)."""
    query = select(CallLeg).where(CallLeg.task_id == task_id, CallLeg.role == ROLE)
    if live:
        query = query.where(CallLeg.ended_at.is_(None))
    return list(session.scalars(query.order_by(CallLeg.id.desc())))


def consulted_agent(*, session: Session, task_id: str) -> str | None:
    """The colleague the engine holds as consulted on this call (committed state), or None."""
    data = session.scalar(select(RoutingTask.data).where(RoutingTask.task_id == task_id))
    return (data or {}).get("consult_agent")


def agent_name(session: Session, agent_id: str | None) -> str:
    agent = session.get(Agent, int(agent_id)) if agent_id and agent_id.isdigit() else None
    return agent.user.display_name if agent is not None else (agent_id or "")


def view(*, session: Session, task_id: str) -> dict | None:
    """What the console shows of the call's consult: the colleague and `state` ringing or
    connected while the consult is open; after an unanswered one, `state` "ended" and why."""
    latest = next(iter(legs(session=session, task_id=task_id, live=False)), None)
    if latest is None:
        return None
    shown = {"agent_id": latest.agent_id, "name": agent_name(session, latest.agent_id)}
    if latest.ended_at is None:
        return {**shown, "state": "connected" if latest.status == CONNECTED else "ringing"}
    if latest.status in UNANSWERED and not latest.accepted:
        return {**shown, "state": "ended", "error": f"{shown['name']} {UNANSWERED[latest.status]}"}
    return None


def progress(*, session: Session, call_sid: str, status: str, task_id: str, agent_id: str,
             clock: Clock = SYSTEM) -> None:  # fmt: skip
    """The carrier reports the consult leg: ringing, answered (in-progress) or its end. A
    report that comes before the reactor recorded the leg records it."""
    leg = contacts.leg(session=session, call_sid=call_sid)
    if leg is None:
        leg = contacts.add_leg(session=session, call_sid=call_sid, task_id=task_id, role=ROLE,
                               agent_id=agent_id, status="ringing")  # fmt: skip
    if leg.role not in (ROLE, "agent") or leg.agent_id != agent_id:
        return  # not a consult leg (a forged or confused report): nothing to do
    if status in FINAL_STATUSES:
        _ended(session, leg, status, clock)
    elif leg.ended_at is None:
        leg.status = CONNECTED if status in (CONNECTED, "answered") else status
        leg.accepted = leg.accepted or leg.status == CONNECTED  # the colleague picked up


def _ended(session: Session, leg: CallLeg, status: str, clock: Clock) -> None:
    if not contacts.once(session, f"final:{leg.call_sid}"):
        return
    answered = leg.status == CONNECTED
    leg.status, leg.ended_at = status, utcnow(clock)
    if consulted_agent(session=session, task_id=leg.task_id) == leg.agent_id:
        reason = "left" if answered else "declined"
        payload = {"task_id": leg.task_id, "reason": reason}
        commands.submit(session, "end_consult", payload, now=clock.now())
        return
    found = contacts.task_view(session=session, task_id=leg.task_id)
    if leg.role == "agent" and found.state == "assigned" and found.agent_id == leg.agent_id:
        contacts.wrap_up(session=session, task_id=leg.task_id, clock=clock)  # they talked
