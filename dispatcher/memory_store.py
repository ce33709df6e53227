"""An in-memory RoutingStore for tests, benchmarks and the demo; it keeps copies, never aliases."""

from __future__ import annotations

from collections.abc import Sequence

from dispatcher.core.events import Event
from dispatcher.core.model import (
    OPEN_TASK_STATES,
    AgentPresence,
    Queue,
    Reservation,
    ReservationState,
    Task,
)
from dispatcher.core.ports import OpenState


class MemoryStore:
    """Dictionaries by id plus a list for the event log (positions start at 1)."""

    def __init__(self) -> None:
        self._queues: dict[str, Queue] = {}
        self._agents: dict[str, AgentPresence] = {}
        self._tasks: dict[str, Task] = {}
        self._reservations: dict[str, Reservation] = {}
        self._events: list[Event] = []

    def save_queue(self, queue: Queue) -> None:
        self._queues[queue.queue_id] = queue  # frozen: safe to share

    def save_agent(self, agent: AgentPresence) -> None:
        self._agents[agent.agent_id] = agent.clone()

    def save_task(self, task: Task) -> None:
        self._tasks[task.task_id] = task.clone()

    def save_reservation(self, reservation: Reservation) -> None:
        self._reservations[reservation.reservation_id] = reservation.clone()

    def append_events(self, events: Sequence[Event]) -> None:
        self._events.extend(events)  # frozen dataclasses: safe to share

    def get_task(self, task_id: str) -> Task | None:
        task = self._tasks.get(task_id)
        return task.clone() if task is not None else None

    def list_events(self, *, after: int = 0, limit: int | None = None) -> list[tuple[int, Event]]:
        end = len(self._events) if limit is None else min(len(self._events), after + limit)
        return [(i + 1, self._events[i]) for i in range(max(after, 0), end)]

    def load_open_state(self) -> OpenState:
        return OpenState(
            queues=list(self._queues.values()),
            agents=[a.clone() for a in self._agents.values()],
            tasks=[t.clone() for t in self._tasks.values() if t.state in OPEN_TASK_STATES],
            reservations=[
                r.clone()
                for r in self._reservations.values()
                if r.state is ReservationState.PENDING
            ],
        )
