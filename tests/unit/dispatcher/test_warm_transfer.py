"""Warm transfer in the routing core: consult a colleague on a call, then complete (the call
changes hands in one decision) or cancel (the call stays); the colleague gets no offers
meanwhile."""

from __future__ import annotations

import pytest

from dispatcher.core.errors import IllegalTransition, InvalidValue
from dispatcher.core.model import AgentState, TaskState
from dispatcher.core.stats import Statistics


@pytest.fixture
def on_call(desk):
    """ann talks to call t1 in sales; bob is available for sales."""
    desk.queue("sales", wrapup_seconds=30)
    desk.agent("ann")
    desk.call("t1")
    desk.answer("t1")
    desk.agent("bob")
    return desk


def test_consulted_colleague_is_busy_and_offered_nothing_while_the_call_stays_with_the_agent(
    on_call, router
):
    events = router.consult("t1", "bob")
    assert [e.name for e in events] == ["ConsultStarted", "AgentStateChanged"]
    assert router.get_agent("bob").state is AgentState.BUSY
    on_call.call("t2")
    assert on_call.state("t2") is TaskState.PENDING  # bob is on ann's call: no offer
    task = on_call.task("t1")
    assert (task.state, task.agent_id) == (TaskState.ASSIGNED, "ann")


def test_completed_consult_moves_the_call_to_the_colleague_and_frees_the_agent(on_call, router):
    on_call.wait(40)
    router.consult("t1", "bob")
    on_call.wait(20)
    events = router.end_consult("t1", complete=True)
    names = [e.name for e in events]
    assert names[:3] == ["TaskTransferred", "TaskAssigned", "ConsultEnded"]
    assert events[0].reason == "warm_transfer" and events[0].to_agent == "bob"
    task = on_call.task("t1")
    assert (task.state, task.agent_id) == (TaskState.ASSIGNED, "bob")
    assert router.get_agent("ann").state is AgentState.IDLE
    assert router.get_agent("ann").talk_seconds == 60  # answer → hand-over, consult included
    router.wrap_up("t1")
    assert on_call.task("t1").agent_id == "bob"
    assert router.get_agent("bob").talk_seconds == 0  # bob's own talk starts at the hand-over


def test_canceled_consult_frees_the_colleague_for_waiting_work(on_call, router):
    router.consult("t1", "bob")
    on_call.call("t2")
    events = router.end_consult("t1")
    assert [e.name for e in events][:2] == ["ConsultEnded", "ReservationCreated"]
    assert events[0].outcome == "canceled"
    assert on_call.offered_to("t2") == "bob"
    assert on_call.task("t1").agent_id == "ann"


def test_the_call_ending_during_a_consult_ends_the_consult(on_call, router):
    router.consult("t1", "bob")
    events = router.wrap_up("t1")
    ended = next(e for e in events if e.name == "ConsultEnded")
    assert (ended.outcome, ended.reason) == ("canceled", "call_ended")
    assert router.get_agent("bob").state is AgentState.IDLE
    with pytest.raises(IllegalTransition, match="no consult"):
        router.end_consult("t1", complete=True)


def test_a_consult_needs_an_available_free_colleague_and_a_call(on_call, router):
    on_call.agent("cy", status="break")
    with pytest.raises(IllegalTransition, match="'cy'.*not available"):
        router.consult("t1", "cy")
    with pytest.raises(InvalidValue, match="agent_id"):
        router.consult("t1", "ann")
    on_call.call("t2")  # offered to bob: he has a pending offer
    with pytest.raises(IllegalTransition, match="'bob'.*busy"):
        router.consult("t1", "bob")
    on_call.decline("t2")  # back in the queue; bob is free again
    on_call.agent("dee")  # takes the offer of t2
    router.consult("t1", "bob")
    with pytest.raises(IllegalTransition, match="already consulting 'bob'"):
        router.consult("t1", "dee")


def test_a_chat_cannot_be_consulted_on(desk, router):
    desk.queue("sales")
    desk.agent("ann")
    desk.call("c1", channel="chat")
    desk.answer("c1")
    desk.agent("bob")
    with pytest.raises(InvalidValue, match="task_id.*chat"):
        router.consult("c1", "bob")


def test_a_warm_transfer_is_one_offer_one_answer_and_one_handle_time_in_the_statistics(desk):
    events = [*desk.router.configure_queue(desk.queue("sales", service_level_seconds=20,
                                                      wrapup_seconds=0))]  # fmt: skip
    events += desk.agent("ann") + desk.call("t1")
    desk.clock.advance(5)
    events += desk.answer("t1") + desk.agent("bob")
    desk.clock.advance(60)
    events += desk.router.consult("t1", "bob")
    desk.clock.advance(30)
    events += desk.router.end_consult("t1", complete=True)
    desk.clock.advance(100)
    events += desk.router.wrap_up("t1")  # no wrap-up time: completes at once
    sales = next(iter(Statistics().apply_all(events).queues.values()))
    assert (sales.offered, sales.answered, sales.answered_in_sl) == (1, 1, 1)
    assert sales.asa == 5
    assert sales.handled == 1 and sales.aht == 190  # first answer to the end, both agents
