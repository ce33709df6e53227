"""The dashboard's refresh hint is throttled, but never drops the last batch of decisions."""

from __future__ import annotations

import threading

from dispatcher.core.events import Event
from web.dashboard.namespace import RefreshRelay


class TaskAssigned(Event):
    pass


class TaskCompleted(Event):
    pass


def test_events_inside_the_gap_cause_one_trailing_push_with_their_kinds():
    pushed: list[list[str]] = []
    arrived = threading.Event()

    def emit(kinds):
        pushed.append(kinds)
        if len(pushed) == 2:
            arrived.set()

    relay = RefreshRelay(min_gap=0.2, emit=emit)
    relay([TaskAssigned(at=1.0)])
    relay([TaskCompleted(at=2.0)])  # inside the gap: held, not lost
    relay([TaskCompleted(at=3.0)])
    assert pushed == [["TaskAssigned"]]
    assert arrived.wait(timeout=60), "the held batch was never pushed"
    assert pushed == [["TaskAssigned"], ["TaskCompleted"]]
    relay.stop()


def test_a_batch_after_the_gap_is_pushed_at_once():
    pushed: list[list[str]] = []
    relay = RefreshRelay(min_gap=0.0, emit=pushed.append)
    relay([TaskAssigned(at=1.0)])
    relay([TaskCompleted(at=2.0)])
    assert pushed == [["TaskAssigned"], ["TaskCompleted"]]
