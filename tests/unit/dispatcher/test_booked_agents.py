"""The schedule's tie-in: an agent working a booked block of a queue is offered its tasks before
agents who are not booked, within the same priority and whatever the strategy."""

from __future__ import annotations

from random import Random

import pytest

from dispatcher.core.codec import decode_event, encode_event
from dispatcher.core.errors import InvalidValue, UnknownId
from dispatcher.core.events import AgentBookingChanged
from dispatcher.core.model import Strategy
from dispatcher.core.ports import Changes, save_changes
from dispatcher.core.restore import restore_router
from dispatcher.memory_store import MemoryStore
from tests.unit.dispatcher.desk import snapshot


def _finish(desk, task_id):
    desk.answer(task_id)
    desk.router.wrap_up(task_id)


@pytest.mark.parametrize("strategy", [Strategy.LONGEST_IDLE, Strategy.PERFORMANCE,
                                      Strategy.ROUND_ROBIN])  # fmt: skip
def test_a_booked_agent_is_offered_before_agents_idle_longer(desk, strategy):
    desk.queue(strategy=strategy, wrapup_seconds=0)
    desk.agent("ann", score=0.9)
    desk.wait(1)
    desk.agent("bob", score=0.1)
    events = desk.router.set_booked("bob", ["sales"])
    assert events == [AgentBookingChanged(at=desk.clock.now(), agent_id="bob",
                                          queues=frozenset({"sales"}))]  # fmt: skip
    for n in range(3):  # bob again and again while booked, though ann idled longer
        desk.call(f"t{n}")
        assert desk.offered_to(f"t{n}") == "bob"
        _finish(desk, f"t{n}")
    desk.router.set_booked("bob", [])  # the block ended
    desk.call("after")
    assert desk.offered_to("after") == "ann"


def test_booking_on_another_queue_gives_no_preference_here(desk):
    desk.queue("sales", wrapup_seconds=0)
    desk.queue("support", wrapup_seconds=0)
    desk.agent("ann", queues=("sales", "support"))
    desk.wait(1)
    desk.agent("bob", queues=("sales", "support"))
    desk.router.set_booked("bob", ["support"])
    desk.call("s1", "sales")
    assert desk.offered_to("s1") == "ann"
    desk.call("p1", "support")
    assert desk.offered_to("p1") == "bob"


def test_a_queue_priority_still_comes_before_a_booking(desk):
    desk.queue(wrapup_seconds=0)
    desk.agent("ann", queues={"sales": 5})
    desk.agent("bob", queues={"sales": 0})
    desk.router.set_booked("bob", ["sales"])
    desk.call("t1")
    assert desk.offered_to("t1") == "ann"


def test_random_strategy_picks_among_booked_agents_first(desk):
    desk.queue(strategy=Strategy.RANDOM, wrapup_seconds=0)
    for name in ("a0", "a1", "a2", "a3"):
        desk.agent(name)
    desk.router.set_booked("a2", ["sales"])
    desk.router.set_booked("a3", ["sales"])
    picks = set()
    for n in range(40):
        desk.call(f"t{n}")
        picks.add(desk.offered_to(f"t{n}"))
        _finish(desk, f"t{n}")
    assert picks == {"a2", "a3"}


def test_bad_bookings_are_refused_and_change_nothing(desk):
    desk.queue()
    desk.agent("ann")
    before = snapshot(desk.router)
    for bad in ("sales", None, [""], [7], ["x" * 500]):
        with pytest.raises(InvalidValue) as refused:
            desk.router.set_booked("ann", bad)
        assert refused.value.field == "queues"
        assert snapshot(desk.router) == before
    with pytest.raises(UnknownId):
        desk.router.set_booked("nobody", ["sales"])


def test_the_booking_survives_a_restart_and_the_event_log(desk, router, clock, skills):
    desk.queue(wrapup_seconds=0)
    desk.agent("ann")
    desk.wait(1)
    desk.agent("bob")
    event = router.set_booked("bob", ["sales"])[0]
    assert decode_event(encode_event(event)) == event
    store = MemoryStore()
    save_changes(store, Changes(queues=list(router.queues.values()),
                                agents=[a.clone() for a in router.agents.values()],
                                tasks=[], reservations=[]), [])  # fmt: skip
    rebuilt, _ = restore_router(store.load_open_state(), clock=clock, skills=skills, rng=Random(1))
    assert rebuilt.get_agent("bob").booked == frozenset({"sales"})
    rebuilt.enqueue("t1", "sales")
    assert rebuilt.get_task("t1").agent_id == "bob"
