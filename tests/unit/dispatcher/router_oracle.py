"""The oracle of the stateful router test (test_invariants_stateful.py): a projection of the
event log, the skills and offer rules written apart from the router's own, and invariants 1-5
checked after every step. Mixed into the test's RuleBasedStateMachine, whose router, clock,
skills, projection, status and created count it reads."""

from __future__ import annotations

from hypothesis.stateful import invariant

from dispatcher.core.errors import CommandError
from dispatcher.core.model import (
    AgentStatus,
    EscalationStep,
    Queue,
    Requirements,
    Strategy,
    TaskState,
)

AGENTS = ("a0", "a1", "a2", "a3", "a4")
QUEUES = {
    "q1": Queue("q1", requirements=Requirements(frozenset({"c1"}), min_proficiency=3),
                reservation_timeout=10, wrapup_seconds=5, max_wait=90,
                escalation=(EscalationStep(20, min_proficiency=1),
                            EscalationStep(40, overflow=("q2",)))),
    "q2": Queue("q2", requirements=Requirements(frozenset({"c2"})), strategy=Strategy.RANDOM,
                reservation_timeout=8, wrapup_seconds=0, max_wait=120, concurrent_offers=True),
    "q3": Queue("q3", requirements=Requirements(frozenset({"c1"}), frozenset({"es"})),
                strategy=Strategy.ROUND_ROBIN, reservation_timeout=12, max_wait=60),
}  # fmt: skip
STATE_OF_EVENT = {
    "TaskCreated": TaskState.PENDING, "ReservationCreated": TaskState.RESERVED,
    "TaskAssigned": TaskState.ASSIGNED, "TaskRequeued": TaskState.PENDING,
    "TaskWrapping": TaskState.WRAPPING, "TaskCompleted": TaskState.COMPLETED,
    "TaskCanceled": TaskState.CANCELED, "TaskFellBack": TaskState.CANCELED,
    "TaskTransferred": TaskState.PENDING, "TaskMoved": TaskState.PENDING,
}  # fmt: skip


