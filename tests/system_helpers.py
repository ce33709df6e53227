"""Helpers for tests that start real `crowdline` processes and check the event log."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections import defaultdict

from sqlalchemy import select

from dispatcher.core.codec import decode_event
from dispatcher.tables import RoutingEvent
from tests.waiting import PATIENCE, wait_until

CROWDLINE = os.path.join(os.path.dirname(sys.executable), "crowdline")


def start_crowdline(args: list[str], database_url: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "s" * 32,
        "PYTHONUNBUFFERED": "1",
    }
    return subprocess.Popen(
        [CROWDLINE, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


class OutputWatcher:
    """Collects a process's output lines in a thread so the test can wait for one."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.lines: list[tuple[float, str]] = []
        self._thread = threading.Thread(target=self._read, args=(process,), daemon=True)
        self._thread.start()

    def _read(self, process) -> None:
        with process.stdout:
            for line in process.stdout:
                self.lines.append((time.monotonic(), line.rstrip()))

    def join(self, timeout: float = 10.0) -> None:
        self._thread.join(timeout)

    def wait_for(self, text: str, timeout: float = PATIENCE) -> float:
        """When the first line containing `text` was read (monotonic seconds)."""

        def seen() -> float | None:
            return next((at for at, line in list(self.lines) if text in line), None)

        def what() -> str:
            return f"{text!r} in the output: {[line for _, line in self.lines][-20:]}"

        return wait_until(seen, timeout=timeout, message=what)


def event_log(connection) -> list:
    rows = connection.execute(
        select(RoutingEvent.position, RoutingEvent.data).order_by(RoutingEvent.position)
    ).all()
    assert [r.position for r in rows] == list(range(1, len(rows) + 1)), "gap in the event log"
    return [decode_event(r.data) for r in rows]


def check_holding_invariants(events, capacity: int = 1) -> None:
    """Replay the log: a task is never offered or assigned to two agents at once, and no agent
    holds more voice tasks than its capacity (invariant 1)."""
    holder: dict[str, str] = {}
    held: dict[str, set[str]] = defaultdict(set)
    for event in events:
        name = type(event).__name__
        if name == "ReservationCreated":
            assert event.task_id not in holder, f"{event.task_id} offered twice at once"
            holder[event.task_id] = event.agent_id
            held[event.agent_id].add(event.task_id)
            assert len(held[event.agent_id]) <= capacity, f"{event.agent_id} over capacity"
        elif name in (
            "ReservationRejected",
            "ReservationTimedOut",
            "ReservationWithdrawn",
            "TaskCompleted",
            "TaskCanceled",
            "TaskTransferred",
        ):
            agent = holder.pop(event.task_id, None)
            if agent:
                held[agent].discard(event.task_id)
        elif name == "TaskAssigned":
            assert holder.get(event.task_id) == event.agent_id
