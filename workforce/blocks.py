"""Blocks as supervisors manage them: create, publish, needed counts, bonuses, and listings.

Blocks are 30 minutes long and start on the hour or the half hour (UTC). A supervisor may
raise `needed` at any time (the waitlist is promoted) but not below the seats already booked.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from workforce import bookings, hours, standing
from workforce.errors import Conflict, InvalidValue
from workforce.models import (
    BLOCK_MINUTES,
    Block,
    BlockStatus,
    Commitment,
    CommitmentState,
    ProgramCalendar,
)

MAX_NEEDED = 10_000
MAX_BONUS = Decimal("100")


def calendar_of(*, session: Session, program_id: int) -> ProgramCalendar:
    """The program's scheduling settings, created with the defaults on first use (flushed)."""
    calendar = session.get(ProgramCalendar, program_id)
    if calendar is None:
        calendar = ProgramCalendar(program_id=program_id)
        session.add(calendar)
        session.flush()
    return calendar


def check_needed(needed) -> int:
    if isinstance(needed, bool) or not isinstance(needed, int) or not 0 <= needed <= MAX_NEEDED:
        raise InvalidValue(f"needed is a whole number from 0 to {MAX_NEEDED}", field="needed")
    return needed


def check_bonus(bonus) -> Decimal:
    try:
        value = Decimal(str(bonus))
    except (InvalidOperation, ValueError):
        value = None
    if value is None or not value.is_finite() or not 0 <= value <= MAX_BONUS:
        raise InvalidValue(f"bonus_per_minute is an amount from 0 to {MAX_BONUS}",
                           field="bonus_per_minute")  # fmt: skip
    return value.quantize(Decimal("0.0001"))


def put_block(
    *, session: Session, program_id: int, queue_id: str, starts_at: datetime, needed: int,
    bonus_per_minute: Decimal | int | str = 0,
) -> Block:  # fmt: skip
    """The queue's draft block at `starts_at`, created or given these counts (flushed)."""
    if starts_at.minute % BLOCK_MINUTES or starts_at.second or starts_at.microsecond:
        raise InvalidValue("a block starts on the hour or the half hour", field="starts_at")
    needed, bonus = check_needed(needed), check_bonus(bonus_per_minute)
    block = session.scalar(
        select(Block).where(Block.queue_id == queue_id, Block.starts_at == starts_at)
    )
    if block is None:
        block = Block(program_id=program_id, queue_id=queue_id, starts_at=starts_at,
                      ends_at=starts_at + timedelta(minutes=BLOCK_MINUTES), booked=0,
                      status=BlockStatus.DRAFT)  # fmt: skip
        session.add(block)
    if needed < block.booked:
        raise Conflict(f"{block.booked} seats are booked; needed cannot go below that")
    block.needed, block.bonus_per_minute = needed, bonus
    session.flush()
    return block


def publish(*, session: Session, blocks: list[Block], now: datetime) -> int:
    """Open draft blocks that have not started for booking; returns how many were opened. A
    block starting while its program is closed (hours, holidays) stays a draft."""
    opened = 0
    for block in blocks:
        calendar = session.get(ProgramCalendar, block.program_id)
        if not hours.is_open(calendar, block.starts_at):
            continue
        if block.status is BlockStatus.DRAFT and block.starts_at > now:
            block.status, block.published_at = BlockStatus.PUBLISHED, now
            opened += 1
    session.flush()
    return opened


def set_needed(*, session: Session, block_id: int, needed, now: datetime) -> Block:
    block = bookings.block_or_raise(session=session, block_id=block_id)
    needed = check_needed(needed)
    if needed < block.booked:
        raise Conflict(f"{block.booked} seats are booked; needed cannot go below that")
    block.needed = needed
    session.flush()
    bookings.promote_waitlist(session=session, block_id=block.id, now=now)
    session.refresh(block)
    return block


def set_bonus(*, session: Session, block_id: int, bonus_per_minute) -> Block:
    block = bookings.block_or_raise(session=session, block_id=block_id)
    block.bonus_per_minute = check_bonus(bonus_per_minute)
    session.flush()
    return block


def close(*, session: Session, block_id: int) -> Block:
    block = bookings.block_or_raise(session=session, block_id=block_id)
    block.status = BlockStatus.CLOSED
    session.flush()
    return block


def list_blocks(
    *, session: Session, monday: datetime, program_ids: list[int] | None = None,
    queue_id: str | None = None, statuses: tuple[BlockStatus, ...] | None = None,
) -> list[Block]:  # fmt: skip
    query = select(Block).where(Block.starts_at >= monday,
                                Block.starts_at < monday + timedelta(days=7))  # fmt: skip
    if program_ids is not None:
        query = query.where(Block.program_id.in_(program_ids))
    if queue_id:
        query = query.where(Block.queue_id == queue_id)
    if statuses:
        query = query.where(Block.status.in_(statuses))
    return list(session.scalars(query.order_by(Block.starts_at, Block.queue_id)))


def blocks_for_agent(
    *, session: Session, agent_id: int, monday: datetime, now: datetime, program_ids: list[int]
) -> list[tuple[Block, Commitment | None]]:
    """The week's published blocks of the agent's certified programs that are open to their
    tier (or that they hold), each with the agent's commitment (None if never committed)."""
    tier = standing.tier_of(session=session, agent_id=agent_id)
    mine = {c.block_id: c for c in session.scalars(
        select(Commitment).join(Block).where(
            Commitment.agent_id == agent_id, Block.starts_at >= monday,
            Block.starts_at < monday + timedelta(days=7)))}  # fmt: skip
    shown = []
    for block in list_blocks(session=session, monday=monday, program_ids=program_ids,
                             statuses=(BlockStatus.PUBLISHED, BlockStatus.CLOSED)):  # fmt: skip
        held = mine.get(block.id)
        holding = held is not None and held.state is not CommitmentState.RELEASED
        if holding or (block.status is BlockStatus.PUBLISHED
                       and standing.opens_at(tier, block.starts_at) <= now):  # fmt: skip
            shown.append((block, held))
    return shown
