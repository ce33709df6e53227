"""The living demo's schedule: 8 weeks of synthetic history in the event log for the demo's
queues, the program open around the clock, this and next week published from the forecast, and
the bots booked on most seats (the last seat of every fifth block left open and made hot)."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from agents.models import Agent, Program, User
from dispatcher.tables import RoutingEvent
from workforce import blocks, publishing, standing
from workforce.models import Block, BlockStatus, Commitment, CommitmentState
from workforce.synthetic import seed_history, weekly_profile
from workforce.weeks import week_of

HISTORY_WEEKS = 8
PEAKS = {"claims": 12.0, "web": 5.0}  # contacts per 30 minutes at the daily peak
HOT_BONUS = Decimal("0.05")


def seed_schedule(*, session: Session, program_code: str, bot_domain: str, now: datetime) -> None:
    """Idempotent: history once, then publish the two weeks and book bots on what is new."""
    program = session.scalar(select(Program).where(Program.code == program_code))
    blocks.calendar_of(session=session, program_id=program.id)
    this_week = week_of(now)
    if session.scalar(select(RoutingEvent.position).where(
            RoutingEvent.task_id.like("hist-%")).limit(1)) is None:  # fmt: skip
        for n, (queue_id, peak) in enumerate(PEAKS.items()):
            seed_history(session=session, queue_id=queue_id, seed=n + 1,
                         start=this_week - timedelta(weeks=HISTORY_WEEKS), weeks=HISTORY_WEEKS,
                         profile=weekly_profile(peak, opens=0, closes=24), aht=110.0,
                         channel="voice" if queue_id == "claims" else "web")  # fmt: skip
    for monday in (this_week, this_week + timedelta(days=7)):
        publishing.publish_week(session=session, monday=monday, now=now)
    _book_bots(session, program, bot_domain, this_week, now)


def _book_bots(session: Session, program: Program, bot_domain: str, monday: datetime,
               now: datetime) -> None:  # fmt: skip
    """Bots (elite tier) take every seat of each open block but the last of every fifth one,
    which stays open with a bonus; no bot holds two blocks at once. Written directly (the
    booking rules' own path is tested in tests/workforce; seeding thousands of seats through
    it would take the demo's start past a few seconds)."""
    bots = list(session.scalars(select(Agent.id).join(User).where(
        User.email.like(f"%@{bot_domain}")).order_by(Agent.id)))  # fmt: skip
    if not bots:
        return
    for bot in bots:
        if standing.tier_of(session=session, agent_id=bot).code != "elite":
            standing.set_tier(session, bot, "elite", "demo bot", now=now)
    week_blocks = blocks.list_blocks(session=session, monday=monday,
                                     statuses=(BlockStatus.PUBLISHED,))  # fmt: skip
    week_blocks += blocks.list_blocks(session=session, monday=monday + timedelta(days=7),
                                      statuses=(BlockStatus.PUBLISHED,))  # fmt: skip
    by_start: dict[datetime, list[Block]] = {}
    for block in week_blocks:
        if block.booked == 0 and block.starts_at > now:
            by_start.setdefault(block.starts_at, []).append(block)
    counter = itertools.count()
    for start, group in sorted(by_start.items()):
        rotation = itertools.cycle(bots[(next(counter) * 7) % len(bots):] + bots)
        used: set[int] = set()
        for block in group:
            hot = block.id % 5 == 0 and block.needed > 1
            seats = block.needed - 1 if hot else block.needed
            for _ in range(min(seats, len(bots) - len(used))):
                bot = next(b for b in rotation if b not in used)
                used.add(bot)
                session.add(Commitment(block_id=block.id, agent_id=bot, queued_at=now,
                                       state=CommitmentState.BOOKED, committed_at=now))  # fmt: skip
                block.booked += 1
            if hot:
                block.bonus_per_minute = HOT_BONUS
        del start
    session.flush()
