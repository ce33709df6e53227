"""The rate in force for a talk: the agent's own pay rate per talk minute when it is set
(above 0), else the rate of the program whose queue the task was in; and the booked block's
bonus per minute (0 until the schedule provides one)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.engine import Connection

from agents.models import Agent, Program
from dispatcher.tables import RoutingQueue
from pay.money import ZERO


def program_of_queue(connection: Connection, queue_id: str) -> tuple[str, int | None, Decimal]:
    """(program code, program id, its rate per minute); ("", None, 0) for a queue of no program."""
    code = connection.scalar(select(RoutingQueue.program).where(RoutingQueue.queue_id == queue_id))
    row = connection.execute(
        select(Program.id, Program.pay_rate_per_minute).where(Program.code == (code or ""))
    ).first()
    if row is None:
        return code or "", None, ZERO
    return code, row.id, Decimal(row.pay_rate_per_minute)


def agent_rate(connection: Connection, agent_id: str) -> Decimal:
    """The roster agent's own rate; 0 for agents outside the roster (load tests, bots by id)."""
    if not agent_id.isdigit():
        return ZERO
    rate = connection.scalar(select(Agent.pay_rate_per_minute).where(Agent.id == int(agent_id)))
    return Decimal(rate or 0)


def rate_in_force(connection: Connection, agent_id: str, program_rate: Decimal) -> Decimal:
    own = agent_rate(connection, agent_id)
    return own if own > 0 else program_rate


def no_bonus(connection: Connection, agent_id: str, program_id: int | None, at: float) -> Decimal:
    """The bonus source before the schedule's booked blocks exist: nothing."""
    return ZERO
