"""Who is working a booked block now, told to the routing engine so it prefers them: a job beside
the active engine compares, for every agent the engine knows, the queues of the blocks they are
booked on now with what the engine holds (`booked` of routing_agents) and sends `set_booked`
commands for the differences (the rule itself is dispatcher.core.strategies.agent_key)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from database.base import utcnow
from dispatcher import commands
from dispatcher.tables import RoutingAgent
from workforce.models import Block, BlockStatus, Commitment, CommitmentState

log = logging.getLogger(__name__)
JOB_ID = "workforce.on_block"
EVERY_SECONDS = 30  # a block's start or end reaches routing within this


def booked_now(*, session: Session, now: datetime) -> dict[str, frozenset[str]]:
    """Routing agent id → the queues of the blocks the agent is booked on at `now`."""
    rows = session.execute(
        select(Commitment.agent_id, Block.queue_id).join(Block, Block.id == Commitment.block_id)
        .where(Commitment.state == CommitmentState.BOOKED, Block.status != BlockStatus.DRAFT,
               Block.starts_at <= now, Block.ends_at > now))  # fmt: skip
    out: dict[str, set[str]] = {}
    for agent_id, queue_id in rows:
        out.setdefault(str(agent_id), set()).add(queue_id)
    return {agent: frozenset(queues) for agent, queues in out.items()}


def sync(*, session: Session, now: datetime) -> int:
    """Queue a `set_booked` command for each agent whose engine booking differs from the
    schedule (in the caller's transaction); returns how many."""
    wanted = booked_now(session=session, now=now)
    sent = 0
    for agent_id, data in session.execute(select(RoutingAgent.agent_id, RoutingAgent.data)):
        held = frozenset((data or {}).get("booked") or ())
        want = wanted.get(agent_id, frozenset())
        if held != want:
            commands.submit(session, "set_booked", {"agent_id": agent_id, "queues": sorted(want)},
                            now=now.timestamp())  # fmt: skip
            sent += 1
    return sent


@dataclass
class OnBlockJob:
    sessions: object
    clock: Callable[[], datetime] = utcnow

    def run(self) -> int:
        with self.sessions.begin() as session:
            sent = sync(session=session, now=self.clock())
        if sent:
            log.info("told routing about %d agent(s) starting or ending a booked block", sent)
        return sent

    def register(self, scheduler) -> None:
        scheduler.add_job(self.run, "interval", seconds=EVERY_SECONDS, id=JOB_ID,
                          replace_existing=True, coalesce=True, max_instances=1)  # fmt: skip
