"""The engine runner: active with its scheduled jobs while it holds the lease, standby if not."""

from __future__ import annotations

import time

from crowdline import wiring
from dispatcher.runner import EngineRunner
from training.jobs import EXPIRY_JOB_ID, REMINDER_JOB_ID


def _wait(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def test_only_the_lease_holder_routes_and_runs_the_jobs(fresh_db):
    db, _sessions = fresh_db
    started = []

    def fake_start_jobs(engine):
        scheduler = original(engine)
        started.append(sorted(job.id for job in scheduler.get_jobs()))
        return scheduler

    original = wiring.start_jobs
    active, standby = [], []
    first = EngineRunner(db, on_active=lambda r, s: active.append(r), jobs=fake_start_jobs).start()
    try:
        assert _wait(lambda: active)
        second = EngineRunner(
            db, on_active=lambda r, s: standby.append(r), jobs=fake_start_jobs
        ).start()
        time.sleep(0.6)  # several standby polls
        assert standby == [] and len(started) == 1
        assert started[0] == sorted([EXPIRY_JOB_ID, REMINDER_JOB_ID])
        first.stop()
        assert _wait(lambda: standby), "the standby did not take over"
        assert len(started) == 2
    finally:
        first.stop()
        second.stop()
