"""The narrow store port of the routing engine and the plain records that cross it.

The engine saves what a command changed (`Changes`) and appends its events in one transaction,
before anyone is told (invariant 5); on start it rebuilds from `load_open_state`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from dispatcher.core.events import Event
from dispatcher.core.model import AgentPresence, Queue, Reservation, Task


@dataclass(slots=True)
class Changes:
    """Copies of the entities one or more commands touched, ready to be saved."""

    queues: list[Queue] = field(default_factory=list)
    agents: list[AgentPresence] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    reservations: list[Reservation] = field(default_factory=list)


@dataclass(slots=True)
class OpenState:
    """What a restarting engine needs: all queues and agents, open tasks, pending offers."""

    queues: list[Queue] = field(default_factory=list)
    agents: list[AgentPresence] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    reservations: list[Reservation] = field(default_factory=list)


class RoutingStore(Protocol):
    """Durable routing state. Saves are upserts by id; loads return copies, never live objects."""

    def save_queue(self, queue: Queue) -> None: ...

    def save_agent(self, agent: AgentPresence) -> None: ...

    def save_task(self, task: Task) -> None: ...

    def save_reservation(self, reservation: Reservation) -> None: ...

    def append_events(self, events: Sequence[Event]) -> None:
        """Append to the durable log, in order; positions increase by one from 1."""

    def get_task(self, task_id: str) -> Task | None: ...

    def list_events(self, *, after: int = 0, limit: int | None = None) -> list[tuple[int, Event]]:
        """(position, event) pairs with position > after, oldest first."""

    def load_open_state(self) -> OpenState:
        """Queues, agents, tasks not completed/canceled, and pending reservations."""


def save_changes(store: RoutingStore, changes: Changes, events: Sequence[Event]) -> None:
    """Write one command's changes and events through the port (the caller owns the commit)."""
    for queue in changes.queues:
        store.save_queue(queue)
    for agent in changes.agents:
        store.save_agent(agent)
    for task in changes.tasks:
        store.save_task(task)
    for reservation in changes.reservations:
        store.save_reservation(reservation)
    store.append_events(events)
