"""The pay ledger check of `bench performance`: the benchmark's routing events, step by step, go
through the real pay projection into a fresh migrated SQLite database (as an engine saves them:
the events of one step, then the ledger's entries, in one transaction), and `pay verify`
recounts every entry from that event log. The program pays RATE per talk minute; there are no
schedule blocks, so no bonus."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, insert, select

from agents.models import Program
from database.engine import make_engine
from dispatcher.core.events import Event
from dispatcher.sql_store import SqlStore
from dispatcher.tables import RoutingQueue
from migrations import migrate
from pay.ledger import PayProjection
from pay.models import PayEntry
from pay.rates import no_bonus
from pay.verify import verify

RATE = Decimal("0.30")
STEPS_PER_TRANSACTION = 500  # the figures do not depend on it; fewer commits run faster


def ledger_check(steps: Sequence[Sequence[Event]], queue_id: str) -> dict:
    """{ledger_check, ledger_entries, ledger_talks, ledger_differences, ledger_total, …}."""
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'ledger.db'}")
        try:
            migrate.upgrade(engine)
            return _check(engine, steps, queue_id)
        finally:
            engine.dispose()


def _check(engine, steps: Sequence[Sequence[Event]], queue_id: str) -> dict:
    with engine.begin() as connection:
        connection.execute(insert(Program).values(code="bench", name="Benchmark",
                                                  client_name="Bench", pay_rate_per_minute=RATE))
        connection.execute(insert(RoutingQueue).values(queue_id=queue_id, program="bench",
                                                       data={}))  # fmt: skip
    project = PayProjection(bonus=no_bonus)
    for first in range(0, len(steps), STEPS_PER_TRANSACTION):
        with engine.begin() as connection:
            store = SqlStore(connection)
            for events in steps[first:first + STEPS_PER_TRANSACTION]:
                store.append_events(events)
                project(connection, events)
    end = max((e.at for events in steps for e in events), default=0.0) + 1.0
    with engine.connect() as connection:
        report = verify(connection, 0.0, end)
        talk_seconds = connection.scalar(select(func.coalesce(func.sum(PayEntry.talk_seconds), 0)))
    return {
        "ledger_check": f"{len(report.differences)} differences",
        "ledger_differences": len(report.differences), "ledger_entries": report.entries,
        "ledger_talks": report.talks, "ledger_total": str(report.ledger_total),
        "ledger_recomputed_total": str(report.recomputed_total),
        "ledger_talk_minutes": round(float(talk_seconds) / 60, 1),
        "ledger_first_differences": report.differences[:5],
    }  # fmt: skip
