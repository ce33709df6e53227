"""Read-only views of the router: entities by id, queue contents, and copies for persistence."""

from __future__ import annotations

from collections.abc import Iterable

from dispatcher.core.errors import IllegalTransition, UnknownId
from dispatcher.core.events import Event, QueueConfigured
from dispatcher.core.model import AgentPresence, AgentState, Queue, Reservation, Task, TaskState
from dispatcher.core.ports import Changes
from dispatcher.core.state import RoutingState, derive_state


class Queries(RoutingState):
    """Lookups; the returned objects are live, callers must not mutate them."""

    def get_task(self, task_id: str) -> Task | None:
        """An open task, or a recently ended one."""
        return self.tasks.get(task_id) or self.closed_tasks.get(task_id)

    def get_agent(self, agent_id: str) -> AgentPresence | None:
        return self.agents.get(agent_id)

    def get_queue(self, queue_id: str) -> Queue | None:
        return self.queues.get(queue_id)

    def get_reservation(self, reservation_id: str) -> Reservation | None:
        found = self.reservations.get(reservation_id)
        return found or self.closed_reservations.get(reservation_id)

    def list_waiting(self, queue_id: str) -> list[str]:
        """Pending task ids a queue may serve, in the order they will be offered."""
        index = self.waiting.get(queue_id)
        return list(index) if index else []

    def list_held(self, agent_id: str) -> list[Task]:
        """Open tasks the agent holds (reserved, assigned or wrapping)."""
        return list(self.held.get(agent_id, {}).values())

    def list_open_tasks(self) -> list[Task]:
        return list(self.tasks.values())

    def list_pending_reservations(self) -> list[Reservation]:
        return list(self.reservations.values())

    def agent_state(self, agent_id: str) -> AgentState:
        return derive_state(self.held[agent_id])

    def queue_or_raise(self, queue_id: str) -> Queue:
        queue = self.queues.get(queue_id)
        if queue is None:
            raise UnknownId("queue", queue_id)
        return queue

    def task_or_raise(self, task_id: str, *allowed: TaskState) -> Task:
        """The open task in one of `allowed` states, else an error naming its state."""
        task = self.tasks.get(task_id)
        if task is None:
            closed = self.closed_tasks.get(task_id)
            if closed is None:
                raise UnknownId("task", task_id)
            raise IllegalTransition("task", task_id, f"already {closed.state}")
        if allowed and task.state not in allowed:
            wanted = " or ".join(str(s) for s in allowed)
            raise IllegalTransition("task", task_id, f"is {task.state}, must be {wanted}")
        return task

    def changes(self, events: Iterable[Event]) -> Changes:
        """Copies of every queue, agent, task and reservation the events touched, to save."""
        tasks, agents, reservations, queues = {}, {}, {}, {}
        for event in events:
            if isinstance(event, QueueConfigured):
                queues[event.queue_id] = event.queue
            if (task_id := getattr(event, "task_id", None)) is not None:
                tasks[task_id] = self.get_task(task_id)
            for field in ("agent_id", "from_agent"):
                if (agent_id := getattr(event, field, None)) is not None:
                    agents[agent_id] = self.agents[agent_id]
            if (rid := getattr(event, "reservation_id", None)) is not None:
                reservations[rid] = self.get_reservation(rid)
        return Changes(
            queues=list(queues.values()),
            agents=[a.clone() for a in agents.values()],
            tasks=[t.clone() for t in tasks.values() if t is not None],
            reservations=[r.clone() for r in reservations.values() if r is not None],
        )
