"""The routing store on SQL (SQLite or PostgreSQL), bound to one connection whose transaction
the engine owns: decisions and their events are committed together (invariant 5)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache

from sqlalchemy import bindparam, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from dispatcher.core.codec import decode, decode_event, encode, encode_event
from dispatcher.core.events import Event
from dispatcher.core.model import (
    OPEN_TASK_STATES,
    AgentPresence,
    Queue,
    Reservation,
    ReservationState,
    Task,
)
from dispatcher.core.ports import OpenState
from dispatcher.tables import (
    RoutingAgent,
    RoutingEvent,
    RoutingQueue,
    RoutingReservation,
    RoutingTask,
)

OPEN_STATES = sorted(state.value for state in OPEN_TASK_STATES)
LAST_POSITION = select(func.coalesce(func.max(RoutingEvent.position), 0))


@cache
def _compiled(dialect, model, key: str | None) -> tuple[str, tuple[str, ...] | None]:
    """The driver-level SQL of an upsert by `key` (or a plain insert when key is None), compiled
    once per dialect from the table definition, and the parameter order for positional drivers.

    The hot write path skips per-call statement compilation: each engine step writes a handful
    of rows, and the expression layer cost more than the writes themselves on SQLite."""
    table = model.__table__
    if key is None:
        statement = table.insert()
    else:
        insert = postgresql.insert if dialect.name == "postgresql" else sqlite.insert
        statement = insert(table)
        updates = {c.name: statement.excluded[c.name] for c in table.columns if c.name != key}
        statement = statement.on_conflict_do_update(index_elements=[key], set_=updates)
    compiled = statement.values({c.name: bindparam(c.name) for c in table.columns}).compile(
        dialect=dialect
    )
    return compiled.string, (tuple(compiled.positiontup) if compiled.positional else None)


class SqlStore:
    """RoutingStore on a Connection; every write is an upsert by primary key."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def _write(self, model, key: str | None, rows: list[dict]) -> None:
        sql, order = _compiled(self.connection.dialect, model, key)
        for row in rows:
            row["data"] = json.dumps(row["data"])
        params = [tuple(row[name] for name in order) for row in rows] if order else rows
        self.connection.exec_driver_sql(sql, params if len(params) > 1 else params[0])

    def _upsert(self, model, key: str, row: dict) -> None:
        self._write(model, key, [row])

    def save_queue(self, queue: Queue) -> None:
        self._upsert(
            RoutingQueue,
            "queue_id",
            {"queue_id": queue.queue_id, "program": queue.program, "data": encode(queue)},
        )

    def save_agent(self, agent: AgentPresence) -> None:
        self._upsert(
            RoutingAgent,
            "agent_id",
            {
                "agent_id": agent.agent_id,
                "status": agent.status.value,
                "state": agent.state.value,
                "data": encode(agent),
            },
        )

    def save_task(self, task: Task) -> None:
        self._upsert(
            RoutingTask,
            "task_id",
            {
                "task_id": task.task_id,
                "queue_id": task.queue_id,
                "state": task.state.value,
                "agent_id": task.agent_id,
                "created_at": task.created_at,
                "ended_at": task.ended_at,
                "data": encode(task),
            },
        )

    def save_reservation(self, reservation: Reservation) -> None:
        self._upsert(
            RoutingReservation,
            "reservation_id",
            {
                "reservation_id": reservation.reservation_id,
                "task_id": reservation.task_id,
                "agent_id": reservation.agent_id,
                "state": reservation.state.value,
                "deadline": reservation.deadline,
                "data": encode(reservation),
            },
        )

    def append_events(self, events: Sequence[Event]) -> None:
        if not events:
            return
        last = self.connection.scalar(LAST_POSITION)
        rows = [
            {
                "position": last + n,
                "type": event.name,
                "at": event.at,
                "task_id": getattr(event, "task_id", None),
                "agent_id": event.agent,
                "data": encode_event(event),
            }
            for n, event in enumerate(events, start=1)
        ]
        self._write(RoutingEvent, None, rows)

    def get_task(self, task_id: str) -> Task | None:
        data = self.connection.scalar(
            select(RoutingTask.data).where(RoutingTask.task_id == task_id)
        )
        return decode(Task, data) if data is not None else None

    def list_events(self, *, after: int = 0, limit: int | None = None) -> list[tuple[int, Event]]:
        query = (
            select(RoutingEvent.position, RoutingEvent.data)
            .where(RoutingEvent.position > after)
            .order_by(RoutingEvent.position)
        )
        if limit is not None:
            query = query.limit(limit)
        return [(position, decode_event(data)) for position, data in self.connection.execute(query)]

    def load_open_state(self) -> OpenState:
        c = self.connection
        return OpenState(
            queues=[decode(Queue, d) for d in c.scalars(
                select(RoutingQueue.data).order_by(RoutingQueue.queue_id))],
            agents=[decode(AgentPresence, d) for d in c.scalars(
                select(RoutingAgent.data).order_by(RoutingAgent.agent_id))],
            tasks=[decode(Task, d) for d in c.scalars(
                select(RoutingTask.data).where(RoutingTask.state.in_(OPEN_STATES))
                .order_by(RoutingTask.created_at, RoutingTask.task_id))],
            reservations=[decode(Reservation, d) for d in c.scalars(
                select(RoutingReservation.data)
                .where(RoutingReservation.state == ReservationState.PENDING.value)
                .order_by(RoutingReservation.reservation_id))],
        )  # fmt: skip
