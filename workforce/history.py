"""Per-slot history of queues read from the routing event log: arrivals (TaskCreated), handle
time (TaskAssigned → TaskCompleted, attributed to the slot of assignment) and abandonment
(TaskCanceled "abandoned"), in 30-minute slots from a Monday 00:00 UTC."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from dispatcher.tables import RoutingEvent

SLOT_SECONDS = 1800
WEEK_SLOTS = 7 * 48
TYPES = ("TaskCreated", "TaskAssigned", "TaskCompleted", "TaskCanceled")
BATCH = 20_000


@dataclass
class SlotHistory:
    """Arrays of weeks * WEEK_SLOTS slots starting at `start`."""

    start: datetime
    arrivals: np.ndarray
    handle_seconds: np.ndarray
    handled: np.ndarray
    abandoned: np.ndarray

    def aht(self, default: float) -> np.ndarray:
        """Mean handle time per slot of the week (seconds), over all weeks; `default` where no
        contact was handled in that slot of any week."""
        seconds = self.handle_seconds.reshape(-1, WEEK_SLOTS).sum(axis=0)
        handled = self.handled.reshape(-1, WEEK_SLOTS).sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(handled > 0, seconds / np.maximum(handled, 1), default)

    def overall_aht(self, default: float = 180.0) -> float:
        handled = self.handled.sum()
        return float(self.handle_seconds.sum() / handled) if handled else default


def read_history(
    *, session: Session, queue_ids: list[str], start: datetime, weeks: int
) -> dict[str, SlotHistory]:
    """The history of each queue over `weeks` weeks from `start` (a Monday 00:00 UTC)."""
    slots = weeks * WEEK_SLOTS
    since = start.timestamp()
    until = since + slots * SLOT_SECONDS
    wanted = set(queue_ids)
    out = {q: SlotHistory(start, *(np.zeros(slots) for _ in range(4))) for q in queue_ids}
    assigned: dict[str, tuple[str, float]] = {}
    last = 0
    while True:
        rows = session.execute(
            select(RoutingEvent.position, RoutingEvent.type, RoutingEvent.at, RoutingEvent.data)
            .where(
                RoutingEvent.type.in_(TYPES),
                RoutingEvent.data["queue_id"].as_string().in_(queue_ids),  # decode only these
                RoutingEvent.at >= since,
                RoutingEvent.at < until,
                RoutingEvent.position > last,
            )  # fmt: skip
            .order_by(RoutingEvent.position)
            .limit(BATCH)
        ).all()
        for _position, kind, at, data in rows:
            queue = data.get("queue_id")
            if queue not in wanted:
                continue
            slot = int((at - since) // SLOT_SECONDS)
            history = out[queue]
            if kind == "TaskCreated":
                history.arrivals[slot] += 1
            elif kind == "TaskAssigned":
                assigned[data["task_id"]] = (queue, at)
            elif kind == "TaskCompleted":
                begun = assigned.pop(data["task_id"], None)
                if begun is not None:
                    begun_slot = int((begun[1] - since) // SLOT_SECONDS)
                    history.handle_seconds[begun_slot] += at - begun[1]
                    history.handled[begun_slot] += 1
            elif data.get("reason") == "abandoned":
                history.abandoned[slot] += 1
        if len(rows) < BATCH:
            return out
        last = rows[-1][0]
