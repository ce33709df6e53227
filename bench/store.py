"""Benchmark 2: committed assignments per second through the SQL store, on SQLite and on
PostgreSQL, next to a raw-SQL baseline doing the same writes in the same transactions.

A cycle is three committed transactions, as the engine commits them: a task arrives and is
offered (task, reservation, agent, events), the agent accepts (the assignment), the agent
completes. The router runs first, in memory, and records each transaction's changes and
events, so both sides write exactly the same rows; only the writing is timed. The store side
goes through SQLAlchemy Core; the baseline sends the same rows through the DB-API cursor with
hand-written SQL. Both serialise the records the same way inside the timing (codec.encode, then
json.dumps): any store must turn a Task into its stored form, so the ratio isolates what the
store's SQL layer costs.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
import uuid

from sqlalchemy import text
from sqlalchemy.engine import make_url

from bench._center import build_center
from database.engine import make_engine
from dispatcher.core.codec import encode, encode_event
from dispatcher.core.ports import save_changes
from dispatcher.sql_store import SqlStore
from migrations import migrate

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def record(cycles: int) -> list[tuple]:
    """(changes, events) of every transaction of `cycles` offer/accept/complete cycles."""
    router, clock, rng = build_center(200, 5)
    transactions = []
    for n in range(cycles):
        clock.advance(0.5)
        events = router.enqueue(f"t{n}", f"q{rng.randrange(5)}")
        transactions.append((router.changes(events), events))
        offer = next((e for e in events if e.name == "ReservationCreated"), None)
        if offer is None:
            continue
        for events in (
            router.accept(offer.reservation_id, offer.agent_id),
            router.complete(offer.task_id),
        ):
            transactions.append((router.changes(events), events))
    return transactions


def run_store(engine, transactions) -> float:
    started = time.perf_counter()
    with engine.connect() as connection:
        store = SqlStore(connection)
        for changes, events in transactions:
            with connection.begin():
                save_changes(store, changes, events)
    return time.perf_counter() - started


UPSERTS = {
    "routing_queues": ("queue_id", ["queue_id", "program", "data"]),
    "routing_agents": ("agent_id", ["agent_id", "status", "state", "data"]),
    "routing_tasks": (
        "task_id",
        ["task_id", "queue_id", "state", "agent_id", "created_at", "ended_at", "data"],
    ),
    "routing_reservations": (
        "reservation_id",
        ["reservation_id", "task_id", "agent_id", "state", "deadline", "data"],
    ),
}


def _sql(table: str, mark: str) -> str:
    key, columns = UPSERTS[table]
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != key)
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join([mark] * len(columns))})"
        f" ON CONFLICT ({key}) DO UPDATE SET {updates}"
    )


def baseline_rows(changes, events) -> list[tuple[str, list[tuple]]]:
    """The rows the store writes for one transaction, as DB-API parameter tuples."""
    steps = []
    for q in changes.queues:
        steps.append(("routing_queues", [(q.queue_id, q.program, encode(q))]))
    for a in changes.agents:
        steps.append(("routing_agents", [(a.agent_id, a.status.value, a.state.value, encode(a))]))
    for t in changes.tasks:
        steps.append(
            (
                "routing_tasks",
                [
                    (
                        t.task_id,
                        t.queue_id,
                        t.state.value,
                        t.agent_id,
                        t.created_at,
                        t.ended_at,
                        encode(t),
                    )
                ],
            )
        )
    for r in changes.reservations:
        steps.append(
            (
                "routing_reservations",
                [(r.reservation_id, r.task_id, r.agent_id, r.state.value, r.deadline, encode(r))],
            )
        )
    steps.append(
        ("events", [(e.name, e.at, getattr(e, "task_id", None), encode_event(e)) for e in events])
    )
    return steps


def run_baseline(engine, transactions) -> float:
    mark = "%s" if engine.dialect.name == "postgresql" else "?"
    sql = {table: _sql(table, mark) for table in UPSERTS}
    insert_event = (
        f"INSERT INTO routing_events (position, type, at, task_id, data) "
        f"VALUES ({', '.join([mark] * 5)})"
    )
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        started = time.perf_counter()
        for changes, events in transactions:
            steps = baseline_rows(changes, events)
            if engine.dialect.name == "sqlite":
                cursor.execute("BEGIN")
            for table, rows in steps:
                if table == "events":
                    if not rows:
                        continue
                    cursor.execute("SELECT coalesce(max(position), 0) FROM routing_events")
                    last = cursor.fetchone()[0]
                    cursor.executemany(
                        insert_event,
                        [
                            (last + n, name, at, task, json.dumps(data))
                            for n, (name, at, task, data) in enumerate(rows, start=1)
                        ],
                    )
                else:
                    for row in rows:
                        cursor.execute(sql[table], (*row[:-1], json.dumps(row[-1])))
            raw.commit()
        return time.perf_counter() - started
    finally:
        raw.close()


def _clear(engine) -> None:
    with engine.begin() as connection:
        for table in (
            "routing_events",
            "routing_reservations",
            "routing_tasks",
            "routing_agents",
            "routing_queues",
        ):
            connection.execute(text(f"DELETE FROM {table}"))


def measure(url: str, transactions, repeats: int) -> dict:
    engine = make_engine(url)
    try:
        migrate.upgrade(engine)
        store_times, raw_times = [], []
        for _ in range(repeats):  # alternate so both sides see the same machine state
            _clear(engine)
            store_times.append(run_store(engine, transactions))
            _clear(engine)
            raw_times.append(run_baseline(engine, transactions))
        return {"store_s": min(store_times), "raw_s": min(raw_times)}
    finally:
        engine.dispose()


def _postgres_scratch(server_url: str):
    name = f"crowdline_bench_{uuid.uuid4().hex[:8]}"
    admin = make_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False), name


def _drop(server_url: str, name: str) -> None:
    admin = make_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m bench.store", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="short run")
    parser.add_argument(
        "--postgres", default=os.environ.get("CROWDLINE_BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
    )
    args = parser.parse_args(argv)
    cycles, repeats = (300, 1) if args.quick else (2_000, 3)
    transactions = record(cycles)
    assignments = sum(
        1 for _, events in transactions if any(e.name == "TaskAssigned" for e in events)
    )
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        results["sqlite"] = measure(f"sqlite:///{folder}/bench.db", transactions, repeats)
    try:
        url, name = _postgres_scratch(args.postgres)
    except Exception as error:  # no server: report it, keep the SQLite figures
        print(f"PostgreSQL skipped: {error}")
    else:
        try:
            results["postgresql"] = measure(url, transactions, repeats)
        finally:
            _drop(args.postgres, name)
    print(
        f"Committed assignments: {assignments:,} cycles of 3 transactions "
        f"({len(transactions):,} commits), best of {repeats}"
    )
    print(f"{'database':<12}{'store /s':>12}{'raw SQL /s':>12}{'ratio':>8}")
    figures = {}
    for db, r in results.items():
        store_rate, raw_rate = assignments / r["store_s"], assignments / r["raw_s"]
        ratio = store_rate / raw_rate
        print(f"{db:<12}{store_rate:>12,.0f}{raw_rate:>12,.0f}{ratio:>8.2f}")
        figures[db] = {
            "store_assignments_per_s": round(store_rate),
            "raw_assignments_per_s": round(raw_rate),
            "ratio": round(ratio, 3),
        }
    result = {
        "bench": "store",
        "cycles": cycles,
        "transactions": len(transactions),
        "repeats": repeats,
        **figures,
        "goal_ratio": 0.5,
    }
    print("BENCH " + json.dumps(result))
    return result


if __name__ == "__main__":
    main()
