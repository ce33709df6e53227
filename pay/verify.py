"""`crowdline pay verify`: replay the event log of a period into talks, recompute each entry's
seconds and amounts by pay.money's rule, and list every difference with the ledger (a talk
without its entry, an entry without its talk, a figure off by anything at all)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.engine import Connection

from dispatcher.core.codec import decode_event
from dispatcher.tables import RoutingEvent
from pay.ledger import BonusSource, entry_values
from pay.models import PayEntry
from pay.money import ZERO
from pay.rates import booked_bonus
from pay.talks import TALK_TYPES, Talk, assignment_ending_at, pair_talks

LOOKBACK = 86400.0  # seconds of log read before the period, for talks that began before it
COMPARED = ("talk_seconds", "talk_amount", "bonus_amount", "amount", "started_at", "program")


@dataclass
class Report:
    talks: int
    entries: int
    differences: list[str]
    ledger_total: Decimal
    recomputed_total: Decimal


def _talks(connection: Connection, start: float, end: float) -> dict[tuple, Talk]:
    """Talks ending in [start, end), the first end after each assignment."""
    rows = connection.execute(
        select(RoutingEvent.data).where(RoutingEvent.at >= start - LOOKBACK,
                                        RoutingEvent.at < end,
                                        RoutingEvent.type.in_(TALK_TYPES))
        .order_by(RoutingEvent.position)
    )  # fmt: skip
    events = (decode_event(data) for (data,) in rows)
    found: dict[tuple, Talk] = {}
    lookup = lambda *end_of: assignment_ending_at(connection, *end_of)  # noqa: E731
    for talk in pair_talks(events, lookup):
        if start <= talk.ended_at < end and talk.key not in found:
            found[talk.key] = talk
    return found


def verify(connection: Connection, start: float, end: float,
           bonus: BonusSource = booked_bonus) -> Report:  # fmt: skip
    talks = _talks(connection, start, end)
    entries = {
        (e.task_id, e.agent_id, e.reservation_id): e
        for e in connection.execute(
            select(PayEntry).where(PayEntry.kind == "talk", PayEntry.at >= start,
                                   PayEntry.at < end)
        )
    }  # fmt: skip
    differences: list[str] = []
    recomputed_total = ZERO
    for key, talk in sorted(talks.items()):
        entry = entries.get(key)
        # The rates in force are the ones the entry recorded (pay rates change and bookings are
        # released later); the seconds and every amount are recomputed from the log.
        recorded = None if entry is None else (entry.rate_per_minute, entry.bonus_per_minute)
        expected = entry_values(connection, talk, bonus, recorded)
        recomputed_total += expected["amount"]
        if entry is None:
            differences.append(f"missing entry: task {key[0]} agent {key[1]} "
                               f"({expected['talk_seconds']} s, {expected['amount']})")  # fmt: skip
            continue
        for name in COMPARED:
            have, want = getattr(entry, name), expected[name]
            if (Decimal(str(have)) != Decimal(str(want))) if name != "program" else have != want:
                differences.append(f"entry {entry.id} (task {key[0]} agent {key[1]}): "
                                   f"{name} is {have}, the event log gives {want}")  # fmt: skip
    for key in sorted(set(entries) - set(talks)):
        differences.append(f"entry {entries[key].id} (task {key[0]} agent {key[1]}) "
                           "has no talk in the event log")  # fmt: skip
    ledger_total = sum((e.amount for e in entries.values()), ZERO)
    return Report(len(talks), len(entries), differences, ledger_total, recomputed_total)
