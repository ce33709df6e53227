"""The rate in force for a talk: the agent's own pay rate per talk minute when it is set
(above 0), else the rate of the program whose queue the task was in; and the booked block's
bonus per minute (workforce.bookings)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from agents.models import Agent, Program
from database.clock import utc
from dispatcher.tables import RoutingQueue
from pay.money import ZERO
from workforce import bookings


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
    """No bonus at all (tests of the base rate)."""
    return ZERO


def booked_bonus(connection: Connection, agent_id: str, program_id: int | None,
                 at: float) -> Decimal:  # fmt: skip
    """The bonus per minute of the schedule block the agent is booked on at `at` (the talk's
    start) for the program; 0 off a block, or for agents and queues outside the roster."""
    if program_id is None or not agent_id.isdigit():
        return ZERO
    # A session on the engine's connection joins its transaction and never ends it.
    with Session(bind=connection) as session:
        return bookings.bonus_per_minute(session, int(agent_id), program_id, utc(at))
