"""Helpers of the routing core's unit tests: a small desk of queues and certified agents on a
router, event names, and a comparable snapshot of everything a command could change."""

from __future__ import annotations

from dataclasses import asdict

from dispatcher.core.clock import ManualClock
from dispatcher.core.model import Queue, Requirements, TaskState
from dispatcher.core.router import Router
from dispatcher.core.skills import Skill, Skills, StaticSkillSource


class Desk:
    """Builds a small contact center on a router: each queue requires a certification named
    after it, and agents are certified (proficiency 3, English) for the queues they serve."""

    def __init__(self, router: Router, clock: ManualClock, skills: StaticSkillSource) -> None:
        self.router, self.clock, self.skills = router, clock, skills

    def queue(self, queue_id: str = "sales", *, min_proficiency: int = 1, **options) -> Queue:
        requirements = Requirements(frozenset({queue_id}), min_proficiency=min_proficiency)
        queue = Queue(queue_id, requirements=requirements, **options)
        self.router.configure_queue(queue)
        return queue

    def agent(
        self,
        agent_id: str,
        *,
        queues: dict[str, int] | tuple[str, ...] = ("sales",),
        certs: dict[str, int] | None = None,
        languages: tuple[str, ...] = ("en",),
        expires_at: float | None = None,
        status: str | None = "available",
        capacity: dict[str, int] | None = None,
        score: float = 0.0,
    ) -> list:
        priorities = queues if isinstance(queues, dict) else {q: 0 for q in queues}
        certs = {q: 3 for q in priorities} if certs is None else certs
        self.skills.set(
            agent_id,
            Skills.of([Skill(c, p, expires_at) for c, p in certs.items()], languages),
        )
        events = self.router.register_agent(
            agent_id, queues=priorities, capacity=capacity, score=score
        )
        if status is not None:
            events += self.router.set_status(agent_id, status)
        return events

    def call(self, task_id: str, queue_id: str = "sales", **options) -> list:
        return self.router.enqueue(task_id, queue_id, **options)

    def task(self, task_id: str):
        return self.router.get_task(task_id)

    def state(self, task_id: str) -> TaskState:
        return self.router.get_task(task_id).state

    def offered_to(self, task_id: str) -> str | None:
        task = self.router.get_task(task_id)
        return task.agent_id if task.state is TaskState.RESERVED else None

    def answer(self, task_id: str) -> list:
        task = self.router.get_task(task_id)
        return self.router.accept(task.reservation_id, task.agent_id)

    def decline(self, task_id: str) -> list:
        task = self.router.get_task(task_id)
        return self.router.reject(task.reservation_id, task.agent_id)

    def wait(self, seconds: float) -> list:
        self.clock.advance(seconds)
        return self.router.tick()


def names(events: list) -> list[str]:
    """Event class names, in order."""
    return [e.name for e in events]


def snapshot(router: Router) -> dict:
    """Everything a command could change, as plain comparable data."""
    return {
        "tasks": {k: asdict(v) for k, v in router.tasks.items()},
        "closed": list(router.closed_tasks),
        "agents": {k: asdict(v) for k, v in router.agents.items()},
        "reservations": {k: asdict(v) for k, v in router.reservations.items()},
        "waiting": {q: list(i) for q, i in router.waiting.items()},
        "idle": {s: list(i) for s, i in router.idle.items()},
        "timers": len(router.timers),
        "next_deadline": router.next_deadline(),
    }
