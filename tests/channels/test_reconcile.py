"""A lost final status callback must not leave a call's task assigned forever: beside the active
engine, calls still open in the database are looked up at the carrier on a schedule, and one
the carrier says has ended is ended here as its callback would have done."""

from __future__ import annotations

import time

from sqlalchemy import select

from channels.links import conference_name
from channels.models import CallLeg
from channels.reconcile import CallReconciler
from crowdline.wiring import engine_runner, start_jobs
from dispatcher.tables import RoutingTask
from tests.channels.helpers import NUMBER, signed_post
from tests.waiting import wait_until

CALLER = "+15557770005"


def task_state(center, task_id):
    with center.sessions() as session:
        return session.scalar(select(RoutingTask.state).where(RoutingTask.task_id == task_id))


def open_legs(center, task_id):
    with center.sessions() as session:
        return session.scalars(
            select(CallLeg.call_sid).where(CallLeg.task_id == task_id, CallLeg.ended_at.is_(None))
        ).all()


def lose_status_callbacks(carrier):
    """From now on the carrier's final status callbacks never reach the app (a web process down,
    a network blip past Twilio's retries); every other webhook still does."""
    real = carrier.transport

    def lossy(url, params, headers):
        if "/status" in url.split("?")[0]:
            return 200, ""  # lost on the way: the app never sees it
        return real(url, params, headers)

    carrier.transport = lossy


def talking_call(center):
    center.available("ann")
    call_sid = center.carrier.place_call(from_=CALLER, to=NUMBER, digits="1")
    wait_until(lambda: center.carrier.bridged(conference_name(call_sid)), timeout=60)
    wait_until(lambda: task_state(center, call_sid) == "assigned", timeout=60)
    return call_sid


def test_a_lost_final_callback_is_reconciled_on_schedule_and_the_task_wraps_up(center, fresh_db):
    db, _sessions = fresh_db
    call_sid = talking_call(center)
    lose_status_callbacks(center.carrier)
    center.carrier.hang_up_caller(call_sid)
    time.sleep(1.0)  # the engine had every chance: without reconciliation nothing moves
    assert task_state(center, call_sid) == "assigned"

    reconciler = CallReconciler(sessions=center.sessions, gateway=center.carrier,
                                every=0.5, min_age=0)  # fmt: skip
    scheduler = start_jobs(db, [reconciler.register])  # as the active engine starts its jobs
    try:
        wait_until(lambda: task_state(center, call_sid) == "completed", timeout=60)
    finally:
        scheduler.shutdown(wait=True)
    assert open_legs(center, call_sid) == []
    assert ("call_status", call_sid) in center.carrier.requests


def test_a_late_callback_after_reconciliation_changes_nothing(center):
    call_sid = talking_call(center)
    lose_status_callbacks(center.carrier)
    center.carrier.hang_up_caller(call_sid)
    reconciler = CallReconciler(sessions=center.sessions, gateway=center.carrier, min_age=0)
    wait_until(lambda: center.carrier.calls[call_sid].ended.is_set(), timeout=60)
    assert reconciler.run_once() >= 1
    wait_until(lambda: task_state(center, call_sid) == "completed", timeout=60)
    late = signed_post(center.app.test_client(), "/twilio/voice/status",
                       {"CallSid": call_sid, "CallStatus": "completed"},
                       token=center.carrier.auth_token)  # fmt: skip
    assert late.status_code == 204
    assert reconciler.run_once() == 0  # nothing left open
    assert task_state(center, call_sid) == "completed"


def test_calls_still_in_progress_or_too_young_are_left_alone(center):
    call_sid = talking_call(center)
    assert CallReconciler(sessions=center.sessions, gateway=center.carrier,
                          min_age=0).run_once() == 0  # fmt: skip
    assert ("call_status", call_sid) in center.carrier.requests
    center.carrier.requests.clear()
    young = CallReconciler(sessions=center.sessions, gateway=center.carrier, min_age=3600)
    assert young.run_once() == 0
    assert not [r for r in center.carrier.requests if r[0] == "call_status"]
    assert task_state(center, call_sid) == "assigned"
    assert call_sid in open_legs(center, call_sid)


def test_only_the_active_engine_schedules_the_reconciliation(fresh_db, monkeypatch):
    db, sessions = fresh_db
    from crowdline import wiring

    started = []
    original = wiring.start_jobs

    def recording(engine, jobs=()):
        scheduler = original(engine, jobs)
        started.append(sorted(job.id for job in scheduler.get_jobs()))
        return scheduler

    monkeypatch.setattr(wiring, "start_jobs", recording)

    class Reactor:  # what CallReconciler.jobs_of reads from the channel reactor
        gateway = None

    Reactor.sessions = sessions
    assert CallReconciler.jobs_of(None) == []
    runner = engine_runner(db, jobs=CallReconciler.jobs_of(Reactor())).start()
    try:
        wait_until(lambda: started, timeout=60)
    finally:
        runner.stop()
    assert "reconcile-calls" in started[0]
