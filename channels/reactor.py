"""The channel reactor: turns committed routing events into carrier actions and pushes.

Subscribed to the engine's event bus (events arrive after their transaction committed), it
works on its own thread, in event order, so the engine never waits on the carrier:
- ReservationCreated → ring the agent (home phone or browser) for a voice task, push the offer
  to the agent's console for every task; an agent who cannot be reached is a rejected offer;
- offer ended (timed out, withdrawn, rejected) → stop ringing;
- TaskAssigned → record the answer, join chat rooms, dial the customer back for a callback;
- TaskWrapping → hang up what is left of the call (or survey the caller), close the chat (or
  text its survey: channels.sms_survey);
- TaskCanceled / TaskFellBack / TaskCompleted → the contact's outcome; the caller of a task
  past its max wait is redirected to voicemail, or gets a callback that keeps their place;
- TaskTransferred, ConsultStarted / ConsultEnded → a call changing hands (handover_events).
Pushes are sent once the handler's own writes are committed (invariant 5).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select
from sqlalchemy.orm import Session

from agents.models import Agent
from channels import after_call, contacts, sms_survey
from channels.gateway import Dial, GatewayError, TelephonyGateway
from channels.handover_events import HandoverHandlers
from channels.links import Links
from channels.models import AgentVoiceEndpoint, CallLeg, Contact
from community import volunteering
from database.clock import SYSTEM, Clock, utcnow
from dispatcher import commands
from dispatcher.core.events import Event
from dispatcher.tables import RoutingTask
from dispatcher.telemetry import current_task
from quality import csat

log = logging.getLogger(__name__)
Notify = Callable[[str, str, str, dict], None]  # (audience, target, event, data)
CALLBACK_PREFIX = "CB"


class ChannelReactor(HandoverHandlers):
    def __init__(
        self, *, sessions, gateway: TelephonyGateway, links: Links,
        notify: Notify = lambda *args: None, clock: Clock = SYSTEM,
    ) -> None:  # fmt: skip
        self.sessions = sessions
        self.gateway = gateway
        self.links = links
        self._notify = notify
        self._held: list[tuple[str, str, str, dict]] | None = None
        self.clock = clock
        self.executor = ThreadPoolExecutor(1, thread_name_prefix="channel-reactor")

    def __call__(self, events: Sequence[Event]) -> None:
        """EventBus subscriber: hand the events to the reactor's thread and return at once."""
        self.executor.submit(self.handle, list(events))

    def stop(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=False)

    def handle(self, events: Sequence[Event]) -> None:
        for event in events:
            handler = getattr(self, f"on_{event.name}", None)
            if handler is None:
                continue
            current_task.set(getattr(event, "task_id", None))  # log lines name the task
            self._held = held = []
            try:
                with self.sessions.begin() as session:
                    contacts.begin_write(session)
                    handler(session, event)
            except Exception:
                log.exception("channel reactor failed on %s", event)
            finally:
                self._held = None
            # Pushes leave after the handler's transaction: a console or widget told "assigned"
            # acts at once, and must find what the handler wrote (the contact's agent, who gets
            # the customer's next message). Sent even if that failed: the routing event they
            # report was committed by the engine, and clients re-read the state after a push.
            for push in held:
                self._notify(*push)

    def notify(self, audience: str, target: str, event: str, data: dict) -> None:
        """A push to a console or widget, held until the current event's transaction ended."""
        if self._held is None:
            self._notify(audience, target, event, data)
        else:
            self._held.append((audience, target, event, data))

    # Offers ---------------------------------------------------------------------------

    def on_ReservationCreated(self, session: Session, e) -> None:
        contact = session.get(Contact, e.task_id)
        if contact is None:
            return  # a task that did not come through a channel (API, load test)
        self.notify("agent", e.agent_id, "offer", {
            "reservation_id": e.reservation_id, "task_id": e.task_id, "deadline": e.deadline,
            "channel": contact.channel, "customer": contact.customer, "choice": contact.choice,
        })  # fmt: skip
        if contact.channel == "voice":
            self._ring(session, contact, e)

    def _ring(self, session: Session, contact: Contact, e) -> None:
        target = self._voice_target(session, e.agent_id)
        from_ = contact.entry_point.address if contact.entry_point else contact.customer
        ring = max(5, min(60, int(e.deadline - self.clock.now())))
        try:
            if target is None:
                raise GatewayError(f"agent {e.agent_id} has no phone and no browser phone")
            call_sid = self.gateway.dial(Dial(
                to=target, from_=from_, timeout=ring,
                url=self.links.agent_answer(e.task_id, e.reservation_id, e.agent_id),
                status_callback=self.links.agent_status(e.task_id, e.reservation_id, e.agent_id),
            ))  # fmt: skip
        except GatewayError as error:
            log.warning("cannot ring agent %s for %s: %s; rejecting the offer",
                        e.agent_id, e.task_id, error)  # fmt: skip
            if contacts.once(session, f"reject:{e.reservation_id}"):
                payload = {"reservation_id": e.reservation_id, "agent_id": e.agent_id}
                commands.submit(session, "reject", payload, now=self.clock.now())
            return
        contacts.add_leg(
            session=session, call_sid=call_sid, task_id=e.task_id, role="agent",
            agent_id=e.agent_id, reservation_id=e.reservation_id, status="ringing",
        )  # fmt: skip

    def _voice_target(self, session: Session, agent_id: str) -> str | None:
        if not agent_id.isdigit():
            return None
        endpoint = session.get(AgentVoiceEndpoint, int(agent_id))
        if endpoint is not None and endpoint.kind == "browser":
            return f"client:agent-{agent_id}"
        agent = session.get(Agent, int(agent_id))
        return agent.phone if agent is not None and agent.phone else None

    def _stop_ringing(self, session: Session, e) -> None:
        self.notify("agent", e.agent_id, "offer_ended", {"reservation_id": e.reservation_id})
        legs = session.scalars(
            select(CallLeg).where(
                CallLeg.reservation_id == e.reservation_id, CallLeg.role == "agent",
                CallLeg.ended_at.is_(None), CallLeg.accepted.is_(False),
            )
        )  # fmt: skip
        for leg in legs:
            self._hang_up(leg.call_sid)

    on_ReservationTimedOut = _stop_ringing
    on_ReservationWithdrawn = _stop_ringing
    on_ReservationRejected = _stop_ringing

    # Conversations --------------------------------------------------------------------

    def on_TaskAssigned(self, session: Session, e) -> None:
        contact = session.get(Contact, e.task_id)
        if contact is None:
            return
        contact.agent_id = e.agent_id
        contact.outcome = "callback" if e.task_id.startswith(CALLBACK_PREFIX) else "answered"
        messages = [contacts.message_json(m)
                    for m in contacts.transcript(session=session, task_id=e.task_id)]  # fmt: skip
        self.notify("agent", e.agent_id, "assigned", {
            "task_id": e.task_id, "channel": contact.channel, "customer": contact.customer,
            "transcript": messages,
        })  # fmt: skip
        if contact.channel == "web":
            self.notify("customer", e.task_id, "agent_joined", {
                "task_id": e.task_id,
                "agent": volunteering.name_of(session=session, agent_id=e.agent_id),
            })  # fmt: skip
        if contact.customer_left_at is not None:  # left while the offer was being accepted
            contacts.wrap_up(session=session, task_id=e.task_id)
        elif e.task_id.startswith(CALLBACK_PREFIX):
            self._dial_back(session, contact)

    def _dial_back(self, session: Session, contact: Contact) -> None:
        from_ = contact.entry_point.address if contact.entry_point else ""
        try:
            call_sid = self.gateway.dial(Dial(
                to=contact.customer, from_=from_, url=self.links.rejoin(contact.task_id),
                status_callback=self.links.call_status(), timeout=30,
            ))  # fmt: skip
        except GatewayError as error:
            log.warning("callback to %s failed: %s", contact.customer, error)
            contacts.wrap_up(session=session, task_id=contact.task_id)
            return
        contacts.add_leg(session=session, call_sid=call_sid, task_id=contact.task_id,
                         role="callback", status="ringing")  # fmt: skip

    def on_TaskWrapping(self, session: Session, e) -> None:
        contact = session.get(Contact, e.task_id)
        if contact is None:
            return
        self.notify("agent", e.agent_id, "wrapping", {"task_id": e.task_id, "until": e.until})
        if contact.channel == "voice":  # the caller may go on to the CSAT survey
            after_call.end_call(session=session, contact=contact, gateway=self.gateway,
                                links=self.links, clock=self.clock)  # fmt: skip
        elif contact.channel == "web":
            survey = csat.offer(session=session, contact=contact, now=utcnow(self.clock))
            self.notify("customer", e.task_id, "closed",
                        {"task_id": e.task_id, "survey": survey is not None})  # fmt: skip
        elif contact.conversation_sid and not sms_survey.ask(
            session=session, contact=contact, gateway=self.gateway, now=utcnow(self.clock)
        ):  # an SMS / WhatsApp chat stays open for its survey's answer
            try:
                self.gateway.close_conversation(contact.conversation_sid)
            except GatewayError as error:
                log.warning("cannot close conversation %s: %s", contact.conversation_sid, error)

    def on_TaskCompleted(self, session: Session, e) -> None:
        contact = session.get(Contact, e.task_id)
        if contact is not None:
            contact.ended_at = contact.ended_at or utcnow(self.clock)
            self.notify("agent", e.agent_id, "completed", {"task_id": e.task_id})

    def on_TaskCanceled(self, session: Session, e) -> None:
        contact = session.get(Contact, e.task_id)
        if contact is None:
            return
        reason = str(e.reason)
        if reason != "max_wait":  # TaskFellBack says where the customer went
            contact.outcome = contact.outcome or {
                "abandoned": "abandoned",
                "no_agent": "no_agent",
            }.get(reason, "canceled")
        contact.ended_at = contact.ended_at or utcnow(self.clock)
        if contact.channel == "web":
            self.notify("customer", e.task_id, "closed", {"task_id": e.task_id})
        if reason == "supervisor" and contact.channel == "voice":
            leg = contacts.caller_leg(session=session, task_id=e.task_id)
            if leg is not None and leg.ended_at is None:
                self._hang_up(leg.call_sid)

    def on_TaskFellBack(self, session: Session, e) -> None:
        """Max wait: voicemail (recording linked to the task) or a callback task."""
        contact = session.get(Contact, e.task_id)
        if contact is None:
            return
        kind = "callback" if e.fallback == "callback" else "voicemail"
        contact.outcome = kind
        leg = contacts.caller_leg(session=session, task_id=e.task_id)
        if contact.channel == "voice" and leg is not None and leg.ended_at is None:
            try:
                self.gateway.redirect(leg.call_sid, self.links.fallback(e.task_id, kind))
            except GatewayError as error:
                log.warning("cannot send caller of %s to %s: %s", e.task_id, kind, error)
        if contact.channel == "web":
            self.notify("customer", e.task_id, "closed", {"task_id": e.task_id, "busy": True})
        if kind == "callback":
            self._queue_callback(session, contact)

    def _queue_callback(self, session: Session, contact: Contact) -> None:
        """A new task for the same customer with the caller's created time and priority, so it
        keeps their place in line exactly; dialled back when an agent accepts it."""
        callback, created = contacts.open_chat(
            session=session, task_id=next_callback_id(contact.task_id),
            channel="voice", entry=contact.entry_point, customer=contact.customer,
        )  # fmt: skip
        if not created:
            return
        place = session.execute(
            select(RoutingTask.created_at, RoutingTask.data)
            .where(RoutingTask.task_id == contact.task_id)
        ).one_or_none()  # fmt: skip
        contacts.enqueue(
            session=session, contact=callback, queue_id=contact.queue_id, choice=contact.choice,
            language=contact.language, priority=int(place.data.get("priority", 0)) if place else 0,
            created_at=place.created_at if place else None,
        )  # fmt: skip

    def _hang_up(self, call_sid: str) -> None:
        try:
            self.gateway.hang_up(call_sid)
        except GatewayError as error:
            log.warning("cannot hang up %s: %s", call_sid, error)


def next_callback_id(task_id: str) -> str:
    """CB1-<call> for a call's callback; a callback that itself waited past the queue's max wait
    is replaced by CB2-<call>, CB3-<call>… keeping one open callback per call, never a chain."""
    match = re.fullmatch(rf"{CALLBACK_PREFIX}(\d+)-(.+)", task_id)
    if match:
        return f"{CALLBACK_PREFIX}{int(match.group(1)) + 1}-{match.group(2)}"
    return f"{CALLBACK_PREFIX}1-{task_id}"
