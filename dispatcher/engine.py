"""The engine loop: the one active router of a deployment, fed from the command inbox.

Each step is one database transaction: fence on the lease epoch, decide the queued commands and
the due timers, save what changed and the events, record each command's outcome, commit — and
only then publish the events (invariant 5). If a step fails, the in-memory router is rebuilt
from the database, which stays the source of truth.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from random import Random

from sqlalchemy import Engine, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DataError, IntegrityError

from database.clock import SystemClock
from dispatcher.commands import ROUTER_COMMANDS, router_arguments
from dispatcher.core.clock import Clock
from dispatcher.core.errors import CommandError, DuplicateId
from dispatcher.core.events import Event
from dispatcher.core.ports import save_changes
from dispatcher.core.restore import restore_router
from dispatcher.core.router import Router
from dispatcher.core.state import RouterConfig
from dispatcher.lease import Lease
from dispatcher.roster_sync import RosterSync, load_skills
from dispatcher.skill_source import EngineSkills, pending_certification_changes
from dispatcher.sql_store import SqlStore
from dispatcher.tables import RoutingCommand, RoutingLease, RoutingTask
from dispatcher.telemetry import committed, task_of, task_scope

log = logging.getLogger(__name__)


# Seconds since the Unix epoch: the clock of a live engine (the one wall read is database.clock).
WallClock = SystemClock


class LeaseLost(RuntimeError):
    """Another engine took over: this one must stop deciding at once."""


class RoutingEngine(RosterSync):
    """Owns the Router; `step()` runs one transaction, `serve()` loops while holding the lease."""

    def __init__(
        self,
        db: Engine,
        *,
        clock: Clock,
        lease: Lease,
        publish: Callable[[Sequence[Event]], None] = lambda events: None,
        config: RouterConfig | None = None,
        batch: int = 500,
        seed: int | None = None,
    ) -> None:
        self.db = db
        self.clock = clock
        self.lease = lease
        self.publish = publish
        self.config = config
        self.batch = batch
        self.rng = Random(seed)
        self.skills = EngineSkills()
        self.router: Router | None = None
        self.decisions = 0
        self.decided: list[tuple[str, float, str | None]] = []  # this step's (kind, at, error)

    # Start-up --------------------------------------------------------------------------

    def rebuild(self) -> list[Event]:
        """Load open state and skills, bring timers up to date, commit the catch-up events."""
        with self.db.connect() as connection, connection.begin():
            self._fence(connection)
            store = SqlStore(connection)
            state = store.load_open_state()
            self.skills = EngineSkills(load_skills(connection))
            self.skills.load_roster(
                connection, [a.agent_id for a in state.agents], self.clock.now()
            )
            pending_certification_changes(connection, self.clock.now())  # all read just now
            self.router, events = restore_router(
                state, clock=self.clock, skills=self.skills, rng=self.rng, config=self.config
            )
            self.router.next_seq = max([self.router.next_seq, *_task_seqs(self.router)])
            save_changes(store, self.router.changes(events), events)
        committed(events)
        self.publish(events)
        return events

    # One step --------------------------------------------------------------------------

    def step(self) -> list[Event]:
        """Decide queued commands and due timers in one committed transaction; publish after."""
        if self.router is None:
            self.rebuild()
        try:
            with self.db.connect() as connection, connection.begin():
                self._fence(connection)
                events = self._decide(connection)
        except LeaseLost:
            self.router = None
            raise
        except Exception:
            log.exception("engine step failed; rebuilding from the database")
            self.router = None
            raise
        self.decisions += len(events)
        # Metrics and task log lines, after the commit.
        committed(events, self.decided, now=self.clock.now())
        self.publish(events)
        return events

    def _decide(self, connection: Connection) -> list[Event]:
        """Each command is decided and saved on its own (a savepoint), so one the database
        cannot hold is refused with the reason instead of blocking every command after it."""
        store = SqlStore(connection)
        # Certification changes first: a command in this step must see who is eligible now.
        events = self._saved(store, self._roster_changes(connection)) or []
        rows = connection.execute(
            select(
                RoutingCommand.id,
                RoutingCommand.kind,
                RoutingCommand.payload,
                RoutingCommand.created_at,
            )
            .where(RoutingCommand.done_at.is_(None))
            .order_by(RoutingCommand.id)
            .limit(self.batch)
        ).all()
        self.decided = []
        for row in rows:
            with task_scope(task_of(row.payload)):  # the engine's log lines name the task
                decided, error = self._decide_one(connection, row.kind, row.payload or {})
                saved = self._saved(store, decided)
            if saved is None:
                error = "refused: the database cannot store its result (see the engine log)"
            events.extend(saved or [])
            connection.execute(
                update(RoutingCommand)
                .where(RoutingCommand.id == row.id)
                .values(done_at=self.clock.now(), error=error)
            )
            self.decided.append((row.kind, row.created_at, error))
            if self.router is None:  # an unexpected failure: stop, rebuild next step
                return events
        events.extend(self._saved(store, self.router.tick()) or [])
        return events

    def _decide_one(self, connection: Connection, kind: str, payload: dict):
        """(events, error) of one command; the error names why it was refused."""
        try:
            return self._apply(connection, kind, payload), None
        except CommandError as refused:
            return [], str(refused)
        except (TypeError, KeyError, ValueError) as bad:
            return [], f"bad arguments for {kind}: {bad}"
        except Exception:
            log.exception("command %s failed unexpectedly; the router will be rebuilt", kind)
            self.router = None
            return [], f"internal error while deciding {kind}; it was not carried out"

    def _saved(self, store: SqlStore, events: list[Event]) -> list[Event] | None:
        """Save what `events` changed inside a savepoint; None (and a rebuild of the router on
        the next step) when the database refuses it, e.g. a value too long for its column."""
        if not events or self.router is None:
            return events
        try:
            with store.connection.begin_nested():
                save_changes(store, self.router.changes(events), events)
        except (IntegrityError, DataError) as refused:
            log.error("the database refused a decision (%s); rebuilding the router", refused.orig)
            self.router = None
            return None
        return events

    def _apply(self, connection: Connection, kind: str, payload: dict) -> list[Event]:
        if kind == "set_skills":
            return self._set_skills(connection, payload)
        if kind not in ROUTER_COMMANDS:
            raise ValueError(f"unknown command {kind!r}")
        arguments = router_arguments(kind, payload)
        if kind == "enqueue":
            self._refuse_closed_duplicate(connection, str(arguments.get("task_id", "")))
        if kind == "register_agent":
            self.skills.load_roster(connection, [arguments.get("agent_id")], self.clock.now())
        events = self._sign_in_roster_agent(connection, kind, arguments)
        events += getattr(self.router, kind)(**arguments)
        if kind == "configure_queue":
            events += self._sync_roster_queues(connection, list(self.router.agents))
        return events

    def _refuse_closed_duplicate(self, connection: Connection, task_id: str) -> None:
        """A task id is used once ever: the router forgets old tasks, the database does not."""
        if task_id in self.router.tasks or task_id in self.router.closed_tasks:
            return  # the router itself answers for ids it remembers
        if connection.scalar(select(RoutingTask.task_id).where(RoutingTask.task_id == task_id)):
            raise DuplicateId("task", task_id)

    def _fence(self, connection: Connection) -> None:
        """Lock the lease row at our epoch for this transaction, or stop: a newer engine holds
        the lease and this one's decisions must not be committed."""
        held = connection.execute(
            update(RoutingLease)
            .where(RoutingLease.id == 1, RoutingLease.epoch == self.lease.epoch)
            .values(epoch=self.lease.epoch)
        ).rowcount
        if held != 1:
            raise LeaseLost(f"the engine lease moved past epoch {self.lease.epoch}")

    # Loop ------------------------------------------------------------------------------

    def serve(
        self, stop: threading.Event, waiter, *, poll: float = 0.5, lease_check: float = 1.0
    ) -> None:
        """Route until `stop` is set or the lease is lost (then raise LeaseLost)."""
        if self.router is None:
            self.rebuild()
        checked = time.monotonic()
        while not stop.is_set():
            deadline = self.router.next_deadline()
            wait = poll if deadline is None else min(poll, deadline - self.clock.now())
            waiter.wait(wait)
            self.step()
            if time.monotonic() - checked >= lease_check:
                checked = time.monotonic()
                if not self.lease.is_held():
                    raise LeaseLost("the engine lease connection is gone")


def _task_seqs(router: Router) -> list[int]:
    return [task.seq for task in router.tasks.values()]
