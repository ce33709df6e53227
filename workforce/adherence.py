"""Adherence and reliability from the event log: per booked block, was the agent available on
time and for how many of its minutes; reliability = booked blocks kept over the blocks booked
(no-shows and late releases count against it).

Availability is the agent's status "available" (AgentStatusChanged events of the agent's
routing id, str(agent id)), whatever they were doing while available.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from dispatcher.tables import RoutingEvent
from workforce.models import Block, Commitment, CommitmentState

ON_TIME = timedelta(minutes=2)
RELIABILITY_DAYS = 28


@dataclass(frozen=True)
class BlockAdherence:
    block: Block
    on_time: bool
    minutes_booked: float
    minutes_available: float

    @property
    def no_show(self) -> bool:
        return self.minutes_available == 0


def available_spans(session: Session, agent_id: int, since: float, until: float):
    """[(start, end)] epoch seconds within [since, until) when the agent was available."""
    routing_id = str(agent_id)
    status_events = (RoutingEvent.agent_id == routing_id,
                     RoutingEvent.type == "AgentStatusChanged")  # fmt: skip
    before = session.scalar(
        select(RoutingEvent.data)
        .where(*status_events, RoutingEvent.at < since)
        .order_by(RoutingEvent.at.desc())
        .limit(1)
    )
    available_from = since if before and before.get("status") == "available" else None
    spans = []
    for data in session.scalars(select(RoutingEvent.data).where(
            *status_events, RoutingEvent.at >= since, RoutingEvent.at < until)
            .order_by(RoutingEvent.at, RoutingEvent.position)):  # fmt: skip
        if data.get("status") == "available" and available_from is None:
            available_from = data["at"]
        elif data.get("status") != "available" and available_from is not None:
            spans.append((available_from, data["at"]))
            available_from = None
    if available_from is not None:
        spans.append((available_from, until))
    return spans


def booked_blocks(session: Session, agent_id: int, since: datetime, until: datetime):
    return list(session.scalars(
        select(Block).join(Commitment, Commitment.block_id == Block.id)
        .where(Commitment.agent_id == agent_id, Commitment.state == CommitmentState.BOOKED,
               Block.starts_at >= since, Block.starts_at < until)
        .order_by(Block.starts_at)))  # fmt: skip


def block_adherence(session: Session, agent_id: int, block: Block, now: datetime):
    """How the agent kept `block` (up to `now` if it is under way)."""
    start, end = block.starts_at.timestamp(), min(block.ends_at, max(now, block.starts_at))
    spans = available_spans(session, agent_id, start, end.timestamp())
    available = sum(b - a for a, b in spans) / 60
    first = spans[0][0] if spans else None
    on_time = first is not None and first <= start + ON_TIME.total_seconds()
    booked = (block.ends_at - block.starts_at).total_seconds() / 60
    return BlockAdherence(block, on_time, booked, round(available, 1))


def day_adherence(*, session: Session, agent_id: int, day: datetime, now: datetime):
    """Every block the agent booked that starts on `day` (00:00 UTC) and has begun by `now`."""
    blocks = booked_blocks(session, agent_id, day, min(day + timedelta(days=1), now))
    return [block_adherence(session, agent_id, block, now) for block in blocks]


def adherence_share(rows: list[BlockAdherence]) -> float | None:
    booked = sum(r.minutes_booked for r in rows)
    return round(sum(r.minutes_available for r in rows) / booked, 3) if booked else None


def program_adherence(session: Session, agent_id: str, program_id: int, start: datetime,
                      end: datetime) -> float | None:  # fmt: skip
    """Minutes available / minutes booked over the agent's booked blocks of `program_id` that
    began in [start, end) — the performance score's adherence (None: no booked block then)."""
    if not agent_id.isdigit():
        return None  # not a roster agent: they book no blocks
    blocks = [b for b in booked_blocks(session, int(agent_id), start, end)
              if b.program_id == program_id]  # fmt: skip
    return adherence_share([block_adherence(session, int(agent_id), b, end) for b in blocks])


def reliability(*, session: Session, agent_id: int, now: datetime) -> float | None:
    """Kept / (booked blocks ended in the last RELIABILITY_DAYS + late releases then)."""
    since = now - timedelta(days=RELIABILITY_DAYS)
    ended = [b for b in booked_blocks(session, agent_id, since, now) if b.ends_at <= now]
    kept = sum(1 for b in ended if not block_adherence(session, agent_id, b, now).no_show)
    late = len(session.scalars(select(Commitment.id).join(Block).where(
        Commitment.agent_id == agent_id, Commitment.late.is_(True),
        Block.starts_at >= since, Block.starts_at < now)).all())  # fmt: skip
    total = len(ended) + late
    return round(kept / total, 3) if total else None
