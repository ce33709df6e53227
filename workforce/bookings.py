"""Commitments to blocks: commit, uncommit, the waitlist, and the block bonus pay reads.

Rules (every refusal changes nothing):
- an agent commits only to published blocks that have not started, of a program they hold the
  skill of (training/skills.py), once the block is open to their tier, within their tier's
  weekly budget (booked + waitlisted blocks of the block's week), never two blocks at once;
- a seat is taken by one conditional UPDATE (booked < needed): on PostgreSQL the row lock makes
  the second of two racing agents re-check and fail, on SQLite the writer turn (BEGIN IMMEDIATE)
  serialises them; so exactly one wins the last seat. A full block puts the agent on its
  waitlist when asked, else refuses;
- uncommitting is free within FREE_MINUTES of committing and until the program's cut-off
  before the block; later it is `late` (reliability). A freed seat goes to the waitlist in order.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from agents.models import Program
from training.skills import skills_at
from workforce import standing
from workforce.errors import Conflict, NotCertified, NotFound
from workforce.models import Block, BlockStatus, Commitment, CommitmentState, ProgramCalendar
from workforce.weeks import week_of

FREE_MINUTES = 5
DEFAULT_CUTOFF_MINUTES = 120
HOLDING = (CommitmentState.BOOKED, CommitmentState.WAITLISTED)


def block_or_raise(*, session: Session, block_id: int) -> Block:
    block = session.get(Block, block_id)
    if block is None:
        raise NotFound(f"no block {block_id}", field="block_id")
    return block


def commit(
    *, session: Session, agent_id: int, block_id: int, now: datetime, waitlist: bool = False
) -> Commitment:
    """Book a seat on the block (or join its waitlist when full and `waitlist`); flushed."""
    block = block_or_raise(session=session, block_id=block_id)
    _check_bookable(session, agent_id, block, now)
    mine = _commitment(session, agent_id, block.id)
    if mine is not None and mine.state in HOLDING:
        raise Conflict(f"you already hold this block ({mine.state.value})")
    _check_overlap(session, agent_id, block)
    _check_budget(session, agent_id, block)
    if _take_seat(session, block.id):
        state = CommitmentState.BOOKED
    elif waitlist:
        state = CommitmentState.WAITLISTED
    else:
        raise Conflict("the block is full; join its waitlist to be promoted when a seat frees")
    if mine is None:
        mine = Commitment(block_id=block.id, agent_id=agent_id)
        session.add(mine)
    mine.state, mine.queued_at, mine.released_at, mine.late = state, now, None, False
    mine.committed_at = now if state is CommitmentState.BOOKED else None
    mine.reminded_at = None
    session.flush()
    session.refresh(block)
    return mine


def uncommit(*, session: Session, agent_id: int, block_id: int, now: datetime) -> Commitment:
    """Release the agent's seat or waitlist place; a seat goes to the first waitlisted agent."""
    block = block_or_raise(session=session, block_id=block_id)
    mine = _commitment(session, agent_id, block.id)
    if mine is None or mine.state not in HOLDING:
        raise NotFound("you hold no seat on this block", field="block_id")
    if now >= block.starts_at:
        raise Conflict("the block has started; it can no longer be released")
    was_booked = mine.state is CommitmentState.BOOKED
    mine.late = was_booked and not is_free_release(session, block, mine, now)
    mine.state, mine.released_at = CommitmentState.RELEASED, now
    if was_booked:
        session.execute(update(Block).where(Block.id == block.id)
                        .values(booked=Block.booked - 1)
                        .execution_options(synchronize_session=False))  # fmt: skip
    session.flush()
    promote_waitlist(session=session, block_id=block.id, now=now)
    session.refresh(block)
    return mine


def is_free_release(session: Session, block: Block, mine: Commitment, now: datetime) -> bool:
    """Free within FREE_MINUTES of committing, or before the program's cut-off."""
    if mine.committed_at is not None and now - mine.committed_at <= timedelta(minutes=FREE_MINUTES):
        return True
    return now < block.starts_at - timedelta(minutes=cutoff_minutes(session, block.program_id))


def cutoff_minutes(session: Session, program_id: int) -> int:
    calendar = session.get(ProgramCalendar, program_id)
    return calendar.cutoff_minutes if calendar else DEFAULT_CUTOFF_MINUTES


