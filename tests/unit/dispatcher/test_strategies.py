"""Rules of agent selection per queue strategy."""

from __future__ import annotations

from collections import Counter

import pytest

from dispatcher.core.model import Strategy


def _finish(desk, task_id):
    desk.answer(task_id)
    desk.router.wrap_up(task_id)


@pytest.fixture
def three_agents(desk):
    def build(strategy: Strategy, **scores):
        desk.queue(strategy=strategy, wrapup_seconds=0)
        for name in ("ann", "bob", "cy"):
            desk.agent(name, score=scores.get(name, 0.0))
            desk.wait(1)
        return desk

    return build


def test_longest_idle_agent_gets_the_task(three_agents):
    desk = three_agents(Strategy.LONGEST_IDLE)
    desk.call("t1")
    assert desk.offered_to("t1") == "ann"
    _finish(desk, "t1")  # ann is idle again, but the most recently
    desk.call("t2")
    assert desk.offered_to("t2") == "bob"


def test_round_robin_offers_each_agent_in_turn(three_agents):
    desk = three_agents(Strategy.ROUND_ROBIN)
    order = []
    for i in range(6):
        desk.call(f"t{i}")
        order.append(desk.offered_to(f"t{i}"))
        _finish(desk, f"t{i}")
    assert order == ["ann", "bob", "cy", "ann", "bob", "cy"]


def test_fewest_tasks_agent_gets_the_task(three_agents):
    desk = three_agents(Strategy.FEWEST_TASKS)
    for agent in ("ann", "cy"):
        desk.router.get_agent(agent).tasks_handled = 5
        desk.router.index_agent(desk.router.get_agent(agent))
    desk.call("t1")
    assert desk.offered_to("t1") == "bob"


def test_least_talk_time_agent_gets_the_task(three_agents):
    desk = three_agents(Strategy.LEAST_TALK_TIME)
    desk.call("t1")
    desk.answer("t1")
    desk.wait(300)
    desk.router.wrap_up("t1")  # ann talked 300 s
    desk.call("t2")
    desk.answer("t2")
    desk.wait(10)
    desk.router.wrap_up("t2")  # bob talked 10 s; cy has not talked
    desk.call("t3")
    desk.call("t4")
    assert (desk.offered_to("t3"), desk.offered_to("t4")) == ("cy", "bob")


def test_highest_score_gets_the_task_under_the_performance_strategy(three_agents):
    desk = three_agents(Strategy.PERFORMANCE, ann=0.5, bob=0.9, cy=0.7)
    desk.call("t1")
    assert desk.offered_to("t1") == "bob"
    desk.router.set_score("cy", 0.95)
    desk.call("t2")
    assert desk.offered_to("t2") == "cy"


def test_random_strategy_spreads_offers_and_repeats_with_the_same_seed(desk):
    desk.queue(strategy=Strategy.RANDOM, wrapup_seconds=0)
    for i in range(4):
        desk.agent(f"a{i}")
    picks = []
    for i in range(200):
        desk.call(f"t{i}")
        picks.append(desk.offered_to(f"t{i}"))
        _finish(desk, f"t{i}")
    counts = Counter(picks)
    assert len(counts) == 4 and min(counts.values()) > 25
    assert picks[:10] == _replay_random_picks(10)


def _replay_random_picks(n):
    from random import Random

    from dispatcher.core.clock import ManualClock
    from dispatcher.core.model import Queue, Requirements
    from dispatcher.core.router import Router
    from dispatcher.core.skills import Skill, Skills, StaticSkillSource

    skills = StaticSkillSource()
    router = Router(clock=ManualClock(1_000.0), skills=skills, rng=Random(7))
    router.configure_queue(
        Queue("sales", requirements=Requirements(frozenset({"sales"})),
              strategy=Strategy.RANDOM, wrapup_seconds=0)
    )  # fmt: skip
    picks = []
    for i in range(4):
        skills.set(f"a{i}", Skills.of([Skill("sales", 3)], ["en"]))
        router.register_agent(f"a{i}", queues={"sales": 0})
        router.set_status(f"a{i}", "available")
    for i in range(n):
        router.enqueue(f"t{i}", "sales")
        task = router.get_task(f"t{i}")
        picks.append(task.agent_id)
        router.accept(task.reservation_id, task.agent_id)
        router.wrap_up(f"t{i}")
    return picks


def _chi_square(counts: Counter, names: list[str]) -> float:
    expected = sum(counts.values()) / len(names)
    return sum((counts[name] - expected) ** 2 / expected for name in names)


#: χ² critical value at p = 0.001 with 3 degrees of freedom (4 eligible agents).
CHI2_DF3_P001 = 16.27


def test_random_strategy_is_uniform_among_eligible_agents_when_some_idle_ones_are_skipped(desk):
    desk.queue(strategy=Strategy.RANDOM, wrapup_seconds=0)
    for i in range(6):
        # a1 and a4 stay idle in the queue's index, but their certification has expired:
        # the walk skips them, and their share must not go to the agent after them.
        expired = desk.clock.now() + 0.5 if i in (1, 4) else None
        desk.agent(f"a{i}", expires_at=expired)
    desk.wait(1)
    eligible = ["a0", "a2", "a3", "a5"]
    picks = Counter()
    for i in range(5000):
        desk.call(f"t{i}")
        picks[desk.offered_to(f"t{i}")] += 1
        _finish(desk, f"t{i}")
    assert set(picks) == set(eligible)
    assert _chi_square(picks, eligible) < CHI2_DF3_P001, picks


def test_random_strategy_is_uniform_among_agents_that_have_not_declined_the_task(desk):
    desk.queue(strategy=Strategy.RANDOM, wrapup_seconds=0, reservation_timeout=30)
    for i in range(6):
        desk.agent(f"a{i}")
    eligible = ["a0", "a2", "a3", "a5"]
    picks = Counter()
    for i in range(3000):
        desk.call(f"t{i}")
        while desk.offered_to(f"t{i}") in ("a1", "a4"):
            desk.decline(f"t{i}")  # the next offer is drawn among those who have not declined
        picks[desk.offered_to(f"t{i}")] += 1
        _finish(desk, f"t{i}")
    assert set(picks) == set(eligible)
    assert _chi_square(picks, eligible) < CHI2_DF3_P001, picks
