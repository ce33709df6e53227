"""Rules of waiting: escalation steps, max wait and fallback, abandonment."""

from __future__ import annotations

from dispatcher.core.model import CancelReason, EscalationStep, TaskState


def test_escalation_lowers_the_min_proficiency_after_waiting(desk):
    desk.queue(min_proficiency=4, escalation=(EscalationStep(after=30, min_proficiency=2),))
    desk.agent("junior", certs={"sales": 2})
    desk.call("t1")
    desk.wait(29)
    assert desk.state("t1") is TaskState.PENDING
    events = desk.wait(1)
    assert [e.name for e in events][:2] == ["TaskEscalated", "ReservationCreated"]
    assert desk.offered_to("t1") == "junior"


def test_escalation_opens_the_overflow_queue_after_waiting(desk, router):
    desk.queue("overflow")
    desk.queue("sales", escalation=(EscalationStep(after=60, overflow=("overflow",)),))
    desk.agent("olly", queues=("overflow",))
    desk.call("t1", "sales")
    desk.wait(59)
    assert desk.state("t1") is TaskState.PENDING
    desk.wait(1)
    assert desk.offered_to("t1") == "olly"
    assert router.get_reservation(desk.task("t1").reservation_id).queue_id == "overflow"


def test_overflow_agent_becoming_free_picks_up_overflowed_tasks(desk, router):
    desk.queue("overflow")
    desk.queue("sales", escalation=(EscalationStep(after=60, overflow=("overflow",)),))
    desk.agent("olly", queues=("overflow",), status="offline")
    desk.call("t1", "sales")
    desk.wait(60)
    assert router.list_waiting("overflow") == ["t1"]
    router.set_status("olly", "available")
    assert desk.offered_to("t1") == "olly"


def test_overflow_agent_must_hold_the_overflow_queue_certification(desk):
    desk.queue("overflow")
    desk.queue("sales", escalation=(EscalationStep(after=60, overflow=("overflow",)),))
    desk.agent("olly", queues=("overflow",), certs={})
    desk.call("t1", "sales")
    desk.wait(60)
    assert desk.state("t1") is TaskState.PENDING


def test_steps_apply_in_order_as_the_task_keeps_waiting(desk):
    steps = (
        EscalationStep(after=30, min_proficiency=3),
        EscalationStep(after=60, min_proficiency=1),
    )
    desk.queue(min_proficiency=5, escalation=steps)
    desk.agent("novice", certs={"sales": 1})
    desk.call("t1")
    desk.wait(45)
    assert desk.task("t1").escalation_level == 1
    desk.wait(15)
    assert desk.offered_to("t1") == "novice"


def test_max_wait_sends_the_task_to_its_queue_fallback(desk, event_names):
    desk.queue(max_wait=120, fallback="callback")
    desk.call("t1")
    events = desk.wait(120)
    assert event_names(events) == ["TaskFellBack"]
    assert events[0].fallback == "callback" and events[0].waited == 120
    task = desk.task("t1")
    assert task.state is TaskState.CANCELED and task.cancel_reason is CancelReason.MAX_WAIT


def test_max_wait_during_an_offer_falls_back_when_the_offer_returns(desk):
    desk.queue(max_wait=20, reservation_timeout=15)
    desk.call("t1")
    desk.wait(10)
    desk.agent("ann")
    assert desk.offered_to("t1") == "ann"
    desk.wait(10)  # max wait passes while ringing ann: the offer goes on
    assert desk.state("t1") is TaskState.RESERVED
    desk.decline("t1")
    assert desk.task("t1").cancel_reason is CancelReason.MAX_WAIT


def test_answered_task_no_longer_escalates_or_falls_back(desk):
    desk.queue(max_wait=30, escalation=(EscalationStep(after=10, min_proficiency=1),))
    desk.agent("ann")
    desk.call("t1")
    desk.answer("t1")
    assert desk.wait(60) == []
    assert desk.state("t1") is TaskState.ASSIGNED


def test_customer_abandoning_while_waiting_cancels_the_task(desk, router, event_names):
    desk.queue()
    desk.call("t1")
    events = router.abandon("t1")
    assert event_names(events) == ["TaskCanceled"]
    assert desk.task("t1").cancel_reason is CancelReason.ABANDONED
    assert router.list_waiting("sales") == []


def test_customer_abandoning_during_an_offer_withdraws_it_and_frees_the_agent(desk, router):
    desk.queue()
    desk.agent("ann")
    desk.call("t1")
    desk.call("t2")
    events = router.abandon("t1")
    names = [e.name for e in events]
    assert names[:2] == ["ReservationWithdrawn", "TaskCanceled"]
    assert desk.offered_to("t2") == "ann"
