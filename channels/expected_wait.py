"""What a waiting caller is told: their place in line and an expected wait from the engine's
statistics (the interval figures folded from the event log). expected wait (seconds) =
position × WINDOW ÷ tasks answered in the queue during the last WINDOW seconds: the time the
recent answer pace takes to reach the caller. No answer in the window → no estimate (the
caller hears their place only; a guess would be worse than nothing)."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from channels.contacts import WAITING
from channels.models import Contact, EntryPoint
from dispatcher.statistics import statistics_between
from dispatcher.tables import RoutingTask

WINDOW_SECONDS = 1800.0
#: Statistics are folded at most this often per process (hold URLs are fetched every ~20 s
#: by every waiting caller; the pace of a queue does not change faster than that).
REFRESH_SECONDS = 30.0


@dataclass(frozen=True, slots=True)
class Wait:
    position: int
    expected_seconds: float | None


class WaitEstimator:
    def __init__(self, *, window: float = WINDOW_SECONDS, refresh: float = REFRESH_SECONDS,
                 clock=time.time) -> None:  # fmt: skip
        self.window, self.refresh, self.clock = window, refresh, clock
        self._paces: dict[str, int] = {}  # queue → answered in the window
        self._folded_at: float | None = None
        self._lock = threading.Lock()

    def for_task(self, *, session: Session, task_id: str) -> Wait | None:
        """The caller's place and expected wait; None when not waiting or the number does not
        announce positions."""
        mine = session.execute(
            select(RoutingTask.queue_id, RoutingTask.created_at, RoutingTask.state,
                   EntryPoint.announce_position)
            .outerjoin(Contact, Contact.task_id == RoutingTask.task_id)
            .outerjoin(EntryPoint, EntryPoint.id == Contact.entry_point_id)
            .where(RoutingTask.task_id == task_id)
        ).one_or_none()  # fmt: skip
        if mine is None or mine.state not in WAITING or mine.announce_position is False:
            return None
        ahead = session.scalar(
            select(func.count()).select_from(RoutingTask).where(
                RoutingTask.queue_id == mine.queue_id, RoutingTask.state.in_(WAITING),
                RoutingTask.created_at < mine.created_at,
            )
        )  # fmt: skip
        position = ahead + 1
        return Wait(position, self.expected(session=session, queue_id=mine.queue_id,
                                            position=position))  # fmt: skip

    def expected(self, *, session: Session, queue_id: str, position: int) -> float | None:
        answered = self._answered(session, queue_id)
        return position * self.window / answered if answered else None

    def _answered(self, session: Session, queue_id: str) -> int:
        now = self.clock()
        with self._lock:
            if self._folded_at is None or now - self._folded_at >= self.refresh:
                self._paces = self._fold(session, now)
                self._folded_at = now
            return self._paces.get(queue_id, 0)

    def _fold(self, session: Session, now: float) -> dict[str, int]:
        stats = statistics_between(session.connection(), now - self.window, now)
        answered: dict[str, int] = {}
        for (queue_id, _start), counters in stats.queues.items():
            answered[queue_id] = answered.get(queue_id, 0) + counters.answered
        return answered


def spoken(seconds: float) -> str:
    """An expected wait as a caller hears it: rounded up to whole minutes."""
    if seconds < 60:
        return "less than a minute"
    minutes = int(-(-seconds // 60))
    return "about 1 minute" if minutes == 1 else f"about {minutes} minutes"
