"""Bad commands get a clear domain error naming the id or field, and change nothing."""

from __future__ import annotations

import pytest

from dispatcher.core.errors import (
    CommandError,
    DuplicateId,
    IllegalTransition,
    InvalidValue,
    UnknownId,
)
from dispatcher.core.model import Queue


@pytest.fixture
def busy_desk(desk):
    """ann holds an offer of t1; t2 waits; bob is on break."""
    desk.queue(reservation_timeout=10)
    desk.agent("ann")
    desk.agent("bob", status="break")
    desk.call("t1")
    desk.call("t2")
    return desk


def _refused(router, state_of, error, match, command, *args, **kwargs):
    before = state_of(router)
    with pytest.raises(error, match=match) as caught:
        command(*args, **kwargs)
    assert isinstance(caught.value, CommandError)
    assert state_of(router) == before


def test_accepting_an_expired_reservation_is_refused_and_changes_nothing(
    busy_desk, router, clock, state_of
):
    rid = busy_desk.task("t1").reservation_id
    clock.advance(10)  # deadline reached, timer not yet fired
    _refused(router, state_of, IllegalTransition, f"{rid}.*expired", router.accept, rid, "ann")


def test_accepting_someone_elses_reservation_is_refused(busy_desk, router, state_of):
    rid = busy_desk.task("t1").reservation_id
    _refused(router, state_of, IllegalTransition, "offered to 'ann', not 'bob'",
             router.accept, rid, "bob")  # fmt: skip


def test_answering_a_reservation_twice_is_refused(busy_desk, router, state_of):
    rid = busy_desk.task("t1").reservation_id
    router.accept(rid, "ann")
    _refused(router, state_of, IllegalTransition, "already accepted", router.reject, rid, "ann")


def test_unknown_reservation_is_refused(busy_desk, router, state_of):
    _refused(router, state_of, UnknownId, "reservation 'nope'", router.accept, "nope", "ann")


def test_completing_a_task_twice_is_refused(busy_desk, router, state_of):
    busy_desk.answer("t1")
    router.complete("t1")
    _refused(router, state_of, IllegalTransition, "'t1'.*already completed",
             router.complete, "t1")  # fmt: skip


def test_completing_a_waiting_task_is_refused(busy_desk, router, state_of):
    _refused(router, state_of, IllegalTransition, "'t2': is pending", router.complete, "t2")


def test_abandoning_an_answered_task_starts_its_wrap_up(busy_desk, router):
    """The caller hung up while the agent's accept was on its way: whichever the engine sees
    first, the task ends right (here the accept: the conversation is over, not lost)."""
    busy_desk.answer("t1")
    events = router.abandon("t1")
    assert [type(e).__name__ for e in events][0] == "TaskWrapping"
    assert router.tasks["t1"].state.value == "wrapping"


def test_abandoning_a_finished_task_is_refused(busy_desk, router, state_of):
    busy_desk.answer("t1")
    router.complete("t1")
    _refused(router, state_of, IllegalTransition, "'t1'.*already completed",
             router.abandon, "t1")  # fmt: skip


def test_status_for_an_unknown_agent_is_refused(busy_desk, router, state_of):
    _refused(router, state_of, UnknownId, "agent 'zed'", router.set_status, "zed", "available")


def test_unknown_status_is_refused(busy_desk, router, state_of):
    _refused(router, state_of, InvalidValue, "status: 'lunch'", router.set_status, "ann", "lunch")


def test_negative_capacity_is_refused(busy_desk, router, state_of):
    _refused(router, state_of, InvalidValue, r"capacity\['chat'\]: must be >= 0",
             router.set_capacity, "ann", "chat", -1)  # fmt: skip


def test_capacity_below_what_the_agent_holds_is_refused(busy_desk, router, state_of):
    _refused(router, state_of, IllegalTransition, "'ann': holds 1 voice",
             router.set_capacity, "ann", "voice", 0)  # fmt: skip


def test_task_for_an_unknown_queue_is_refused(busy_desk, router, state_of):
    _refused(router, state_of, UnknownId, "queue 'nowhere'", router.enqueue, "t9", "nowhere")


def test_reusing_a_task_id_is_refused(busy_desk, router, state_of):
    _refused(router, state_of, DuplicateId, "task 't1'", router.enqueue, "t1", "sales")


def test_unknown_channel_is_refused(busy_desk, router, state_of):
    _refused(router, state_of, InvalidValue, "channel: 'fax'",
             router.enqueue, "t9", "sales", channel="fax")  # fmt: skip


def test_non_integer_priority_is_refused(busy_desk, router, state_of):
    _refused(router, state_of, InvalidValue, "priority", router.reprioritise, "t2", "high")


def test_transfer_to_an_unknown_agent_is_refused(busy_desk, router, state_of):
    busy_desk.answer("t1")
    _refused(router, state_of, UnknownId, "agent 'zed'", router.transfer, "t1", agent_id="zed")


def test_registering_an_agent_twice_is_refused(busy_desk, router, state_of):
    _refused(router, state_of, DuplicateId, "agent 'ann'", router.register_agent, "ann")


def test_queue_settings_out_of_range_are_refused():
    with pytest.raises(InvalidValue, match="reservation_timeout"):
        Queue("q", reservation_timeout=0)
    with pytest.raises(InvalidValue, match="max_wait"):
        Queue("q", max_wait=-5)
