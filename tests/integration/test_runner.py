"""The engine runner: active with its scheduled jobs while it holds the lease, standby if not."""

from __future__ import annotations

from crowdline import wiring
from dispatcher.lease import lease_for
from dispatcher.runner import EngineRunner
from tests.waiting import wait_until
from training.jobs import EXPIRY_JOB_ID, REMINDER_JOB_ID


class CountedLease:
    """A lease that counts the tries to acquire it (the standby's polls)."""

    def __init__(self, lease) -> None:
        self.lease, self.tries = lease, 0

    def try_acquire(self) -> bool:
        self.tries += 1
        return self.lease.try_acquire()

    def __getattr__(self, name):
        return getattr(self.lease, name)


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
        wait_until(lambda: active, message="the first runner to become active")
        lease = CountedLease(lease_for(db))
        second = EngineRunner(
            db, lease=lease, on_active=lambda r, s: standby.append(r), jobs=fake_start_jobs
        ).start()
        wait_until(lambda: lease.tries >= 3, message="several standby polls for the lease")
        assert standby == [] and len(started) == 1
        assert started[0] == sorted([EXPIRY_JOB_ID, REMINDER_JOB_ID])
        first.stop()
        wait_until(lambda: standby, message="the standby to take over")
        assert len(started) == 2
    finally:
        first.stop()
        second.stop()
