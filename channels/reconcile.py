"""Reconcile calls in progress against the carrier: a final status callback can be lost (a
network blip, a web process down, a 5xx past Twilio's retries), which would leave the call's
task assigned — and its agent busy — forever. Beside the active engine, every `every` seconds,
each call leg still open in the database for at least `min_age` seconds is looked up at the
carrier (Twilio's REST call status, or the simulated carrier's own state); a leg the carrier
says has ended is ended here exactly as its callback would have done (channels.call_ends), so a
callback arriving later changes nothing."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select

from channels import call_ends, contacts
from channels.gateway import GatewayError, TelephonyGateway
from channels.models import CallLeg
from database.base import utcnow

log = logging.getLogger(__name__)
RECONCILED_ROLES = ("caller", "callback", "agent")


class CallReconciler:
    def __init__(self, *, sessions, gateway: TelephonyGateway, every: float = 60.0,
                 min_age: float = 60.0, batch: int = 200, now=utcnow) -> None:  # fmt: skip
        self.sessions = sessions
        self.gateway = gateway
        self.every = every
        self.min_age = min_age
        self.batch = batch  # the oldest open legs first, at most this many carrier look-ups
        self.now = now

    @classmethod
    def jobs_of(cls, reactor) -> list:
        """The job list of an EngineRunner whose channel reactor is `reactor` (none without)."""
        if reactor is None:
            return []
        return [cls(sessions=reactor.sessions, gateway=reactor.gateway).register]

    def register(self, scheduler) -> None:
        """Add the periodic job to the active engine's APScheduler (one run at a time)."""
        scheduler.add_job(self.run_once, "interval", seconds=self.every, id="reconcile-calls",
                          max_instances=1, coalesce=True)  # fmt: skip

    def run_once(self) -> int:
        """Look up the open legs at the carrier; returns how many were found ended."""
        ended = 0
        for call_sid in self._open_legs():
            try:
                status = self.gateway.call_status(call_sid)
            except GatewayError as error:
                log.warning("cannot reconcile call %s: %s", call_sid, error)
                continue
            if status in call_ends.FINAL_STATUSES and self._end(call_sid, status):
                ended += 1
        return ended

    def _open_legs(self) -> list[str]:
        cutoff = self.now() - timedelta(seconds=self.min_age)
        with self.sessions() as session:
            return list(session.scalars(
                select(CallLeg.call_sid)
                .where(CallLeg.ended_at.is_(None), CallLeg.role.in_(RECONCILED_ROLES),
                       CallLeg.created_at <= cutoff)
                .order_by(CallLeg.created_at)
                .limit(self.batch)
            ))  # fmt: skip

    def _end(self, call_sid: str, status: str) -> bool:
        with self.sessions.begin() as session:
            contacts.begin_write(session)
            leg = contacts.leg(session=session, call_sid=call_sid)
            if leg is None or leg.ended_at is not None:
                return False
            if leg.role == "agent":
                done = call_ends.agent_leg_ended(
                    session=session, call_sid=call_sid, status=status, task_id=leg.task_id,
                    reservation_id=leg.reservation_id or "", agent_id=leg.agent_id or "",
                )  # fmt: skip
            else:
                done = call_ends.customer_leg_ended(session=session, call_sid=call_sid,
                                                    status=status)  # fmt: skip
        if done:
            log.warning("call %s ended at the carrier (%s) but its final status callback never "
                        "came; ended it here", call_sid, status)  # fmt: skip
        return done
