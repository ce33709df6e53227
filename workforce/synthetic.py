"""Synthetic history in the routing event log (the living demo, the benchmark, tests): Poisson
arrivals per 30-minute slot following a weekly profile with growth, each contact assigned at
once and completed after an exponential handle time; written as the engine's own events."""

from __future__ import annotations

from datetime import datetime

import numpy as np
from sqlalchemy import insert
from sqlalchemy.orm import Session

from dispatcher.sql_store import LAST_POSITION
from dispatcher.tables import RoutingEvent
from workforce.history import SLOT_SECONDS, WEEK_SLOTS

CHUNK = 5000


def weekly_profile(peak: float, *, opens: int = 8, closes: int = 20,
                   weekend: float = 0.5) -> np.ndarray:  # fmt: skip
    """Expected arrivals per slot of a week: a midday hump from `opens` to `closes` (UTC hours),
    `peak` at its top, weekends scaled by `weekend`, zero outside."""
    day = np.zeros(48)
    first, last = opens * 2, closes * 2
    day[first:last] = peak * (0.35 + 0.65 * np.sin(np.linspace(0.1, np.pi - 0.1, last - first)))
    weights = [1.0, 1.05, 1.0, 0.95, 1.1, weekend, weekend * 0.7]
    return np.concatenate([day * w for w in weights])


def seed_history(
    *, session: Session, queue_id: str, start: datetime, weeks: int, profile: np.ndarray,
    growth: float = 0.02, aht: float = 180.0, seed: int = 1, channel: str = "voice",
) -> int:  # fmt: skip
    """Write `weeks` weeks of contacts from `start` (Monday 00:00 UTC); returns contacts."""
    rng = np.random.default_rng(seed)
    since = start.timestamp()
    expected = np.concatenate([profile * (1 + growth * w) for w in range(weeks)])
    counts = rng.poisson(expected)
    position = session.scalar(LAST_POSITION) or 0
    rows: list[dict] = []
    made = 0
    for slot in np.flatnonzero(counts):
        for at in np.sort(since + slot * SLOT_SECONDS + rng.uniform(0, SLOT_SECONDS, counts[slot])):
            made += 1
            task = f"hist-{queue_id}-{seed}-{made}"
            done = at + 5 + rng.exponential(aht)
            rows += _contact(task, queue_id, float(at), float(done), channel)
            if len(rows) >= CHUNK:
                position = _write(session, rows, position)
                rows = []
    _write(session, rows, position)
    return made


def _contact(task: str, queue: str, at: float, done: float, channel: str) -> list[dict]:
    agent = "hist-agent"
    return [
        {"type": "TaskCreated", "at": at, "task_id": task, "queue_id": queue, "channel": channel,
         "priority": 0, "required": [], "language": None},
        {"type": "TaskAssigned", "at": at + 5, "task_id": task, "agent_id": agent,
         "reservation_id": f"{task}-r", "queue_id": queue, "waited": 5.0},
        {"type": "TaskCompleted", "at": done, "task_id": task, "agent_id": agent,
         "queue_id": queue},
    ]  # fmt: skip


def _write(session: Session, events: list[dict], position: int) -> int:
    if not events:
        return position
    rows = [{"position": position + n, "type": e["type"], "at": e["at"], "task_id": e["task_id"],
             "agent_id": e.get("agent_id"), "data": e}
            for n, e in enumerate(events, start=1)]  # fmt: skip
    session.execute(insert(RoutingEvent), rows)
    return position + len(events)


__all__ = ["WEEK_SLOTS", "seed_history", "weekly_profile"]
