"""The deadline heap and the ordered index the router's decisions rest on."""

from __future__ import annotations

from random import Random

from dispatcher.core.index import OrderedIndex
from dispatcher.core.timers import TimerHeap


def test_timers_fire_in_deadline_order_and_only_when_due():
    timers = TimerHeap()
    timers.schedule("late", 30.0)
    timers.schedule("early", 10.0)
    timers.schedule("mid", 20.0)
    assert timers.pop_due(5.0) is None
    assert [timers.pop_due(25.0), timers.pop_due(25.0), timers.pop_due(25.0)] == [
        "early",
        "mid",
        None,
    ]
    assert timers.next_deadline() == 30.0


def test_canceled_or_rescheduled_timer_fires_once_at_its_latest_deadline():
    timers = TimerHeap()
    timers.schedule("a", 10.0)
    timers.schedule("a", 40.0)
    timers.schedule("b", 15.0)
    timers.cancel("b")
    assert timers.pop_due(20.0) is None
    assert timers.pop_due(40.0) == "a"
    assert timers.next_deadline() is None and len(timers) == 0


def test_timer_heap_stays_small_when_most_timers_are_canceled():
    timers = TimerHeap()
    for i in range(10_000):
        timers.schedule(i, float(i))
        timers.cancel(i)
    assert len(timers._heap) < 1_000


def test_index_walks_items_in_key_order_and_moves_rekeyed_items():
    index = OrderedIndex()
    index.add("b", (2,))
    index.add("a", (1,))
    index.add("c", (1,))
    assert list(index) == ["a", "c", "b"]
    index.add("a", (3,))
    index.discard("c")
    assert list(index) == ["b", "a"] and "c" not in index


def test_shuffled_runs_keep_key_order_between_runs_and_vary_inside_them():
    index = OrderedIndex()
    for name in "abcd":
        index.add(name, (0,))
    index.add("z", (1,))
    firsts = {next(index.shuffled_runs(Random(seed))) for seed in range(40)}
    assert firsts == set("abcd")
    assert list(index.shuffled_runs(Random(1)))[-1] == "z"
