"""What is left of a call when its conversation ends (the task goes to wrap-up): the caller
goes on to the CSAT survey when the program asks for one (quality.csat), every other leg —
and the caller of a program that asks none — is hung up."""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from channels.gateway import GatewayError, TelephonyGateway
from channels.links import Links
from channels.models import CallLeg, Contact
from database.clock import Clock, utcnow
from quality import csat

log = logging.getLogger(__name__)


def end_call(*, session: Session, contact: Contact, gateway: TelephonyGateway, links: Links,
             clock: Clock) -> None:  # fmt: skip
    legs = session.scalars(
        select(CallLeg).where(CallLeg.task_id == contact.task_id, CallLeg.ended_at.is_(None))
    ).all()
    callers = [leg for leg in legs if leg.role in ("caller", "callback")]
    surveyed = bool(callers) and csat.offer(session=session, contact=contact,
                                            now=utcnow(clock)) is not None  # fmt: skip
    for leg in legs:
        try:
            if surveyed and leg in callers:
                gateway.redirect(leg.call_sid, links.survey(contact.task_id))
            else:
                gateway.hang_up(leg.call_sid)
        except GatewayError as error:
            log.warning("cannot end leg %s of %s: %s", leg.call_sid, contact.task_id, error)
