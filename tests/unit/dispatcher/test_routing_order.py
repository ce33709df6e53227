"""Rules of who gets offered what: eligibility, queue order and agent order."""

from __future__ import annotations

from dispatcher.core.model import AgentStatus, TaskState


def test_task_is_offered_to_an_idle_eligible_agent_at_once(desk, event_names):
    desk.queue()
    desk.agent("ann")
    events = desk.call("t1")
    assert event_names(events) == ["TaskCreated", "ReservationCreated", "AgentStateChanged"]
    assert desk.offered_to("t1") == "ann"


def test_task_waits_when_no_agent_is_available(desk, router):
    desk.queue()
    desk.agent("ann", status="break")
    desk.call("t1")
    assert desk.state("t1") is TaskState.PENDING
    assert router.list_waiting("sales") == ["t1"]


def test_agent_becoming_available_gets_the_oldest_waiting_task(desk, router):
    desk.queue()
    desk.agent("ann", status="offline")
    desk.call("t1")
    desk.wait(5)
    desk.call("t2")
    router.set_status("ann", AgentStatus.AVAILABLE)
    assert desk.offered_to("t1") == "ann"
    assert router.list_waiting("sales") == ["t2"]


def test_higher_priority_task_is_offered_before_an_older_one(desk, router):
    desk.queue()
    desk.agent("ann", status="offline")
    desk.call("old", priority=0)
    desk.wait(5)
    desk.call("urgent", priority=5)
    assert router.list_waiting("sales") == ["urgent", "old"]
    router.set_status("ann", "available")
    assert desk.offered_to("urgent") == "ann"


def test_older_task_is_offered_first_at_equal_priority(desk, router):
    desk.queue()
    desk.agent("ann", status="offline")
    for i in range(3):
        desk.call(f"t{i}")
        desk.wait(1)
    assert router.list_waiting("sales") == ["t0", "t1", "t2"]


def test_agent_without_the_queue_certification_is_never_offered(desk):
    desk.queue()
    desk.agent("ann", certs={})
    desk.call("t1")
    assert desk.state("t1") is TaskState.PENDING


def test_expired_certification_makes_agent_ineligible_at_once(desk, clock):
    desk.queue()
    desk.agent("ann", expires_at=clock.now() + 10)
    desk.wait(10)
    desk.call("t1")
    assert desk.state("t1") is TaskState.PENDING


def test_certification_valid_until_its_expiry_still_counts(desk, clock):
    desk.queue()
    desk.agent("ann", expires_at=clock.now() + 10)
    desk.wait(9.5)
    desk.call("t1")
    assert desk.offered_to("t1") == "ann"


def test_agent_below_queue_min_proficiency_is_not_offered(desk):
    desk.queue(min_proficiency=4)
    desk.agent("junior", certs={"sales": 3})
    desk.agent("senior", certs={"sales": 4})
    desk.call("t1")
    assert desk.offered_to("t1") == "senior"


def test_task_certification_beyond_the_queue_is_required_too(desk):
    desk.queue()
    desk.agent("ann", certs={"sales": 3})
    desk.agent("bob", certs={"sales": 3, "premium": 2})
    desk.call("t1", required=["premium"])
    assert desk.offered_to("t1") == "bob"


def test_task_language_requires_an_agent_who_speaks_it(desk):
    desk.queue()
    desk.agent("ann", languages=("en",))
    desk.agent("bea", languages=("en", "es"))
    desk.call("t1", language="es")
    assert desk.offered_to("t1") == "bea"


def test_task_nobody_can_take_does_not_block_the_tasks_behind_it(desk, router):
    desk.queue()
    desk.agent("ann", status="offline")
    desk.call("spanish", language="es")
    desk.call("english")
    router.set_status("ann", "available")
    assert desk.offered_to("english") == "ann"
    assert desk.state("spanish") is TaskState.PENDING


def test_agent_serves_its_higher_priority_queue_first(desk, router):
    desk.queue("sales")
    desk.queue("support")
    desk.agent("ann", queues={"sales": 1, "support": 5}, status="offline")
    desk.call("sale", "sales")
    desk.wait(30)
    desk.call("help", "support")
    router.set_status("ann", "available")
    assert desk.offered_to("help") == "ann"


def test_agent_takes_the_oldest_task_across_queues_of_equal_priority(desk, router):
    desk.queue("sales")
    desk.queue("support")
    desk.agent("ann", queues={"sales": 1, "support": 1}, status="offline")
    desk.call("help", "support")
    desk.wait(30)
    desk.call("sale", "sales")
    router.set_status("ann", "available")
    assert desk.offered_to("help") == "ann"


def test_queue_offers_its_higher_priority_agents_first(desk):
    desk.queue()
    desk.agent("backup", queues={"sales": 0})
    desk.wait(60)
    desk.agent("primary", queues={"sales": 10})
    desk.call("t1")
    assert desk.offered_to("t1") == "primary"


def test_agent_gets_work_from_every_queue_it_serves(desk):
    desk.queue("sales")
    desk.queue("support")
    desk.agent("ann", queues=("sales", "support"))
    desk.call("help", "support")
    assert desk.offered_to("help") == "ann"
