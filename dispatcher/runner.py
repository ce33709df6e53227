"""Run the routing engine: as a thread of `crowdline run` (embedded) or as `crowdline engine`
processes on PostgreSQL, where one is active and the others wait as standbys; and stop it
gracefully on SIGTERM or SIGINT (finish the step, release the lease, flush the logs, exit 0)."""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Engine

from dispatcher.bus import EventBus
from dispatcher.engine import LeaseLost, Projection, RoutingEngine, WallClock
from dispatcher.lease import Lease, lease_for
from dispatcher.wakeup import Waiter

log = logging.getLogger(__name__)


class EngineRunner:
    """Standby until the lease is ours, then route until stopped or the lease is lost."""

    def __init__(self, db: Engine, *, bus: EventBus | None = None, lease: Lease | None = None,
                 standby_poll: float = 0.2, poll: float = 0.5, on_active=None,
                 jobs: Callable[[Engine], Any] | None = None,
                 projections: Sequence[Projection] = ()) -> None:  # fmt: skip
        self.db = db
        self.projections = tuple(projections)  # see dispatcher.engine.Projection
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
                self.db, clock=WallClock(), lease=self.lease, publish=self.bus.publish,
                projections=self.projections,
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
        log.info("engine stopped; lease released")

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
        """Let the current step finish, then release the lease (the standby takes over)."""
        self.stop_event.set()
        if self.thread is not None:
            self.thread.join(timeout)
            if self.thread.is_alive():
                log.warning("the engine did not stop within %.0f s", timeout)


def interrupt_main() -> None:
    """Stop the main thread's server loop the way Ctrl+C does (werkzeug's serve_forever returns
    on KeyboardInterrupt, and the caller's `finally` then stops everything in order)."""
    raise KeyboardInterrupt


def stop_on_signals(stop: Callable[[], None] = interrupt_main,
                    signals=(signal.SIGTERM, signal.SIGINT)) -> None:  # fmt: skip
    """On the first SIGTERM or SIGINT call `stop` (in the main thread) to stop gracefully; a
    second signal ends the process at once, by the signal (a stop that hangs can be forced)."""

    def handler(signum, _frame) -> None:
        for each in signals:
            signal.signal(each, signal.SIG_DFL)
        log.info("%s received: stopping after the current step", signal.Signals(signum).name)
        stop()

    for each in signals:
        signal.signal(each, handler)


def flush_logs() -> None:
    """Write out every handler's buffered lines before the process exits."""
    for handler in logging.getLogger().handlers:
        handler.flush()

