"""Talks read from routing events: an agent's assignment to a task, paired with the instant the
conversation left that agent. Shared by the ledger's projection and by `pay verify`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy import select

from dispatcher.core.codec import decode_event
from dispatcher.core.events import (
    Event,
    TaskAssigned,
    TaskCompleted,
    TaskTransferred,
    TaskWrapping,
)
from dispatcher.core.volunteers import is_volunteer
from dispatcher.tables import RoutingEvent as E

# The conversation leaves its agent when the wrap-up starts, when the task completes straight
# from the conversation, or when it is transferred away (by a person, or reason "console_lost":
# the console was gone past its grace and the chat went back to the queue). A task that is
# only offered (reserved) pays nothing: cancel, requeue and withdrawal end no talk.
TALK_END_TYPES = ("TaskWrapping", "TaskCompleted", "TaskTransferred")
TALK_TYPES = ("TaskAssigned", *TALK_END_TYPES)
# Volunteers (community super users, dispatcher.core.volunteers) are not paid: their
# conversations are no talks of the ledger.


@dataclass(frozen=True, slots=True)
class Assignment:
    task_id: str
    agent_id: str
    reservation_id: str
    queue_id: str
    at: float


@dataclass(frozen=True, slots=True)
class Talk:
    assignment: Assignment
    ended_at: float
    end_event: str

    @property
    def key(self) -> tuple[str, str, str]:
        a = self.assignment
        return (a.task_id, a.agent_id, a.reservation_id)


def assignment_of(event: TaskAssigned) -> Assignment:
    return Assignment(event.task_id, event.agent_id, event.reservation_id, event.queue_id, event.at)


def talk_end(event: Event) -> tuple[str, str] | None:
    """(task_id, agent_id) of the talk `event` ends, or None."""
    if isinstance(event, TaskWrapping | TaskCompleted):
        return (event.task_id, event.agent_id)
    if isinstance(event, TaskTransferred):
        return (event.task_id, event.from_agent)
    return None


def pair_talks(events: Iterable[Event], lookup=None) -> Iterator[Talk]:
    """Talks ended by `events` (in log order). An end whose assignment is not among `events`
    asks `lookup(task_id, agent_id, end_event)` for it (an earlier step); None skips it."""
    opened: dict[tuple[str, str], Assignment] = {}
    for event in events:
        if isinstance(event, TaskAssigned):
            opened[(event.task_id, event.agent_id)] = assignment_of(event)
            continue
        key = talk_end(event)
        if key is None:
            continue
        if is_volunteer(key[1]):
            continue
        start = opened.pop(key, None) or (lookup(*key, event) if lookup else None)
        if start is not None:
            yield Talk(start, event.at, event.name)


def assignment_ending_at(connection, task_id: str, agent_id: str, end: Event):
    """The assignment of (task, agent) whose talk `end` ends, read from the event log: the
    agent's last TaskAssigned of the task, when `end` is the first end event after it (None
    otherwise: that talk already ended, e.g. a completion after the wrap-up)."""
    own = (E.task_id == task_id, E.agent_id == agent_id)
    row = connection.execute(
        select(E.position, E.data).where(*own, E.type == "TaskAssigned")
        .order_by(E.position.desc()).limit(1)
    ).first()  # fmt: skip
    if row is None:
        return None
    first_end = connection.execute(
        select(E.type, E.at).where(*own, E.type.in_(TALK_END_TYPES), E.position > row.position)
        .order_by(E.position).limit(1)
    ).first()  # fmt: skip
    if first_end is not None and (first_end.type, first_end.at) != (end.name, end.at):
        return None
    return assignment_of(decode_event(row.data))
