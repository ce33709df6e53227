"""The demo's ROI inputs: a claim filed is a conversion worth 40.00 to the client, and the bots
wrap up each contact with a disposition (about a quarter of them a claim filed), so the ROI
page's conversions, revenue and margin move as the demo runs."""

from __future__ import annotations

import random
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from agents.models import Program
from channels import dispositions
from channels.models import Contact, DispositionCode

CODES = [("claim_filed", "Claim filed", True), ("resolved", "Resolved", False),
         ("follow_up", "Follow up", False), ("other", "Other", False)]  # fmt: skip
BOT_WEIGHTS = {"claim_filed": 25, "resolved": 50, "follow_up": 15, "other": 10}


def seed(session: Session, program: Program) -> None:
    """Revenue per conversion and the claims queue's codes (once: staff may change them)."""
    program.revenue_per_conversion = program.revenue_per_conversion or Decimal("40.00")
    if session.scalar(select(DispositionCode.id).where(DispositionCode.queue_id == "claims")):
        return
    dispositions.replace_codes(session=session, queue_id="claims", codes=CODES)


def dispose(session: Session, task_id: str, rng: random.Random) -> None:
    """A bot's wrap-up: one of the contact's queue codes (weighted by BOT_WEIGHTS; others 10)."""
    contact = session.get(Contact, task_id)
    if contact is None or contact.disposition:
        return
    codes = [c["code"] for c in dispositions.codes_for(session=session, queue_id=contact.queue_id)]
    if codes:
        contact.disposition = rng.choices(codes, [BOT_WEIGHTS.get(c, 10) for c in codes])[0]
