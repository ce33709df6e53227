"""Rules after an answer: wrap-up, completion, transfers, and supervisor moves."""

from __future__ import annotations

import pytest

from dispatcher.core.errors import IllegalTransition
from dispatcher.core.model import AgentState, TaskState


@pytest.fixture
def on_call(desk):
    """ann is talking to t1 in sales (wrap-up 30 s)."""
    desk.queue("sales", wrapup_seconds=30)
    desk.queue("support")
    desk.agent("ann", queues=("sales", "support"))
    desk.call("t1")
    desk.answer("t1")
    return desk


def test_wrap_up_ends_when_its_timer_runs_out_and_frees_the_agent(on_call, router):
    events = router.wrap_up("t1")
    assert [e.name for e in events] == ["TaskWrapping", "AgentStateChanged"]
    assert router.get_agent("ann").state is AgentState.WRAPPING
    assert on_call.wait(29) == []
    events = on_call.wait(1)
    assert [e.name for e in events] == ["TaskCompleted", "AgentStateChanged"]
    assert router.get_agent("ann").state is AgentState.IDLE


def test_agent_in_wrap_up_gets_no_new_voice_call(on_call, router):
    router.wrap_up("t1")
    on_call.call("t2")
    assert on_call.state("t2") is TaskState.PENDING
    on_call.wait(30)
    assert on_call.offered_to("t2") == "ann"


def test_early_completion_ends_wrap_up_and_cancels_its_timer(on_call, router):
    router.wrap_up("t1")
    on_call.wait(5)
    router.complete("t1")
    assert on_call.state("t1") is TaskState.COMPLETED
    assert on_call.wait(60) == []


def test_queue_without_wrap_up_completes_when_the_conversation_ends(desk, router):
    desk.queue(wrapup_seconds=0)
    desk.agent("ann")
    desk.call("t1")
    desk.answer("t1")
    desk.wait(100)
    router.wrap_up("t1")
    assert desk.state("t1") is TaskState.COMPLETED
    assert router.get_agent("ann").talk_seconds == 100


def test_talk_time_counts_from_answer_to_the_end_of_the_conversation(on_call, router):
    on_call.wait(42)
    router.wrap_up("t1")
    on_call.wait(30)
    assert router.get_agent("ann").talk_seconds == 42


def test_transfer_to_a_queue_frees_the_agent_and_waits_there(on_call, router):
    events = router.transfer("t1", queue_id="support")
    assert "TaskTransferred" in [e.name for e in events]
    assert on_call.state("t1") is TaskState.PENDING  # ann may not take it back
    assert router.list_waiting("support") == ["t1"]
    assert router.get_agent("ann").state is AgentState.IDLE


def test_transferred_task_keeps_the_place_its_created_time_gives_it(on_call, router):
    on_call.agent("bob", queues=("support",), status="offline")
    on_call.wait(10)
    on_call.call("newer", "support")
    router.set_status("ann", "break")
    router.transfer("t1", queue_id="support")
    assert router.list_waiting("support") == ["t1", "newer"]


def test_transfer_to_a_named_agent_offers_only_that_agent(on_call, router):
    on_call.agent("bob", queues=("sales",), status="break")
    on_call.agent("cy", queues=("sales",))
    router.transfer("t1", agent_id="bob")
    assert on_call.state("t1") is TaskState.PENDING
    router.set_status("bob", "available")
    assert on_call.offered_to("t1") == "bob"


def test_transfer_needs_a_task_in_conversation(desk, router):
    desk.queue()
    desk.call("t1")
    with pytest.raises(IllegalTransition, match="'t1'.*pending"):
        router.transfer("t1", queue_id="sales")


def test_supervisor_reprioritising_moves_a_task_ahead(desk, router):
    desk.queue()
    desk.call("a")
    desk.call("b")
    router.reprioritise("b", 9)
    assert router.list_waiting("sales") == ["b", "a"]


def test_supervisor_moving_an_offered_task_withdraws_the_offer(desk, router):
    desk.queue("sales")
    desk.queue("support")
    desk.agent("ann", queues=("sales",))
    desk.call("t1", "sales")
    events = router.move("t1", "support")
    assert [e.name for e in events][:2] == ["ReservationWithdrawn", "TaskMoved"]
    assert router.list_waiting("support") == ["t1"]
    assert router.get_agent("ann").state is AgentState.IDLE
