"""Inbound calls on the fast path: the number's route from a short-lived cache, and the
contact, its caller leg and the engine's enqueue command written with plain Core inserts —
`INSERT … ON CONFLICT DO NOTHING` on the contact is the "one task per CallSid" guard, so a
retried webhook has no effect and nothing is half-created (all in the caller's transaction)."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from sqlalchemy import event, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from agents.models import Program
from channels.models import CallLeg, Contact, EntryPoint
from database.clock import SYSTEM, Clock
from dispatcher import commands

#: Seconds a number's route is reused before it is read again from the database. A change
#: made in this process applies at once (see `forget_routes`); other processes see it within.
ROUTE_TTL_SECONDS = 5.0


@dataclass(frozen=True, slots=True)
class Route:
    """What a webhook needs of an entry point (an immutable copy, safe to share between
    threads). `menu` options are {"digit", "label", "queue_id", "language"}."""

    id: int
    address: str
    program_id: int
    program_name: str
    queue_id: str
    language: str | None
    greeting: str
    menu: tuple[dict, ...]

    def option(self, digit: str | None) -> dict | None:
        return next((o for o in self.menu if str(o.get("digit")) == digit), None)


class RouteCache:
    """address → Route (or None: not in service), kept ROUTE_TTL_SECONDS per address."""

    def __init__(self, ttl: float = ROUTE_TTL_SECONDS, clock=time.monotonic) -> None:
        self.ttl = ttl
        self.clock = clock
        self._routes: dict[str, tuple[float, Route | None, int]] = {}
        self._lock = threading.Lock()

    def get(self, *, session: Session, address: str) -> Route | None:
        now = self.clock()
        cached = self._routes.get(address)
        if cached is not None and cached[0] > now and cached[2] == _generation:
            return cached[1]
        generation = _generation
        route = load_route(session=session, address=address)
        with self._lock:
            self._routes[address] = (now + self.ttl, route, generation)
        return route


_generation = 0


def forget_routes() -> None:
    """Every cache of this process reads routes afresh (called when an entry point changes)."""
    global _generation
    _generation += 1


def forget_routes_at_commit(session: Session) -> None:
    event.listen(session, "after_commit", lambda _s: forget_routes(), once=True)
    forget_routes()


def load_route(*, session: Session, address: str) -> Route | None:
    row = session.execute(
        select(EntryPoint.id, EntryPoint.address, EntryPoint.queue_id, EntryPoint.language,
               EntryPoint.greeting, EntryPoint.menu, Program.id.label("program_id"), Program.name)
        .join(Program, Program.id == EntryPoint.program_id)
        .where(EntryPoint.address == address, EntryPoint.is_active)
    ).one_or_none()  # fmt: skip
    if row is None:
        return None
    return Route(
        id=row.id, address=row.address, program_id=row.program_id, program_name=row.name,
        queue_id=row.queue_id, language=row.language, greeting=row.greeting or "",
        menu=tuple(row.menu or ()),
    )  # fmt: skip


_IGNORING: dict[tuple[str, str], object] = {}


def insert_ignoring_duplicates(session: Session, table, values: dict) -> bool:
    """INSERT … ON CONFLICT DO NOTHING; True when the row was inserted. A concurrent insert of
    the same key waits for the other transaction and then does nothing (PostgreSQL). The
    statement is built once per table and dialect; the values travel as parameters."""
    dialect = session.get_bind().dialect.name
    statement = _IGNORING.get((table.name, dialect))
    if statement is None:
        build = pg_insert if dialect == "postgresql" else sqlite_insert
        key = next(iter(table.primary_key.columns))
        statement = build(table).on_conflict_do_nothing().returning(key)
        _IGNORING[table.name, dialect] = statement
    # RETURNING, not rowcount: drivers need not report a row count for an INSERT.
    return session.connection().execute(statement, values).first() is not None


def open_inbound_call(*, session: Session, call_sid: str, route: Route, caller: str,
                      clock: Clock = SYSTEM) -> bool:  # fmt: skip
    """Create the contact of an inbound call (task id = CallSid) with its caller leg, and queue
    it at once when the number has no menu. Returns whether the caller is (now or already)
    queued; False means they are to hear the menu."""
    queue_now = not route.menu
    created = insert_ignoring_duplicates(session, Contact.__table__, {
        "task_id": call_sid, "channel": "voice", "entry_point_id": route.id,
        "customer": caller[:120], "queue_id": route.queue_id, "language": route.language,
        "enqueued": queue_now,
    })  # fmt: skip
    if not created:
        return bool(session.scalar(select(Contact.enqueued).where(Contact.task_id == call_sid)))
    insert_ignoring_duplicates(session, CallLeg.__table__, {
        "call_sid": call_sid, "task_id": call_sid, "role": "caller", "status": "in-progress",
    })  # fmt: skip
    if queue_now:
        commands.submit(session, "enqueue", {
            "task_id": call_sid, "queue_id": route.queue_id, "channel": "voice", "priority": 0,
            "language": route.language, "attributes": {"customer": caller[:120], "choice": ""},
        }, now=clock.now())  # fmt: skip
    return queue_now


def open_closed_call(*, session: Session, call_sid: str, route: Route, caller: str) -> None:
    """The contact of a call that came while its program is closed: never queued, its outcome
    "closed" (or "voicemail" once the caller leaves a message); a replay changes nothing."""
    created = insert_ignoring_duplicates(session, Contact.__table__, {
        "task_id": call_sid, "channel": "voice", "entry_point_id": route.id,
        "customer": caller[:120], "queue_id": route.queue_id, "language": route.language,
        "enqueued": False, "outcome": "closed",
    })  # fmt: skip
    if created:
        insert_ignoring_duplicates(session, CallLeg.__table__, {
            "call_sid": call_sid, "task_id": call_sid, "role": "caller", "status": "in-progress",
        })  # fmt: skip
