"""Coverage per 30-minute slot of a queue, for supervisors: forecast contacts, agents needed,
seats booked, agents actually available and the service level achieved.

needed = the published block's needed seats (the forecast's agents_needed where no block);
available = the agent-minutes of the program's agents in status "available" during the slot
/ 30 (an average head count, booked or not, from the event log); service level = answered
within the queue's threshold / (answered + abandoned), as the dashboard counts it
(dispatcher.core.stats), for slots that have begun. Slots ahead of `now` have no actuals.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from agents.models import Agent
from dispatcher.core.stats import Statistics
from dispatcher.statistics import statistics_between
from workforce import plan
from workforce.adherence import available_spans
from workforce.history import SLOT_SECONDS
from workforce.models import Block
from workforce.weeks import week_of


@dataclass(frozen=True)
class SlotCoverage:
    start: datetime
    end: datetime
    forecast: float
    needed: int
    booked: int
    available: float | None
    offered: int | None
    answered: int | None
    service_level: float | None

    @property
    def short(self) -> bool:
        """Fewer agents available than needed in a slot that has begun."""
        return self.available is not None and self.available < self.needed


def coverage(*, session: Session, queue_id: str, since: datetime, days: int,
             now: datetime) -> list[SlotCoverage]:  # fmt: skip
    """Every slot of `days` days from `since` (00:00 UTC, within one ISO week)."""
    program = plan.queue_program(session, queue_id)
    until = since + timedelta(days=days)
    week = plan.forecast_week(session=session, queue_id=queue_id, monday=week_of(since), now=now)
    slots = [s for s in week.slots if since <= s.start < until]
    blocks = {b.starts_at: b for b in session.scalars(select(Block).where(
        Block.queue_id == queue_id, Block.starts_at >= since,
        Block.starts_at < until))}  # fmt: skip
    actual_until = min(until, max(now, since)).timestamp()
    available = _available(session, program.id, since.timestamp(), actual_until)
    stats = statistics_between(session.connection(), since.timestamp(), actual_until,
                               stats=Statistics(interval=SLOT_SECONDS))  # fmt: skip
    out = []
    for slot in slots:
        block = blocks.get(slot.start)
        begun = slot.start < now
        counts = stats.queues.get((queue_id, slot.start.timestamp())) if begun else None
        out.append(SlotCoverage(
            start=slot.start, end=slot.end, forecast=slot.contacts,
            needed=block.needed if block else slot.agents_needed,
            booked=block.booked if block else 0,
            available=round(available.get(slot.start.timestamp(), 0.0), 2) if begun else None,
            offered=(counts.offered if counts else 0) if begun else None,
            answered=(counts.answered if counts else 0) if begun else None,
            service_level=counts.service_level if counts else None,
        ))  # fmt: skip
    return out


def _available(session: Session, program_id: int, since: float, until: float) -> dict:
    """slot start (epoch) → mean number of the program's agents available in it."""
    agent_ids = session.scalars(select(Agent.id).where(Agent.programs.any(id=program_id)))
    seconds: dict[float, float] = {}
    for agent_id in agent_ids:
        for begin, end in available_spans(session, agent_id, since, until):
            slot = begin - (begin - since) % SLOT_SECONDS
            while slot < end:
                overlap = min(end, slot + SLOT_SECONDS) - max(begin, slot)
                if overlap > 0:
                    seconds[slot] = seconds.get(slot, 0.0) + overlap
                slot += SLOT_SECONDS
    return {slot: total / SLOT_SECONDS for slot, total in seconds.items()}
