"""The store contract every RoutingStore passes: the in-memory store and the SQL store alike.

Use: subclass `StoreContract` in a `test_*.py` module and define a `store` fixture returning an
empty store; override `commit` when the store needs a transaction boundary between writes and
reads (the default does nothing).
"""

from __future__ import annotations

from random import Random

import pytest

from dispatcher.core.clock import ManualClock
from dispatcher.core.events import AgentRegistered, QueueConfigured, TaskCreated
from dispatcher.core.model import (
    AgentPresence,
    AgentStatus,
    Channel,
    EscalationStep,
    Queue,
    Requirements,
    Reservation,
    ReservationState,
    Strategy,
    Task,
    TaskState,
)
from dispatcher.core.ports import save_changes
from dispatcher.core.restore import restore_router
from dispatcher.core.router import Router
from dispatcher.core.skills import Skill, Skills, StaticSkillSource

QUEUE = Queue(
    "sales",
    program="acme",
    requirements=Requirements(frozenset({"sales", "gdpr"}), frozenset({"en"}), 3),
    strategy=Strategy.ROUND_ROBIN,
    reservation_timeout=12.5,
    wrapup_seconds=20,
    escalation=(EscalationStep(30, min_proficiency=2), EscalationStep(60, overflow=("spill",))),
    max_wait=300,
    fallback="callback",
)


def make_task(task_id: str = "t1", state: TaskState = TaskState.PENDING, **fields) -> Task:
    fields.setdefault("seq", 1)
    return Task(
        task_id, "sales", Channel.CHAT, 2, 100.0, enqueued_at=100.0, state=state,
        required=frozenset({"premium"}), language="es", attributes={"caller": "+15550100"},
        declined_by={"bob"}, **fields,
    )  # fmt: skip


def make_agent(agent_id: str = "ann") -> AgentPresence:
    return AgentPresence(
        agent_id, status=AgentStatus.PAUSED, queues={"sales": 2, "spill": 0},
        capacity={Channel.VOICE: 1, Channel.CHAT: 4}, score=0.75, idle_since=50.0,
        missed_offers=2, tasks_handled=9, talk_seconds=1234.5, last_offered={"sales": 17},
    )  # fmt: skip


class StoreContract:
    """Behaviour the routing engine relies on from any store."""

    @pytest.fixture
    def store(self):
        raise NotImplementedError("define a `store` fixture returning an empty store")

    def commit(self, store) -> None:
        """Transaction boundary between writes and reads; override for transactional stores."""

    def test_saved_task_loads_back_equal_but_not_as_the_same_object(self, store):
        task = make_task()
        store.save_task(task)
        self.commit(store)
        loaded = store.get_task("t1")
        assert loaded == task and loaded is not task

    def test_changing_an_object_after_saving_it_does_not_change_the_store(self, store):
        task = make_task()
        store.save_task(task)
        self.commit(store)
        task.declined_by.add("cy")
        task.attributes["caller"] = "changed"
        assert store.get_task("t1") == make_task()

    def test_saving_a_task_again_replaces_it(self, store):
        store.save_task(make_task())
        store.save_task(make_task(state=TaskState.ASSIGNED, agent_id="ann", assigned_at=110.0))
        self.commit(store)
        loaded = store.get_task("t1")
        assert (loaded.state, loaded.agent_id, loaded.assigned_at) == (
            TaskState.ASSIGNED,
            "ann",
            110.0,
        )

    def test_unknown_task_is_none(self, store):
        assert store.get_task("missing") is None

    def test_open_state_holds_open_tasks_and_pending_offers_only(self, store):
        for i, state in enumerate(TaskState):
            store.save_task(make_task(f"t-{state}", state, seq=i))
        for state in ReservationState:
            store.save_reservation(Reservation(f"r-{state}", "t1", "ann", "sales", 1.0, 2.0, state))
        self.commit(store)
        opened = store.load_open_state()
        assert {t.state for t in opened.tasks} == {
            TaskState.PENDING, TaskState.RESERVED, TaskState.ASSIGNED, TaskState.WRAPPING,
        }  # fmt: skip
        assert [r.reservation_id for r in opened.reservations] == ["r-pending"]

    def test_open_state_holds_every_queue_and_agent_as_saved(self, store):
        store.save_queue(QUEUE)
        store.save_agent(make_agent())
        store.save_agent(make_agent("bob"))
        self.commit(store)
        opened = store.load_open_state()
        assert opened.queues == [QUEUE]
        assert sorted(opened.agents, key=lambda a: a.agent_id) == [make_agent(), make_agent("bob")]

    def test_events_come_back_in_order_with_positions_from_one(self, store):
        events = [
            QueueConfigured(at=1.0, queue_id="sales", queue=QUEUE),
            AgentRegistered(at=2.0, agent_id="ann", queues={"sales": 1},
                            capacity={Channel.VOICE: 1}, score=0.5),
            TaskCreated(at=3.0, task_id="t1", queue_id="sales", channel=Channel.SMS,
                        priority=1, required=frozenset({"x"}), language=None),
        ]  # fmt: skip
        store.append_events(events[:2])
        store.append_events(events[2:])
        self.commit(store)
        assert store.list_events() == [(1, events[0]), (2, events[1]), (3, events[2])]
        assert store.list_events(after=1, limit=1) == [(2, events[1])]
        assert store.list_events(after=3) == []

    def test_router_rebuilt_from_the_store_continues_where_it_stopped(self, store):
        clock, skills = ManualClock(0.0), StaticSkillSource()
        router = Router(clock=clock, skills=skills, rng=Random(1))
        run = _recording(router, store, self.commit)
        _scenario(router, run, clock, skills)
        rebuilt, events = restore_router(
            store.load_open_state(), clock=clock, skills=skills, rng=Random(1)
        )
        assert events == []
        assert _open_view(rebuilt) == _open_view(router)
        all_events = [e for _, e in store.list_events()]
        assert len(all_events) == len(run.log) and all_events == run.log


def _recording(router, store, commit):
    """Run a router command and persist what it changed, as the engine loop does."""

    def run(command, *args, **kwargs):
        events = command(*args, **kwargs)
        save_changes(store, router.changes(events), events)
        commit(store)
        run.log.extend(events)
        return events

    run.log = []
    return run


def _scenario(router, run, clock, skills):
    run(router.configure_queue, Queue("spill", requirements=Requirements(frozenset({"sales"}))))
    run(router.configure_queue, QUEUE)
    for name in ("ann", "bob", "cy"):
        skills.set(name, Skills.of([Skill("sales", 4), Skill("gdpr", 4)], ["en", "es"]))
        run(router.register_agent, name, queues={"sales": 1}, capacity={"voice": 1, "chat": 2})
        run(router.set_status, name, "available")
    for i in range(6):
        run(router.enqueue, f"t{i}", "sales", channel="chat", priority=i % 2)
        clock.advance(1)
    for task in list(router.tasks.values())[:3]:
        if task.state is TaskState.RESERVED:
            run(router.accept, task.reservation_id, task.agent_id)
    if router.tasks["t0"].state is TaskState.ASSIGNED:
        run(router.wrap_up, "t0")
    clock.advance(5)
    run(router.tick)


def _open_view(router):
    return (
        sorted((t.task_id, t.state, t.agent_id, t.reservation_id) for t in router.tasks.values()),
        sorted(router.reservations),
        {a.agent_id: (a.status, a.state, a.tasks_handled) for a in router.agents.values()},
        {q: list(i) for q, i in router.waiting.items() if i},
    )
