"""Random command sequences against the router, checking invariants 1-5 after every step (the
checks and the oracle they use are in tests/unit/dispatcher/router_oracle.py).

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
from hypothesis.stateful import RuleBasedStateMachine, initialize, precondition, rule

from dispatcher.core.clock import ManualClock
from dispatcher.core.errors import CommandError
from dispatcher.core.model import (
    AgentStatus,
    TaskState,
)
from dispatcher.core.router import Router
from dispatcher.core.skills import Skill, Skills, StaticSkillSource
from dispatcher.core.state import RouterConfig
from tests.unit.dispatcher.router_oracle import AGENTS, QUEUES, RouterOracle

skill_st = st.builds(Skill, st.sampled_from(["c1", "c2"]), st.integers(1, 4),
                     st.one_of(st.none(), st.floats(0, 200)))  # fmt: skip
agent_st = st.fixed_dictionaries({
    "skills": st.lists(skill_st, max_size=2),
    "languages": st.sets(st.sampled_from(["en", "es"])),
    "queues": st.dictionaries(st.sampled_from(list(QUEUES)), st.integers(0, 2), min_size=1),
    "capacity": st.fixed_dictionaries({"voice": st.integers(0, 1), "chat": st.integers(0, 3)}),
})  # fmt: skip


class RouterMachine(RouterOracle, RuleBasedStateMachine):
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

    @rule(agent=st.sampled_from(AGENTS),
          queues=st.lists(st.sampled_from(list(QUEUES)), max_size=2, unique=True))  # fmt: skip
    def set_booked(self, agent, queues):
        """The schedule marks the agent booked on some queues' blocks (or none): only the order
        of offers changes, never who may take what (invariants 1-5 hold)."""
        self.apply(self.router.set_booked(agent, queues))

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
