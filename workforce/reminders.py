"""Reminders before booked blocks: which are due, marked once (Commitment.reminded_at), and the
job beside the active engine that tells the agent in the console and, when they opted in and
have a phone, by SMS. How to push and how to text are given by the composition root."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from agents.models import Agent, Program
from database.base import utcnow
from workforce.models import Block, BlockStatus, Commitment, CommitmentState, Standing

log = logging.getLogger(__name__)

LEAD_MINUTES = 30  # a reminder is due this long before the block starts
JOB_ID = "workforce.reminders"
EVERY_SECONDS = 60


@dataclass(frozen=True)
class Reminder:
    agent_id: int
    program_id: int
    block_id: int
    starts_at: datetime
    queue_id: str
    program: str
    phone: str | None  # set only when the agent opted in to SMS and has a phone

    def text(self) -> str:
        return (f"Crowdline: your {self.program} block ({self.queue_id}) starts at "
                f"{self.starts_at:%H:%M} UTC. Sign in and set yourself available.")  # fmt: skip

    def payload(self) -> dict:
        return {"block_id": self.block_id, "start": self.starts_at.isoformat(),
                "queue_id": self.queue_id, "program": self.program,
                "text": self.text()}  # fmt: skip


def take_due(*, session: Session, now: datetime,
             lead: timedelta = timedelta(minutes=LEAD_MINUTES)) -> list[Reminder]:  # fmt: skip
    """Booked commitments of blocks starting within `lead` of `now` not yet reminded: marked
    reminded (in the caller's transaction) and returned, so each is sent once."""
    rows = session.execute(
        select(Commitment, Block, Program.name, Agent.phone, Standing.sms_reminders)
        .join(Block, Block.id == Commitment.block_id)
        .join(Program, Program.id == Block.program_id)
        .join(Agent, Agent.id == Commitment.agent_id)
        .outerjoin(Standing, Standing.agent_id == Commitment.agent_id)
        .where(Commitment.state == CommitmentState.BOOKED, Commitment.reminded_at.is_(None),
               Block.status != BlockStatus.DRAFT, Block.starts_at > now,
               Block.starts_at <= now + lead)
        .order_by(Block.starts_at, Commitment.id)
        .with_for_update(of=Commitment, skip_locked=True)
    ).all()  # fmt: skip
    due = []
    for commitment, block, program, phone, sms in rows:
        commitment.reminded_at = now
        due.append(Reminder(commitment.agent_id, block.program_id, block.id, block.starts_at,
                            block.queue_id, program, phone if sms and phone else None))  # fmt: skip
    session.flush()
    return due


@dataclass
class ReminderJob:
    """Every EVERY_SECONDS: take the due reminders (committed first), then `notify(agent_id,
    event, data)` each in the console (`schedule_reminder`) and `send_sms(program_id, to,
    body)` those opted in; a failed SMS is logged, never retried (the console has it)."""

    sessions: object
    notify: Callable[[str, str, dict], None]
    send_sms: Callable[[int, str, str], object] | None = None
    clock: Callable[[], datetime] = utcnow

    def run(self) -> int:
        with self.sessions.begin() as session:
            due = take_due(session=session, now=self.clock())
        for reminder in due:
            self.notify(str(reminder.agent_id), "schedule_reminder", reminder.payload())
            if reminder.phone and self.send_sms is not None:
                try:
                    self.send_sms(reminder.program_id, reminder.phone, reminder.text())
                except Exception as error:  # the carrier refused: the console reminder stands
                    log.warning("SMS reminder to agent %s failed: %s", reminder.agent_id, error)
        if due:
            log.info("sent %d schedule reminder(s)", len(due))
        return len(due)

    def register(self, scheduler) -> None:
        scheduler.add_job(self.run, "interval", seconds=EVERY_SECONDS, id=JOB_ID,
                          replace_existing=True, coalesce=True, max_instances=1)  # fmt: skip