def promote_waitlist(*, session: Session, block_id: int, now: datetime) -> list[Commitment]:
    """Give free seats to waitlisted agents in the order they joined; returns the promoted."""
    promoted = []
    waiting = session.scalars(
        select(Commitment)
        .where(Commitment.block_id == block_id, Commitment.state == CommitmentState.WAITLISTED)
        .order_by(Commitment.queued_at, Commitment.id)
    ).all()
    for commitment in waiting:
        if not _take_seat(session, block_id):
            break
        commitment.state, commitment.committed_at = CommitmentState.BOOKED, now
        promoted.append(commitment)
    session.flush()
    return promoted


def bonus_per_minute(session: Session, agent_id: int, program_id: int, at: datetime) -> Decimal:
    """The hot-block bonus per minute the agent earns at `at` on the program: the bonus of the
    block they are booked on then (0 when none, or when it carries no bonus)."""
    bonus = session.scalar(
        select(Block.bonus_per_minute)
        .join(Commitment, Commitment.block_id == Block.id)
        .where(
            Commitment.agent_id == agent_id,
            Commitment.state == CommitmentState.BOOKED,
            Block.program_id == program_id,
            Block.status != BlockStatus.DRAFT,
            Block.starts_at <= at,
            Block.ends_at > at,
        )
        .order_by(Block.bonus_per_minute.desc())
        .limit(1)
    )
    return Decimal(bonus) if bonus is not None else Decimal("0")


def certified_program_codes(session: Session, agent_id: int, at: datetime) -> set[str]:
    return {skill.code for skill in skills_at(session=session, agent_id=agent_id, at=at)}


def _check_bookable(session: Session, agent_id: int, block: Block, now: datetime) -> None:
    program = session.get(Program, block.program_id)
    if program.code not in certified_program_codes(session, agent_id, now):
        raise NotCertified(f"you are not certified for the {program.name} program")
    if now >= block.starts_at:
        raise Conflict("the block is past: it has already started")
    if block.status is not BlockStatus.PUBLISHED:
        raise Conflict(f"the block is {block.status.value}, not open for booking")
    tier = standing.tier_of(session=session, agent_id=agent_id)
    opens = standing.opens_at(tier, block.starts_at)
    if now < opens:
        raise Conflict(f"the block opens to the {tier.code} tier at {opens.isoformat()}")


def _check_overlap(session: Session, agent_id: int, block: Block) -> None:
    clash = session.scalar(
        select(Block.id)
        .join(Commitment, Commitment.block_id == Block.id)
        .where(
            Commitment.agent_id == agent_id,
            Commitment.state.in_(HOLDING),
            Block.id != block.id,
            Block.starts_at < block.ends_at,
            Block.ends_at > block.starts_at,
        )  # fmt: skip
        .limit(1)
    )
    if clash is not None:
        raise Conflict(f"you already hold block {clash} at that time")


def _check_budget(session: Session, agent_id: int, block: Block) -> None:
    tier = standing.tier_of(session=session, agent_id=agent_id)
    monday = week_of(block.starts_at)
    held = session.scalar(
        select(func.count(Commitment.id))
        .join(Block, Commitment.block_id == Block.id)
        .where(
            Commitment.agent_id == agent_id,
            Commitment.state.in_(HOLDING),
            Block.starts_at >= monday,
            Block.starts_at < monday + timedelta(days=7),
        )  # fmt: skip
    )
    if held >= tier.weekly_blocks:
        raise Conflict(f"your weekly budget of {tier.weekly_blocks} blocks ({tier.code} tier) "
                       "is used up for that week")  # fmt: skip


def _take_seat(session: Session, block_id: int) -> bool:
    """One conditional UPDATE: True when a seat was free and is now taken."""
    result = session.execute(
        update(Block)
        .where(
            Block.id == block_id, Block.booked < Block.needed, Block.status == BlockStatus.PUBLISHED
        )  # fmt: skip
        .values(booked=Block.booked + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _commitment(session: Session, agent_id: int, block_id: int) -> Commitment | None:
    return session.scalar(
        select(Commitment).where(Commitment.block_id == block_id, Commitment.agent_id == agent_id)
    )
