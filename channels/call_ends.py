"""What a call leg's end means for its contact and task, whoever reports it: the carrier's
status callback (web.twilio.voice) or the reconciler that asks the carrier about calls whose
final callback never came (channels.reconcile). Each end takes effect once (`final:<CallSid>`),
so a late callback after a reconciliation, or a replay, changes nothing."""

from __future__ import annotations

from sqlalchemy.orm import Session

from channels import contacts
from channels.models import Contact
from database.clock import SYSTEM, Clock, utcnow
from dispatcher import commands

FINAL_STATUSES = frozenset({"completed", "busy", "failed", "no-answer", "canceled"})


def customer_leg_ended(*, session: Session, call_sid: str, status: str,
                       clock: Clock = SYSTEM) -> bool:  # fmt: skip
    """A caller's (or a callback's) leg ended: a caller gone while waiting is an abandoned task;
    gone while talking ends the conversation (wrap-up). False when it had already ended."""
    leg = contacts.leg(session=session, call_sid=call_sid)
    if leg is None or not contacts.once(session, f"final:{call_sid}"):
        return False
    leg.status, leg.ended_at = status, utcnow(clock)
    contact = session.get(Contact, leg.task_id)
    if leg.role in ("caller", "callback") and contact is not None:
        contacts.customer_left(session=session, contact=contact, clock=clock)
    return True


def agent_leg_ended(*, session: Session, call_sid: str, status: str, task_id: str,
                    reservation_id: str, agent_id: str, clock: Clock = SYSTEM) -> bool:  # fmt: skip
    """The agent's leg ended: never accepted → the offer is rejected and the caller keeps
    their place; accepted and talked → the conversation ends (wrap-up); accepted in the console
    but the leg never joined the caller → the caller goes back to the queue at their place.
    False when it had already ended."""
    if not contacts.once(session, f"final:{call_sid}"):
        return False
    leg = contacts.leg(session=session, call_sid=call_sid)
    if leg is not None:
        leg.status, leg.ended_at = status, utcnow(clock)
    state, _agent = contacts.reservation_state(session=session, reservation_id=reservation_id)
    if state == "pending" and contacts.once(session, f"reject:{reservation_id}"):
        payload = {"reservation_id": reservation_id, "agent_id": agent_id}
        commands.submit(session, "reject", payload, now=clock.now())
    elif state == "accepted":
        view = contacts.task_view(session=session, task_id=task_id)
        if view.state == "assigned" and view.agent_id == agent_id:
            if leg is not None and leg.accepted:  # they talked, then hung up
                contacts.wrap_up(session=session, task_id=task_id, clock=clock)
            elif contacts.once(session, f"unreached:{reservation_id}"):
                # Accepted in the console, but their phone or browser never joined the caller
                # (busy, no answer, page closed): the caller keeps holding, back at their place
                # in the queue, for another agent — never hung up.
                commands.submit(session, "transfer", {"task_id": task_id}, now=clock.now())
    return True
