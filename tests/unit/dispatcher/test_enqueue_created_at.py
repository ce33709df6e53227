"""A task enqueued with an earlier created time (a callback) takes that place in queue order;
its max wait still counts from when it was queued."""

from __future__ import annotations

import pytest

from dispatcher.core.errors import InvalidValue
from dispatcher.core.model import AgentStatus, TaskState


def test_a_callback_queued_with_its_callers_created_time_keeps_that_place_in_line(desk, router):
    desk.queue()
    desk.agent("ann", status="offline")
    caller_came_in = desk.clock.now()
    desk.wait(5)
    desk.call("later")
    desk.wait(5)
    desk.call("callback", created_at=caller_came_in)
    assert router.list_waiting("sales") == ["callback", "later"]
    assert desk.task("callback").created_at == caller_came_in
    router.set_status("ann", AgentStatus.AVAILABLE)
    assert desk.offered_to("callback") == "ann"


def test_max_wait_of_a_backdated_task_counts_from_when_it_was_queued(desk):
    desk.queue(max_wait=30)
    desk.agent("ann", status="offline")
    desk.call("callback", created_at=desk.clock.now() - 300)
    desk.wait(20)
    assert desk.state("callback") is TaskState.PENDING
    desk.wait(15)
    assert desk.state("callback") is TaskState.CANCELED


@pytest.mark.parametrize("bad", [float("nan"), "yesterday", True])
def test_a_created_time_that_is_not_a_number_is_refused_and_changes_nothing(desk, router, bad):
    desk.queue()
    with pytest.raises(InvalidValue, match="created_at"):
        desk.call("t1", created_at=bad)
    assert "t1" not in router.tasks


def test_a_created_time_in_the_future_is_refused(desk, router):
    desk.queue()
    with pytest.raises(InvalidValue, match="created_at: must not be in the future"):
        desk.call("t1", created_at=desk.clock.now() + 1)
    assert "t1" not in router.tasks
