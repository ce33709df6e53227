"""The channel reactor's handlers for a call changing hands: a cold transfer (the caller goes
back on hold for the next agent) and a warm transfer — the consulted colleague is called into
the conference while the caller holds; completion hands the call over (the agent's leg leaves,
the colleague's leg becomes theirs), cancellation drops the colleague and resumes the caller."""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from channels import consults, contacts
from channels.gateway import GatewayError
from channels.links import conference_name
from channels.models import Contact
from dispatcher import commands

log = logging.getLogger(__name__)
CONSULT_RING_SECONDS = 20


class HandoverHandlers:
    """Mixed into ChannelReactor (uses its gateway, links, clock, notify and _voice_target)."""

    def on_TaskTransferred(self, session: Session, e) -> None:
        """The caller goes back on hold (rejoining the conference ends the old agent's leg);
        after a warm transfer the caller stays where they are, with the colleague."""
        contact = session.get(Contact, e.task_id)
        if contact is not None and contact.agent_id == e.from_agent:
            contact.agent_id = None  # the customer's messages no longer go to the old agent
        if contact is None or contact.channel != "voice" or e.reason == "warm_transfer":
            if contact is not None:
                self.notify("agent", e.from_agent, "transferred", {"task_id": e.task_id})
            return
        leg = contacts.caller_leg(session=session, task_id=e.task_id)
        if leg is not None and leg.ended_at is None:
            leg.on_hold = False  # rejoining, the caller is a new participant, not on hold
            try:
                self.gateway.redirect(leg.call_sid, self.links.rejoin(e.task_id))
            except GatewayError as error:
                log.warning("cannot move caller of %s back to hold: %s", e.task_id, error)

    def on_ConsultStarted(self, session: Session, e) -> None:
        """Hold the caller, call the colleague into the conference; a colleague who cannot be
        called ends the consult at once (the agent is told why)."""
        contact = session.get(Contact, e.task_id)
        if contact is None:
            return
        caller = contacts.caller_leg(session=session, task_id=e.task_id)
        target = self._voice_target(session, e.agent_id)
        conference = conference_name(e.task_id)
        from_ = contact.entry_point.address if contact.entry_point else contact.customer
        try:
            if target is None:
                raise GatewayError("they have no phone and no browser phone")
            if caller is not None and caller.ended_at is None:
                self.gateway.hold(conference, caller.call_sid, True, self.links.hold(e.task_id))
                caller.on_hold = True
            call_sid = self.gateway.consult(
                conference, to=target, from_=from_, timeout=CONSULT_RING_SECONDS,
                status_callback=self.links.consult_status(e.task_id, e.agent_id),
            )  # fmt: skip
        except GatewayError as error:
            log.warning("cannot call %s to consult on %s: %s", e.agent_id, e.task_id, error)
            payload = {"task_id": e.task_id, "reason": "unreachable"}
            commands.submit(session, "end_consult", payload, now=self.clock.now())
            name = consults.agent_name(session, e.agent_id)
            said = f"{name} cannot be called: {error}"
            self.notify("agent", e.from_agent, "consult",
                        {"task_id": e.task_id, "state": "ended", "error": said})  # fmt: skip
            return
        contacts.add_leg(session=session, call_sid=call_sid, task_id=e.task_id,
                         role=consults.ROLE, agent_id=e.agent_id, status="ringing")  # fmt: skip
        self.notify("agent", e.from_agent, "consult", {"task_id": e.task_id, "state": "ringing"})

    def on_ConsultEnded(self, session: Session, e) -> None:
        """Completed: the agent's leg leaves, the colleague's becomes the call's agent leg, the
        caller is taken off hold. Canceled: the colleague's leg is dropped and (unless the call
        itself ended) the caller is back with the agent."""
        contact = session.get(Contact, e.task_id)
        if contact is None:
            return
        mine = [leg for leg in consults.legs(session=session, task_id=e.task_id)
                if leg.agent_id == e.agent_id]  # fmt: skip
        if e.outcome == "completed":
            for leg in mine:
                leg.role = "agent"  # the colleague's own leg now: hold, mute, hang-up act on it
            old = contacts.agent_leg(session=session, task_id=e.task_id, agent_id=e.from_agent)
            if old is not None and old.ended_at is None:
                self._hang_up(old.call_sid)
        else:
            for leg in mine:
                self._hang_up(leg.call_sid)
        if e.reason != "call_ended":
            self._resume_caller(session, e.task_id)
        self.notify("agent", e.from_agent, "consult", {
            "task_id": e.task_id, "state": e.outcome, "reason": e.reason,
        })  # fmt: skip

    def _resume_caller(self, session: Session, task_id: str) -> None:
        caller = contacts.caller_leg(session=session, task_id=task_id)
        if caller is None or caller.ended_at is not None or not caller.on_hold:
            return
        try:
            self.gateway.hold(conference_name(task_id), caller.call_sid, False,
                              self.links.hold(task_id))  # fmt: skip
            caller.on_hold = False
        except GatewayError as error:
            log.warning("cannot take the caller of %s off hold: %s", task_id, error)
