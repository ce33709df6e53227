"""The pay ledger's writer: a projection the engine calls inside each step's transaction with
the events it just saved, so a talk's entry commits (or rolls back) with the event that ends
it. Idempotent on (task, agent, reservation): a replayed step or a restarted engine writes
nothing twice."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.engine import Connection

from dispatcher.core.events import Event
from pay import rates
from pay.models import PayEntry
from pay.money import per_minute, seconds_between
from pay.talks import TALK_END_TYPES, Talk, assignment_ending_at, pair_talks

BonusSource = Callable[[Connection, str, int | None, float], Decimal]


def entry_values(connection: Connection, talk: Talk, bonus: BonusSource,
                 recorded: tuple[Decimal, Decimal] | None = None) -> dict:  # fmt: skip
    """The columns of a talk's entry: seconds, the rate and the bonus per minute in force
    (or `recorded` = (rate, bonus) of an existing entry), amounts rounded by pay.money's rule;
    `pay verify` recomputes by it."""
    a = talk.assignment
    program, program_id, program_rate = rates.program_of_queue(connection, a.queue_id)
    if recorded is not None:
        rate, bonus_rate = recorded
    else:
        rate = rates.rate_in_force(connection, a.agent_id, program_rate)
        bonus_rate = Decimal(bonus(connection, a.agent_id, program_id, a.at))
    seconds = seconds_between(a.at, talk.ended_at)
    talk_amount, bonus_amount = per_minute(seconds, rate), per_minute(seconds, bonus_rate)
    return {
        "kind": "talk", "agent_id": a.agent_id, "at": talk.ended_at, "program": program,
        "task_id": a.task_id, "reservation_id": a.reservation_id, "queue_id": a.queue_id,
        "started_at": a.at, "end_event": talk.end_event, "talk_seconds": seconds,
        "rate_per_minute": rate, "bonus_per_minute": bonus_rate, "talk_amount": talk_amount,
        "bonus_amount": bonus_amount, "amount": talk_amount + bonus_amount,
    }  # fmt: skip


def _exists(connection: Connection, key: tuple[str, str, str]) -> bool:
    task_id, agent_id, reservation_id = key
    return connection.scalar(
        select(PayEntry.id).where(PayEntry.task_id == task_id, PayEntry.agent_id == agent_id,
                                  PayEntry.reservation_id == reservation_id)
    ) is not None  # fmt: skip


class PayProjection:
    """Called by the engine as `projection(connection, events)` after the events are saved,
    in the same transaction (crowdline.wiring installs it in every engine)."""

    def __init__(self, bonus: BonusSource = rates.booked_bonus) -> None:
        self.bonus = bonus

    def __call__(self, connection: Connection, events: Sequence[Event]) -> None:
        if not any(event.name in TALK_END_TYPES for event in events):
            return
        written: set[tuple[str, str, str]] = set()
        for talk in pair_talks(events, lambda *end: assignment_ending_at(connection, *end)):
            if talk.key in written or _exists(connection, talk.key):
                continue
            connection.execute(
                PayEntry.__table__.insert().values(**entry_values(connection, talk, self.bonus))
            )
            written.add(talk.key)
