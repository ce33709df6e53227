"""Two engine processes on PostgreSQL: kill -9 the active one under traffic; the standby takes
over; no task is lost or held by two agents."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest
from sqlalchemy import func, select

from dispatcher import commands
from dispatcher.core.codec import encode
from dispatcher.core.model import Queue
from dispatcher.tables import RoutingCommand, RoutingReservation, RoutingTask
from tests import databases
from tests.system_helpers import (
    OutputWatcher,
    check_holding_invariants,
    event_log,
    start_crowdline,
)
from tests.waiting import PATIENCE, wait_until

AGENTS = [f"a{i}" for i in range(8)]


@pytest.fixture
def postgres_db(fresh_db):
    if databases.suite_backend() != "postgresql":
        pytest.skip("runs in the PostgreSQL pass (CROWDLINE_TEST_DATABASE=postgresql)")
    return fresh_db


def _submit(sessions, *items) -> list[int]:
    with sessions.begin() as session:
        return [commands.submit(session, kind, payload, now=time.time()) for kind, payload in items]


def _agents_work(sessions, stop: threading.Event) -> None:
    """Simulated agents: accept every pending offer, complete every assigned task."""
    while not stop.is_set():
        with sessions() as session:
            offers = session.execute(
                select(RoutingReservation.reservation_id, RoutingReservation.agent_id).where(
                    RoutingReservation.state == "pending"
                )
            ).all()
            talking = session.scalars(
                select(RoutingTask.task_id).where(RoutingTask.state == "assigned")
            ).all()
        items = [("accept", {"reservation_id": r, "agent_id": a}) for r, a in offers]
        items += [("complete", {"task_id": t}) for t in talking]
        if items:
            _submit(sessions, *items)
        stop.wait(0.05)


def test_standby_takes_over_after_kill_9_and_nothing_is_lost(postgres_db):
    db, sessions = postgres_db
    url = db.url.render_as_string(hide_password=False)
    setup = [("configure_queue", {"queue": encode(Queue("q", reservation_timeout=5))})]
    for agent in AGENTS:
        setup += [
            ("register_agent", {"agent_id": agent, "queues": {"q": 1}}),
            ("set_status", {"agent_id": agent, "status": "available"}),
        ]
    _submit(sessions, *setup)

    first = start_crowdline(["engine"], url)
    first_out = OutputWatcher(first)
    first_out.wait_for("engine active")
    second = start_crowdline(["engine"], url)
    second_out = OutputWatcher(second)
    second_out.wait_for("waiting for the lease")
    stop = threading.Event()
    worker = threading.Thread(target=_agents_work, args=(sessions, stop), daemon=True)
    worker.start()
    try:
        for n in range(60):
            _submit(sessions, ("enqueue", {"task_id": f"before-{n}", "queue_id": "q"}))
            time.sleep(0.02)
        os.kill(first.pid, signal.SIGKILL)
        killed_at = time.monotonic()
        first.wait(60)
        probe = _submit(sessions, ("enqueue", {"task_id": "probe", "queue_id": "q"}))[0]
        done, error = commands.wait_for(sessions, probe, timeout=PATIENCE)
        takeover = time.monotonic() - killed_at
        assert done and error is None
        for n in range(60):
            _submit(sessions, ("enqueue", {"task_id": f"after-{n}", "queue_id": "q"}))
            time.sleep(0.02)
        _wait_until_settled(sessions)
    finally:
        stop.set()
        worker.join(10)
        for process in (first, second):
            if process.poll() is None:
                process.terminate()
                process.wait(60)
        first_out.join()
        second_out.join()
    print(f"standby took over and decided a new command {takeover:.2f}s after kill -9")
    assert second_out.wait_for("engine active") > killed_at
    with db.connect() as connection:
        events = event_log(connection)
        states = dict(connection.execute(select(RoutingTask.task_id, RoutingTask.state)).all())
        undecided = connection.scalar(
            select(func.count()).select_from(RoutingCommand).where(RoutingCommand.done_at.is_(None))
        )
    expected = {f"before-{n}" for n in range(60)} | {f"after-{n}" for n in range(60)} | {"probe"}
    assert expected <= set(states), "a task was lost"
    assert undecided == 0
    assert set(states.values()) == {"completed"}
    check_holding_invariants(events)


def _wait_until_settled(sessions) -> None:
    counts: dict[str, int] = {}

    def settled() -> bool:
        with sessions() as session:
            counts["open tasks"] = session.scalar(
                select(func.count())
                .select_from(RoutingTask)
                .where(RoutingTask.state != "completed")
            )
            counts["pending commands"] = session.scalar(
                select(func.count())
                .select_from(RoutingCommand)
                .where(RoutingCommand.done_at.is_(None))
            )
        return not any(counts.values())

    wait_until(settled, interval=0.2, message=lambda: f"everything settled ({counts})")
