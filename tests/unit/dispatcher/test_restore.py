"""Restart recovery: a router rebuilt from its store loses nothing and re-routes expired offers."""

from __future__ import annotations

from random import Random

from dispatcher.core.model import ReservationState, TaskState
from dispatcher.core.ports import Changes, save_changes
from dispatcher.core.restore import restore_router
from dispatcher.memory_store import MemoryStore


def _persisted(router):
    """Send every later command's changes to a memory store, as the engine loop would."""
    store = MemoryStore()
    state = Changes(
        queues=list(router.queues.values()),
        agents=[a.clone() for a in router.agents.values()],
        tasks=[t.clone() for t in router.tasks.values()],
        reservations=[r.clone() for r in router.reservations.values()],
    )
    save_changes(store, state, [])
    return store


def test_restart_keeps_waiting_tasks_and_outstanding_offers(desk, router, clock, skills):
    desk.queue(reservation_timeout=30)
    desk.agent("ann")
    desk.call("offered")
    desk.call("waiting")
    store = _persisted(router)
    rebuilt, events = restore_router(
        store.load_open_state(), clock=clock, skills=skills, rng=Random(1)
    )
    assert events == []
    assert rebuilt.get_task("offered").state is TaskState.RESERVED
    assert rebuilt.list_waiting("sales") == ["waiting"]
    clock.advance(30)
    rebuilt.tick()
    assert rebuilt.get_task("waiting").agent_id == "ann"


def test_offer_that_expired_during_downtime_times_out_and_is_rerouted(desk, router, clock, skills):
    desk.queue(reservation_timeout=10)
    desk.agent("ann")
    desk.call("t1")
    rid = desk.task("t1").reservation_id
    store = _persisted(router)
    clock.advance(60)  # the engine was down for a minute
    desk.agent("bob")  # comes online in the new engine's world
    state = store.load_open_state()
    state.agents.append(router.get_agent("bob").clone())
    rebuilt, events = restore_router(state, clock=clock, skills=skills, rng=Random(1))
    assert [e.name for e in events][:2] == ["ReservationTimedOut", "TaskRequeued"]
    assert rebuilt.get_reservation(rid).state is ReservationState.TIMED_OUT
    assert rebuilt.get_task("t1").agent_id == "bob"


def test_waits_that_ran_out_during_downtime_fall_back(desk, router, clock, skills):
    desk.queue(max_wait=60)
    desk.call("t1")
    store = _persisted(router)
    clock.advance(120)
    rebuilt, events = restore_router(store.load_open_state(), clock=clock, skills=skills)
    assert [e.name for e in events] == ["TaskFellBack"]
    assert rebuilt.get_task("t1").state is TaskState.CANCELED
