"""Random command sequences against the router, checking invariants 1-4 after every step.

1. a task is held by at most one agent; no agent holds more per channel than its capacity;
2. no task is lost: each is open in exactly the place its state says, or ended with a reason,
   and the event log alone reproduces every task's state;
3. work conservation: no idle eligible agent while a task it could take waits;
4. every offer went to an agent eligible (valid skills) at the moment of the offer;
5. the offer rule: an agent has at most one pending offer, unless every pending offer of theirs
   came from a queue with `concurrent_offers` (then up to capacity);
6. a colleague consulted on a call (warm transfer) gets no offer until the consult ends.
"""

from __future__ import annotations

from random import Random

import hypothesis.strategies as st
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from dispatcher.core.clock import ManualClock
from dispatcher.core.errors import CommandError
from dispatcher.core.model import (
    AgentStatus,
    EscalationStep,
    Queue,
    Requirements,
    Strategy,
    TaskState,
)
from dispatcher.core.router import Router
from dispatcher.core.skills import Skill, Skills, StaticSkillSource
from dispatcher.core.state import RouterConfig

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

skill_st = st.builds(Skill, st.sampled_from(["c1", "c2"]), st.integers(1, 4),
                     st.one_of(st.none(), st.floats(0, 200)))  # fmt: skip
agent_st = st.fixed_dictionaries({
    "skills": st.lists(skill_st, max_size=2),
    "languages": st.sets(st.sampled_from(["en", "es"])),
    "queues": st.dictionaries(st.sampled_from(list(QUEUES)), st.integers(0, 2), min_size=1),
    "capacity": st.fixed_dictionaries({"voice": st.integers(0, 1), "chat": st.integers(0, 3)}),
})  # fmt: skip


