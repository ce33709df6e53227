"""Statistics folded from the event log: per queue and 15-minute interval, and the live view."""

from __future__ import annotations

import pytest

from dispatcher.core.ports import OpenState
from dispatcher.core.stats import Statistics, realtime

BASE = 1800.0  # a 15-minute boundary; times below are seconds after it


class Log:
    """Runs desk commands and keeps every event they return, as the durable log would."""

    def __init__(self, desk):
        self.desk, self.events = desk, []
        desk.clock.set(BASE)

    def __call__(self, events):
        self.events.extend(events)
        return events

    def at(self, when: float):
        self.desk.clock.set(BASE + when)
        return self(self.desk.router.tick())


@pytest.fixture
def log(desk):
    return Log(desk)


def test_answered_within_service_level_asa_and_aht(desk, log):
    log(
        desk.router.configure_queue(
            desk.queue("sales", service_level_seconds=20, wrapup_seconds=30)
        )
    )
    log(desk.agent("ann"))
    log(desk.call("t1"))
    log.at(5)
    log(desk.answer("t1"))  # waited 5 s: within 20 s
    log.at(10)
    log(desk.call("t2"))
    log.at(60)
    log(desk.router.wrap_up("t1"))
    log.at(65)
    log(desk.router.complete("t1"))  # early end of wrap-up: t2 is offered to ann now
    log.at(70)
    log(desk.answer("t2"))  # waited 60 s: outside the service level
    log.at(90)
    log(desk.router.wrap_up("t2"))
    log.at(100)
    log(desk.router.complete("t2"))
    stats = Statistics().apply_all(log.events).close(BASE + 900)
    sales = stats.queues[("sales", BASE)]
    assert (sales.offered, sales.answered, sales.answered_in_sl) == (2, 2, 1)
    assert sales.asa == pytest.approx(32.5)
    assert sales.aht == pytest.approx(((65 - 5) + (100 - 70)) / 2)
    assert sales.service_level == pytest.approx(0.5)
    assert sales.offers_accepted == 2
    # ann held a task from 0 to 100 and was signed in the whole 900 s interval.
    assert stats.agents[BASE].working == pytest.approx(100)
    assert stats.agents[BASE].occupancy == pytest.approx(100 / 900)


def test_abandoned_rejected_and_timed_out_offers_are_counted(desk, log):
    log(desk.router.configure_queue(desk.queue("sales", reservation_timeout=10)))
    log(desk.agent("ann"))
    log(desk.call("t1"))
    log.at(2)
    log(desk.decline("t1"))
    log.at(10)
    log(desk.router.abandon("t1"))
    log.at(20)
    log(desk.call("t2"))
    log.at(30)  # the offer to ann times out
    log.at(35)
    log(desk.router.abandon("t2"))
    sales = Statistics().apply_all(log.events).queues[("sales", BASE)]
    assert (sales.offered, sales.answered, sales.abandoned) == (2, 0, 2)
    assert (sales.offers_rejected, sales.offers_timed_out) == (1, 1)
    assert sales.service_level == 0.0
    assert sales.asa is None


def test_agent_time_is_split_at_interval_boundaries(desk, log):
    log(desk.router.configure_queue(desk.queue("sales")))
    log.at(850)
    log(desk.agent("ann"))
    stats = Statistics().apply_all(log.events).close(BASE + 950)
    assert stats.agents[BASE].signed_in == pytest.approx(50)
    assert stats.agents[BASE + 900].signed_in == pytest.approx(50)
    assert stats.agents[BASE + 900].occupancy == 0.0


def test_contacts_count_in_the_interval_they_happened(desk, log):
    log(desk.router.configure_queue(desk.queue("sales")))
    log(desk.call("early"))
    log.at(899)
    log(desk.call("late"))
    log.at(901)
    log(desk.call("next"))
    stats = Statistics().apply_all(log.events)
    assert stats.queues[("sales", BASE)].offered == 2
    assert stats.queues[("sales", BASE + 900)].offered == 1


def test_live_view_shows_waiting_and_eligible_versus_available(desk, log):
    router = desk.router
    start = desk.clock.now()
    desk.queue("sales")
    desk.agent("ann")
    desk.agent("bob", status="break")
    desk.agent("cy", certs={}, queues=("sales",))  # serves the queue, not certified
    desk.call("t1")
    desk.call("t2")
    desk.clock.set(start + 30)
    state = OpenState(
        queues=list(router.queues.values()),
        agents=list(router.agents.values()),
        tasks=router.list_open_tasks(),
        reservations=[],
    )
    view = realtime(state, desk.skills, desk.clock.now())["sales"]
    assert view.waiting == 1 and view.longest_wait == pytest.approx(30)
    assert view.agents_by_status == {"available": 2, "break": 1}
    assert view.agents_by_state == {"reserved": 1, "idle": 2}
    assert (view.eligible, view.available) == (2, 0)


def test_each_agents_contacts_handle_time_acceptance_and_occupancy_come_from_the_log(desk, log):
    """The wallboard's per-agent figures today: the agent who handled a task is counted, not
    the one who declined it; a decline lowers acceptance; idle time lowers occupancy."""
    from dispatcher.statistics import AgentTimeStatistics

    log(desk.router.configure_queue(desk.queue("sales", wrapup_seconds=30)))
    log(desk.agent("ann"))
    log(desk.call("t1"))
    assert desk.offered_to("t1") == "ann"
    log(desk.decline("t1"))  # ann says no; bob signs in and takes it
    log(desk.agent("bob"))
    log.at(10)
    assert desk.offered_to("t1") == "bob"
    log(desk.answer("t1"))
    assigned = desk.clock.now()
    log.at(70)
    log(desk.router.wrap_up("t1"))
    log.at(80)
    log(desk.router.complete("t1"))
    stats = AgentTimeStatistics().apply_all(log.events).close(BASE + 200)

    bob, ann = stats.work["bob"], stats.work["ann"]
    assert (bob.handled, bob.offers_accepted) == (1, 1)
    assert bob.aht == pytest.approx(BASE + 80 - assigned)
    assert bob.acceptance == 1.0
    assert ann.handled == 0 and ann.aht is None
    assert ann.offers_accepted == 0 and ann.acceptance == 0.0
    assert 0 < stats.by_agent["bob"].occupancy < 1  # busy 68 s of the time signed in
    assert stats.by_agent["ann"].occupancy == 0.0
