"""Rules of offers: accept, reject, timeout, missed-offer pause, deadlines."""

from __future__ import annotations

from random import Random

import pytest

from dispatcher.core.errors import CommandError
from dispatcher.core.model import AgentState, AgentStatus, ReservationState, TaskState
from dispatcher.core.router import Router
from dispatcher.core.state import RouterConfig


def test_offer_deadline_is_offer_time_plus_queue_reservation_timeout(desk, router, clock):
    desk.queue(reservation_timeout=12)
    desk.agent("ann")
    desk.call("t1")
    reservation = router.get_reservation(desk.task("t1").reservation_id)
    assert reservation.deadline == clock.now() + 12


def test_accepted_offer_assigns_the_task_to_the_agent(desk, router, event_names):
    desk.queue()
    desk.agent("ann")
    desk.call("t1")
    events = desk.answer("t1")
    assert event_names(events) == ["ReservationAccepted", "TaskAssigned", "AgentStateChanged"]
    assert desk.state("t1") is TaskState.ASSIGNED
    assert desk.task("t1").agent_id == "ann"
    assert router.get_agent("ann").state is AgentState.BUSY


def test_rejected_offer_returns_task_to_its_place_in_queue(desk, router):
    desk.queue(reservation_timeout=60)
    desk.agent("ann")
    desk.agent("bob", status="offline")
    for task_id in ("first", "second", "third"):
        desk.call(task_id)
        desk.wait(5)
    desk.decline("first")  # ann takes "second" next; "first" waits ahead of "third"
    assert router.list_waiting("sales") == ["first", "third"]
    router.set_status("bob", "available")
    assert desk.offered_to("first") == "bob"


def test_rejected_task_goes_to_the_next_agent_and_never_back_to_the_rejecter(desk):
    desk.queue()
    desk.agent("ann")
    desk.wait(1)
    desk.agent("bob", status="break")
    desk.call("t1")
    assert desk.offered_to("t1") == "ann"
    desk.decline("t1")
    assert desk.state("t1") is TaskState.PENDING
    desk.router.set_status("bob", "available")
    assert desk.offered_to("t1") == "bob"


def test_agent_who_rejected_a_task_gets_the_next_one_waiting(desk):
    desk.queue()
    desk.agent("ann", status="offline")
    desk.call("t1")
    desk.call("t2")
    desk.router.set_status("ann", "available")
    desk.decline("t1")
    assert desk.offered_to("t2") == "ann"


def test_timed_out_offer_returns_task_to_its_place_in_queue(desk, router):
    desk.queue(reservation_timeout=10)
    desk.agent("ann")
    desk.agent("bob", status="offline")
    desk.call("first")
    desk.wait(1)
    desk.call("second")
    events = desk.wait(9)
    assert [e.name for e in events][:2] == ["ReservationTimedOut", "TaskRequeued"]
    assert desk.offered_to("second") == "ann"
    assert router.list_waiting("sales") == ["first"]
    desk.wait(1)
    desk.call("third")
    router.set_status("bob", "available")
    assert desk.offered_to("first") == "bob"


def test_consecutive_missed_offers_pause_the_agent(desk, router):
    desk.queue(reservation_timeout=10)  # the router fixture pauses after 2 misses
    desk.agent("ann")
    desk.call("t1")
    desk.call("t2")
    desk.wait(10)  # t1 missed, t2 offered
    assert desk.offered_to("t2") == "ann"
    events = desk.wait(10)  # t2 missed: paused
    paused = [e for e in events if e.name == "AgentStatusChanged"]
    assert paused[0].status is AgentStatus.PAUSED and paused[0].reason == "missed_offers"
    assert router.get_agent("ann").status is AgentStatus.PAUSED
    assert router.list_waiting("sales") == ["t1", "t2"]


def test_accepting_resets_the_missed_offer_count(desk, router):
    desk.queue(reservation_timeout=10, wrapup_seconds=0)
    desk.agent("ann")
    desk.call("t1")
    desk.call("t2")
    desk.wait(10)  # t1 missed
    desk.answer("t2")
    assert router.get_agent("ann").missed_offers == 0


def test_rejections_do_not_count_as_missed_offers(desk, router):
    desk.queue()
    desk.agent("ann")
    for i in range(3):
        desk.call(f"t{i}")
        desk.decline(f"t{i}")
    assert router.get_agent("ann").status is AgentStatus.AVAILABLE


