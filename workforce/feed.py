"""An agent's booked blocks as an iCalendar feed at a secret URL.

The secret is shown to the agent once, when made; only its SHA-256 is kept (Standing), so a
leaked database gives no feed. Making a new one or revoking stops the old URL at once.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from icalendar import Calendar, Event
from sqlalchemy import select
from sqlalchemy.orm import Session

from agents.models import Program
from workforce import standing
from workforce.models import Block, Commitment, CommitmentState, Standing

PAST_DAYS = 28  # booked blocks shown this far back, and all ahead
TOKEN_BYTES = 24
PRODID = "-//Crowdline//My schedule//EN"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def make_token(*, session: Session, agent_id: int) -> str:
    """A new secret for the agent's feed (the previous one stops working); returned once."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    standing.standing_of(session=session, agent_id=agent_id).feed_token_hash = _digest(token)
    session.flush()
    return token


def revoke(*, session: Session, agent_id: int) -> None:
    row = session.get(Standing, agent_id)
    if row is not None:
        row.feed_token_hash = None
        session.flush()


def has_feed(*, session: Session, agent_id: int) -> bool:
    row = session.get(Standing, agent_id)
    return row is not None and row.feed_token_hash is not None


def agent_of_token(*, session: Session, token: str) -> int | None:
    """The agent whose live feed secret is `token` (None: unknown or revoked)."""
    if not token or len(token) > 200:
        return None
    return session.scalar(select(Standing.agent_id)
                          .where(Standing.feed_token_hash == _digest(token)))  # fmt: skip


def calendar(*, session: Session, agent_id: int, now: datetime) -> bytes:
    """VCALENDAR of the agent's booked blocks from PAST_DAYS ago on: one VEVENT per block, its
    UID stable (block id), so a calendar app updates rather than duplicates."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Crowdline — my schedule")
    rows = session.execute(
        select(Block, Program.name).join(Commitment, Commitment.block_id == Block.id)
        .join(Program, Program.id == Block.program_id)
        .where(Commitment.agent_id == agent_id, Commitment.state == CommitmentState.BOOKED,
               Block.starts_at >= now - timedelta(days=PAST_DAYS))
        .order_by(Block.starts_at)
    ).all()  # fmt: skip
    for block, program in rows:
        event = Event()
        event.add("uid", f"block-{block.id}@crowdline")
        event.add("dtstamp", now)
        event.add("dtstart", block.starts_at)
        event.add("dtend", block.ends_at)
        event.add("summary", f"{program}: {block.queue_id}")
        bonus = f", bonus {block.bonus_per_minute:.2f}/min" if block.bonus_per_minute else ""
        event.add("description", f"Booked block of queue {block.queue_id}{bonus}.")
        cal.add_component(event)
    return cal.to_ical()