class RouterMachine(RuleBasedStateMachine):
    @initialize(agents=st.lists(agent_st, min_size=len(AGENTS), max_size=len(AGENTS)))
    def build(self, agents):
        self.clock = ManualClock(0.0)
        self.skills = StaticSkillSource()
        self.router = Router(clock=self.clock, skills=self.skills, rng=Random(0),
                             config=RouterConfig(max_missed_offers=2))  # fmt: skip
        self.projection: dict[str, dict] = {}
        self.status = {}
        self.consulted: dict[str, str] = {}  # agent -> the call it is consulted on
        self.created = 0
        for queue in QUEUES.values():
            self.apply(self.router.configure_queue(queue))
        for agent_id, spec in zip(AGENTS, agents, strict=True):
            self.skills.set(agent_id, Skills.of(spec["skills"], spec["languages"]))
            self.apply(self.router.register_agent(
                agent_id, queues=spec["queues"], capacity=spec["capacity"]))  # fmt: skip
            self.apply(self.router.set_status(agent_id, "available"))

    # Commands ----------------------------------------------------------------------------

    @rule(queue=st.sampled_from(list(QUEUES)), channel=st.sampled_from(["voice", "chat"]),
          priority=st.integers(0, 2), language=st.sampled_from([None, "en", "es"]),
          required=st.sampled_from([(), ("c2",)]))  # fmt: skip
    def enqueue(self, queue, channel, priority, language, required):
        self.created += 1
        events = self.router.enqueue(
            f"t{self.created}", queue, channel=channel, priority=priority,
            language=language, required=required,
        )  # fmt: skip
        self.apply(events)

    @rule(agent=st.sampled_from(AGENTS), status=st.sampled_from(list(AgentStatus)))
    def set_status(self, agent, status):
        self.apply(self.router.set_status(agent, status))

    @precondition(lambda self: self.router.reservations)
    @rule(data=st.data(), take=st.booleans())
    def answer_offer(self, data, take):
        r = data.draw(st.sampled_from(sorted(self.router.reservations)))
        agent = self.router.reservations[r].agent_id
        self.apply((self.router.accept if take else self.router.reject)(r, agent))

    @precondition(lambda self: self.router.reservations)
    @rule(data=st.data())
    def answer_too_late_or_for_someone_else(self, data):
        r = self.router.reservations[data.draw(st.sampled_from(sorted(self.router.reservations)))]
        other = next(a for a in AGENTS if a != r.agent_id)
        self.refused(self.router.accept, r.reservation_id, other)
        self.clock.set(r.deadline)
        self.refused(self.router.accept, r.reservation_id, r.agent_id)
        self.apply(self.router.tick())

    @precondition(lambda self: self.held(TaskState.ASSIGNED, TaskState.WRAPPING))
    @rule(data=st.data(), how=st.sampled_from(["wrap_up", "complete", "to_queue", "to_agent"]))
    def finish_conversation(self, data, how):
        states = (
            (TaskState.ASSIGNED,) if how != "complete" else (TaskState.ASSIGNED, TaskState.WRAPPING)
        )
        candidates = self.held(*states)
        if not candidates:
            return
        task = data.draw(st.sampled_from(candidates))
        if how == "to_queue":
            self.apply(
                self.router.transfer(task, queue_id=data.draw(st.sampled_from(list(QUEUES))))
            )
        elif how == "to_agent":
            others = [a for a in AGENTS if a != self.router.tasks[task].agent_id]
            self.apply(self.router.transfer(task, agent_id=data.draw(st.sampled_from(others))))
        else:
            self.apply(getattr(self.router, how)(task))

    @precondition(lambda self: self.held(TaskState.ASSIGNED))
    @rule(data=st.data(), end=st.sampled_from(["complete", "cancel", "leave_open"]))
    def warm_transfer(self, data, end):
        """Consult a colleague on a call, then complete, cancel, or leave it to later rules."""
        task_id = data.draw(st.sampled_from(self.held(TaskState.ASSIGNED)))
        holder = self.router.tasks[task_id].agent_id
        colleague = data.draw(st.sampled_from([a for a in AGENTS if a != holder]))
        before = self.snapshot()
        try:
            self.apply(self.router.consult(task_id, colleague))
        except CommandError:  # a chat, a busy or unavailable colleague, a second consult
            assert self.snapshot() == before
            return
        if end != "leave_open":
            self.apply(self.router.end_consult(task_id, complete=end == "complete"))

    @precondition(lambda self: self.held(TaskState.WRAPPING))
    @rule(data=st.data(), seconds=st.floats(1, 600))
    def extend_wrap_up(self, data, seconds):
        task = data.draw(st.sampled_from(self.held(TaskState.WRAPPING)))
        self.apply(self.router.extend_wrap_up(task, seconds))

    @precondition(lambda self: self.held(TaskState.PENDING, TaskState.RESERVED))
    @rule(data=st.data(), how=st.sampled_from(["abandon", "move", "reprioritise"]))
    def touch_waiting(self, data, how):
        task = data.draw(st.sampled_from(self.held(TaskState.PENDING, TaskState.RESERVED)))
        if how == "abandon":
            self.apply(self.router.abandon(task))
        elif how == "move":
            self.apply(self.router.move(task, data.draw(st.sampled_from(list(QUEUES)))))
        else:
            self.apply(self.router.reprioritise(task, data.draw(st.integers(-1, 3))))

    @rule(agent=st.sampled_from(AGENTS), channel=st.sampled_from(["voice", "chat"]),
          capacity=st.integers(-1, 2))  # fmt: skip
    def set_capacity(self, agent, channel, capacity):
        holding = self.load().get((agent, channel), 0)
        if capacity < max(holding, 0) or capacity < 0:
            self.refused(self.router.set_capacity, agent, channel, capacity)
        else:
            self.apply(self.router.set_capacity(agent, channel, capacity))

    @rule(agent=st.sampled_from(AGENTS), skill=skill_st)
    def renew_skill(self, agent, skill):
        current = self.skills.skills_of(agent, self.clock.now())
        renewed = {**current.certifications, skill.code: skill}
        self.skills.set(agent, Skills(renewed, current.languages))
        self.apply(self.router.skills_changed(agent))

    @rule(seconds=st.floats(0, 30))
    def time_passes(self, seconds):
        self.clock.advance(seconds)
        self.apply(self.router.tick())

    @rule(data=st.data())
    def bad_command(self, data):
        closed = sorted(self.router.closed_tasks) or ["nope"]
        command = data.draw(st.sampled_from([
            (self.router.complete, data.draw(st.sampled_from(closed))),
            (self.router.set_status, "ghost", "available"),
            (self.router.accept, "no-such-offer", "a0"),
            (self.router.enqueue, "t1" if self.created else "x", "nowhere"),
        ]))  # fmt: skip
        self.refused(*command)

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
            elif event.name == "ConsultStarted":
                self.consulted[event.agent_id] = event.task_id
            elif event.name == "ConsultEnded":
                assert self.consulted.pop(event.agent_id) == event.task_id, event
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
                assert event.agent_id not in self.consulted, event
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
                if agent_id in self.consulted:  # on a colleague's call
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

    def teardown(self):
        """Every task reaches a terminal state with a reason once agents stop and time runs."""
        if not hasattr(self, "router"):
            return
        for task_id in self.held(TaskState.ASSIGNED, TaskState.WRAPPING):
            self.apply(self.router.complete(task_id))
        for agent_id in AGENTS:
            self.apply(self.router.set_status(agent_id, "offline"))
        self.clock.advance(10_000)
        self.apply(self.router.tick())
        assert self.router.tasks == {}
        assert self.consulted == {}  # a consult ends with its call
        for task_id in self.projection:
            task = self.router.get_task(task_id)
            assert task.state in (TaskState.COMPLETED, TaskState.CANCELED)
            assert task.state is TaskState.COMPLETED or task.cancel_reason is not None


RouterMachine.TestCase.settings = settings(
    max_examples=200, stateful_step_count=30, deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)  # fmt: skip
test_router_keeps_invariants_under_random_commands = RouterMachine.TestCase
