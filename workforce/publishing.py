"""Publishing a week: every queue of every active program gets a block per open slot that
needs agents (the forecast's agents_needed), opened for booking. Closed hours and holidays get
none. Blocks already booked keep their seats (needed never goes below booked)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from agents.models import Program
from workforce import blocks, plan
from workforce.models import Block, BlockStatus


@dataclass(frozen=True)
class Published:
    queue_id: str
    blocks: int
    seats: int
    method: str


def publish_week(*, session: Session, monday: datetime, now: datetime) -> list[Published]:
    """Plan and publish the week from `monday` for every queue; returns a line per queue."""
    out = []
    programs = session.scalars(select(Program).where(Program.is_active.is_(True))
                               .order_by(Program.code))  # fmt: skip
    for program in programs:
        for queue_id in plan.program_queues(session, program):
            week = plan.forecast_week(session=session, queue_id=queue_id, monday=monday, now=now)
            out.append(_publish_queue(session, program, week, now))
    return out


def _publish_queue(session: Session, program: Program, week: plan.QueueWeek, now: datetime):
    made: list[Block] = []
    for slot in week.slots:
        if not slot.open or slot.agents_needed <= 0 or slot.start <= now:
            continue
        existing = session.scalar(select(Block).where(Block.queue_id == week.queue_id,
                                                      Block.starts_at == slot.start))  # fmt: skip
        needed = max(slot.agents_needed, existing.booked if existing else 0)
        bonus = existing.bonus_per_minute if existing else 0
        made.append(blocks.put_block(session=session, program_id=program.id,
                                     queue_id=week.queue_id, starts_at=slot.start,
                                     needed=needed, bonus_per_minute=bonus))  # fmt: skip
    blocks.publish(session=session, blocks=made, now=now)
    seats = sum(b.needed for b in made if b.status is BlockStatus.PUBLISHED)
    return Published(week.queue_id, len(made), seats, week.method)