def test_pausing_after_missed_offers_can_be_disabled(clock, skills, desk):
    router = Router(clock=clock, skills=skills, rng=Random(1), config=RouterConfig(None))
    desk.router = router
    desk.queue(reservation_timeout=5)
    desk.agent("ann")
    for i in range(4):
        desk.call(f"t{i}")
    desk.wait(5)
    desk.wait(5)
    desk.wait(5)
    assert router.get_agent("ann").status is AgentStatus.AVAILABLE


def test_agent_is_offered_one_contact_at_a_time_by_default(desk):
    desk.queue()
    desk.agent("ann", capacity={"chat": 3, "voice": 1})
    desk.call("c1", channel="chat")
    desk.call("c2", channel="chat")
    desk.call("v1", channel="voice")
    assert [desk.offered_to(t) for t in ("c1", "c2", "v1")] == ["ann", None, None]
    desk.answer("c1")  # answered: the next one comes, still one at a time
    assert [desk.offered_to(t) for t in ("c2", "v1")] == ["ann", None]


def test_rejected_offer_lets_the_next_contact_through(desk):
    desk.queue()
    desk.agent("ann", capacity={"chat": 3})
    desk.call("c1", channel="chat")
    desk.call("c2", channel="chat")
    desk.decline("c1")
    assert desk.offered_to("c2") == "ann"


def test_concurrent_offer_queue_offers_several_chats_up_to_capacity(desk):
    desk.queue(concurrent_offers=True)
    desk.agent("ann", capacity={"chat": 2})
    desk.call("c1", channel="chat")
    desk.call("c2", channel="chat")
    desk.call("c3", channel="chat")
    assert [desk.offered_to(t) for t in ("c1", "c2", "c3")] == ["ann", "ann", None]


def test_no_offer_beside_an_offer_of_a_one_at_a_time_queue(desk):
    desk.queue("sales")
    desk.queue("chat", concurrent_offers=True)
    desk.agent("ann", queues={"sales": 1, "chat": 0}, capacity={"chat": 3, "voice": 1})
    desk.call("v1", channel="voice")
    desk.call("c1", "chat", channel="chat")
    assert (desk.offered_to("v1"), desk.offered_to("c1")) == ("ann", None)


def test_offer_missed_while_in_an_accepted_conversation_does_not_pause(desk, router):
    desk.queue(reservation_timeout=10)
    desk.agent("ann", capacity={"chat": 3})
    desk.call("c1", channel="chat")
    desk.answer("c1")  # ann is chatting with c1
    for i in range(2, 5):  # max_missed_offers is 2: three missed offers while busy
        desk.call(f"c{i}", channel="chat")
        assert desk.offered_to(f"c{i}") == "ann"
        desk.wait(10)
    agent = router.get_agent("ann")
    assert (agent.status, agent.missed_offers) == (AgentStatus.AVAILABLE, 0)


def test_offers_missed_while_idle_still_pause(desk, router):
    desk.queue(reservation_timeout=10)
    desk.agent("ann", capacity={"chat": 3})
    desk.call("c1", channel="chat")
    desk.wait(10)
    desk.call("c2", channel="chat")
    desk.wait(10)
    assert router.get_agent("ann").status is AgentStatus.PAUSED


def test_closed_reservation_records_how_it_ended(desk, router):
    desk.queue()
    desk.agent("ann")
    desk.call("t1")
    rid = desk.task("t1").reservation_id
    desk.decline("t1")
    assert router.get_reservation(rid).state is ReservationState.REJECTED


def test_wrap_up_extended_ends_later_and_never_past_the_cap(desk, router, clock):
    desk.queue(wrapup_seconds=30)
    desk.agent("ann")
    desk.call("t1")
    desk.answer("t1")
    router.wrap_up("t1")
    router.extend_wrap_up("t1", 60)
    desk.wait(60)
    assert desk.state("t1") is TaskState.WRAPPING  # 30 s planned + 60 s more
    desk.wait(31)
    assert desk.state("t1") is TaskState.COMPLETED


def test_wrap_up_extension_is_capped_and_refused_outside_wrap_up(desk, router, clock):
    desk.queue(wrapup_seconds=30)
    desk.agent("ann")
    desk.call("t1")
    with pytest.raises(CommandError):
        router.extend_wrap_up("t1", 30)  # offered, not wrapping
    desk.answer("t1")
    router.wrap_up("t1")
    for _ in range(5):
        router.extend_wrap_up("t1", 600)
    assert router.get_task("t1").wrap_until == clock.now() + 600
    with pytest.raises(CommandError):
        router.extend_wrap_up("t1", 0)
