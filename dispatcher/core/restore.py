"""Rebuild a router from a store's open state after a restart or a fail-over.

Rules: offers whose deadline passed while no engine ran time out now (and their tasks are
offered again); escalation steps and max waits that fell due are applied; a task recorded as
reserved without a pending offer goes back to its place; then every waiting task is matched.
"""

from __future__ import annotations

from random import Random

from dispatcher.core.clock import Clock
from dispatcher.core.events import Event, TaskRequeued
from dispatcher.core.model import TaskState
from dispatcher.core.ports import OpenState
from dispatcher.core.router import Router
from dispatcher.core.skills import SkillSource
from dispatcher.core.state import RouterConfig


def restore_router(
    state: OpenState,
    *,
    clock: Clock,
    skills: SkillSource,
    rng: Random | None = None,
    config: RouterConfig | None = None,
) -> tuple[Router, list[Event]]:
    """A router holding copies of `state`, and the events of bringing it up to date."""
    router = Router(clock=clock, skills=skills, rng=rng, config=config)
    router.begin()
    for queue in state.queues:
        router.queues[queue.queue_id] = queue
    for record in state.agents:
        agent = record.clone()
        router.agents[agent.agent_id] = agent
        router.held[agent.agent_id] = {}
        router.slots[agent.agent_id] = {}
        router._order_queues(agent)
        router.offer_seq = max([router.offer_seq, *agent.last_offered.values()])
    _load_reservations(router, state)
    _load_tasks(router, state)
    for agent in router.agents.values():
        router.index_agent(agent)
        router.touched[agent.agent_id] = agent
    while (key := router.timers.pop_due(router.now)) is not None:
        router.fire(*key)
    for task in sorted(router.tasks.values(), key=lambda t: t.order_key):
        if task.state is TaskState.PENDING:
            router.match_task(task)
    for agent in router.agents.values():
        router.settle_agent(agent)
    return router, router.end()


def _load_reservations(router: Router, state: OpenState) -> None:
    open_ids = {t.task_id: t for t in state.tasks}
    for record in state.reservations:
        task = open_ids.get(record.task_id)
        if task is None or task.reservation_id != record.reservation_id:
            continue  # a stale offer of a task that moved on: nothing to restore
        reservation = record.clone()
        router.reservations[reservation.reservation_id] = reservation
        router.timers.schedule(("reservation", reservation.reservation_id), reservation.deadline)


def _load_tasks(router: Router, state: OpenState) -> None:
    for record in sorted(state.tasks, key=lambda t: t.order_key):
        task = record.clone()
        router.tasks[task.task_id] = task
        router.next_seq = max(router.next_seq, task.seq)
        if task.state is TaskState.RESERVED and task.reservation_id not in router.reservations:
            _recover_lost_offer(router, task)
        if task.state in (TaskState.RESERVED, TaskState.ASSIGNED, TaskState.WRAPPING):
            router.held[task.agent_id][task.task_id] = task
        if task.state is TaskState.WRAPPING:
            router.timers.schedule(("wrap", task.task_id), task.wrap_until)
        if task.state in (TaskState.PENDING, TaskState.RESERVED):
            router.schedule_waiting_timers(task)
        if task.state is TaskState.PENDING:
            router.list_task(task)


def _recover_lost_offer(router: Router, task) -> None:
    task.state = TaskState.PENDING
    task.agent_id = None
    task.reservation_id = None
    router.events.append(
        TaskRequeued(
            at=router.now, task_id=task.task_id, queue_id=task.queue_id, reason="recovered"
        )
    )
