"""Run the routing engine: as a thread of `crowdline run` (embedded) or as `crowdline engine`
processes on PostgreSQL, where one is active and the others wait as standbys."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine

from dispatcher.bus import EventBus
from dispatcher.engine import LeaseLost, RoutingEngine, WallClock
from dispatcher.lease import Lease, lease_for
from dispatcher.wakeup import Waiter

log = logging.getLogger(__name__)


class EngineRunner:
    """Standby until the lease is ours, then route until stopped or the lease is lost."""

    def __init__(self, db: Engine, *, bus: EventBus | None = None, lease: Lease | None = None,
                 standby_poll: float = 0.2, poll: float = 0.5, on_active=None,
                 jobs: Callable[[Engine], Any] | None = None) -> None:  # fmt: skip
        self.db = db
        self.bus = bus or EventBus()
        self.lease = lease or lease_for(db)
        self.standby_poll = standby_poll
        self.poll = poll
        self.on_active = on_active
        # Started while this engine is active, shut down when it is not: the scheduled jobs
        # (the root passes APScheduler with the training jobs), so no job runs twice.
        self.jobs = jobs
        self.stop_event = threading.Event()
        self.engine: RoutingEngine | None = None
        self.thread: threading.Thread | None = None

    def run(self) -> None:
        """Block until stop(): standby, active, and back to standby if the lease is lost."""
        while not self.stop_event.is_set():
            if not self._try_acquire():
                self.stop_event.wait(self.standby_poll)
                continue
            started = time.monotonic()
            log.info("engine lease acquired (epoch %s); rebuilding", self.lease.epoch)
            self.engine = RoutingEngine(
                self.db, clock=WallClock(), lease=self.lease, publish=self.bus.publish
            )
            waiter = scheduler = None
            try:
                waiter = Waiter(self.db)
                self.engine.rebuild()
                scheduler = self.jobs(self.db) if self.jobs else None
                if self.on_active:
                    self.on_active(self, time.monotonic() - started)
                self.engine.serve(self.stop_event, waiter, poll=self.poll)
            except LeaseLost as lost:
                log.warning("engine lease lost: %s; back to standby", lost)
            except Exception:
                log.exception("engine failed; releasing the lease and retrying")
                self.stop_event.wait(1.0)
            finally:
                if scheduler is not None:
                    scheduler.shutdown(wait=False)
                if waiter is not None:
                    waiter.close()
                self.lease.release()
        self.lease.release()

    def _try_acquire(self) -> bool:
        try:
            return self.lease.try_acquire()
        except Exception:
            log.warning("cannot reach the database for the engine lease", exc_info=True)
            self.lease.release()
            return False

    def start(self) -> EngineRunner:
        self.thread = threading.Thread(target=self.run, name="routing-engine", daemon=True)
        self.thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self.stop_event.set()
        if self.thread is not None:
            self.thread.join(timeout)