class RouterOracle:
    # Helpers -----------------------------------------------------------------------------

    def held(self, *states):
        return sorted(t.task_id for t in self.router.tasks.values() if t.state in states)

    def refused(self, command, *args):
        before = self.snapshot()
        try:
            command(*args)
        except CommandError:
            assert self.snapshot() == before
        else:
            raise AssertionError(f"{command.__name__}{args} should have been refused")

    def snapshot(self):
        r = self.router
        return ({k: (t.state, t.agent_id, t.priority, t.queue_id) for k, t in r.tasks.items()},
                sorted(r.reservations), {a: g.status for a, g in r.agents.items()},
                len(r.timers))  # fmt: skip

    def apply(self, events):
        """Fold events into the projection, checking invariant 4 at each offer."""
        for event in events:
            if event.name == "AgentStatusChanged":
                self.status[event.agent_id] = event.status
            task_id = getattr(event, "task_id", None)
            if task_id is None:
                continue
            view = self.projection.setdefault(task_id, {"level": 0, "target": None})
            if event.name == "TaskCreated":
                view.update(queue=event.queue_id, channel=event.channel,
                            required=event.required, language=event.language)  # fmt: skip
            elif event.name in ("TaskTransferred", "TaskMoved"):
                view.update(queue=event.queue_id, level=0,
                            target=getattr(event, "to_agent", None))  # fmt: skip
            elif event.name == "TaskEscalated":
                view["level"] = event.level
            elif event.name == "ReservationCreated":
                assert self.eligible(event.agent_id, view, event.queue_id, event.at), event
            if event.name in STATE_OF_EVENT:
                view["state"] = STATE_OF_EVENT[event.name]

    def pools(self, view):
        queue = QUEUES[view["queue"]]
        pools = [view["queue"]]
        for step in queue.escalation[: view["level"]]:
            pools += [q for q in step.overflow if q not in pools]
        return pools

    def eligible(self, agent_id, view, pool, at):
        """Oracle of the skills rule, written apart from the router's own."""
        if view["target"] not in (None, agent_id) or pool not in self.pools(view):
            return False
        req = QUEUES[pool].requirements
        minimum = req.min_proficiency
        if pool == view["queue"]:
            for step in QUEUES[pool].escalation[: view["level"]]:
                minimum = step.min_proficiency or minimum
        skills = self.skills.skills_of(agent_id, at)
        langs = set(req.languages) | ({view["language"]} if view["language"] else set())
        if not langs <= skills.languages:
            return False
        for code in set(req.certifications) | set(view["required"]):
            skill = skills.certifications.get(code)
            if skill is None or skill.proficiency < minimum or not skill.valid_at(at):
                return False
        return True

    def load(self):
        counts = {}
        for task in self.router.tasks.values():
            if task.state in (TaskState.RESERVED, TaskState.ASSIGNED, TaskState.WRAPPING):
                key = (task.agent_id, task.channel)
                counts[key] = counts.get(key, 0) + 1
        return counts

    # Invariants --------------------------------------------------------------------------

    @invariant()
    def one_holder_and_capacity_respected(self):
        if not hasattr(self, "router"):
            return
        for (agent_id, channel), n in self.load().items():
            assert n <= self.router.agents[agent_id].capacity.get(channel, 0)
        for r in self.router.reservations.values():
            task = self.router.tasks[r.task_id]
            assert (task.state, task.agent_id, task.reservation_id) == (
                TaskState.RESERVED, r.agent_id, r.reservation_id)  # fmt: skip
            assert r.deadline > self.clock.now()

    @invariant()
    def no_task_lost_and_every_change_logged(self):
        if not hasattr(self, "router"):
            return
        assert len(self.projection) == self.created
        for task_id, view in self.projection.items():
            task = self.router.get_task(task_id)
            assert task is not None and task.state is view["state"], (task_id, view)
            if task.state is TaskState.CANCELED:
                assert task.cancel_reason is not None
            if task.state is TaskState.PENDING:
                where = task.target_agent and self.router.targeted[task.target_agent]
                assert task_id in (where or self.router.waiting[task.queue_id])
            if task.state is TaskState.RESERVED:
                assert task.reservation_id in self.router.reservations

    @invariant()
    def one_pending_offer_per_agent_unless_concurrent(self):
        if not hasattr(self, "router"):
            return
        pending = {}
        for r in self.router.reservations.values():
            pending.setdefault(r.agent_id, []).append(r.queue_id)
        for agent_id, pools in pending.items():
            concurrent = all(QUEUES[q].concurrent_offers for q in pools)
            assert len(pools) == 1 or concurrent, (agent_id, pools)

    def may_be_offered(self, agent_id, pool):
        """Oracle of the offer rule, written apart from the router's own."""
        pools = [r.queue_id for r in self.router.reservations.values() if r.agent_id == agent_id]
        return not pools or all(QUEUES[q].concurrent_offers for q in [*pools, pool])

    @invariant()
    def work_is_conserved(self):
        if not hasattr(self, "router"):
            return
        now, load = self.clock.now(), self.load()
        for task in self.router.tasks.values():
            if task.state is not TaskState.PENDING:
                continue
            view = self.projection[task.task_id]
            for agent_id in AGENTS:
                agent = self.router.agents[agent_id]
                if self.status.get(agent_id) is not AgentStatus.AVAILABLE:
                    continue
                if load.get((agent_id, task.channel), 0) >= agent.capacity.get(task.channel, 0):
                    continue
                if agent_id in task.declined_by:
                    continue
                pools = [task.queue_id] if view["target"] else self.pools(view)
                for pool in pools:
                    served = view["target"] == agent_id or pool in agent.queues
                    served = served and self.may_be_offered(agent_id, pool)
                    assert not (served and self.eligible(agent_id, view, pool, now)), (
                        f"{agent_id} idle while {task.task_id} waits in {pool}")  # fmt: skip
