"""Supervisors and one block: who committed to it, and a message to the agents who could still
fill an under-booked block (certified for its program, active, not holding it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from agents.models import Agent, Program, Stage, User
from workforce import bookings
from workforce.errors import Conflict, InvalidValue
from workforce.models import Block, BlockStatus, Commitment, CommitmentState, Standing

MAX_TEXT = 500
ORDER = (CommitmentState.BOOKED, CommitmentState.WAITLISTED, CommitmentState.RELEASED)


@dataclass(frozen=True)
class Holder:
    agent_id: int
    name: str
    state: str
    queued_at: datetime | None
    committed_at: datetime | None
    released_at: datetime | None
    late: bool


@dataclass(frozen=True)
class Recipient:
    agent_id: int
    phone: str | None  # set when the agent opted in to SMS and has a phone


def holders(*, session: Session, block_id: int) -> list[Holder]:
    """Everyone who committed to the block: booked, waitlisted (in promotion order), released."""
    bookings.block_or_raise(session=session, block_id=block_id)
    rows = session.execute(
        select(Commitment, User.display_name).join(Agent, Agent.id == Commitment.agent_id)
        .join(User, User.id == Agent.user_id).where(Commitment.block_id == block_id)
        .order_by(Commitment.queued_at, Commitment.id)).all()  # fmt: skip
    rows = sorted(rows, key=lambda row: ORDER.index(row[0].state))
    return [Holder(c.agent_id, name or f"agent {c.agent_id}", c.state.value, c.queued_at,
                   c.committed_at, c.released_at, c.late) for c, name in rows]  # fmt: skip


def check_text(text) -> str:
    cleaned = (text or "").strip() if isinstance(text, str) else ""
    if not 1 <= len(cleaned) <= MAX_TEXT:
        raise InvalidValue(f"the message is 1 to {MAX_TEXT} characters", field="text")
    return cleaned


def recipients(*, session: Session, block_id: int, now: datetime) -> tuple[Block, list[Recipient]]:
    """The agents a supervisor may ask to fill the block; Conflict unless it is published, not
    started and under-booked."""
    block = bookings.block_or_raise(session=session, block_id=block_id)
    if block.status is not BlockStatus.PUBLISHED or now >= block.starts_at:
        raise Conflict("only a published block that has not started can be filled")
    if block.booked >= block.needed:
        raise Conflict(f"the block is fully booked ({block.booked} of {block.needed})")
    code = session.scalar(select(Program.code).where(Program.id == block.program_id))
    holding = set(session.scalars(select(Commitment.agent_id).where(
        Commitment.block_id == block.id, Commitment.state.in_(bookings.HOLDING))))  # fmt: skip
    rows = session.execute(
        select(Agent.id, Agent.phone, Standing.sms_reminders)
        .outerjoin(Standing, Standing.agent_id == Agent.id)
        .where(Agent.programs.any(id=block.program_id), Agent.stage == Stage.ACTIVE)
        .order_by(Agent.id)).all()  # fmt: skip
    out = [Recipient(agent_id, phone if sms and phone else None)
           for agent_id, phone, sms in rows
           if agent_id not in holding
           and code in bookings.certified_program_codes(session, agent_id, now)]  # fmt: skip
    return block, out
