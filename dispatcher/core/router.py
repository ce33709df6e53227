"""The routing engine's command surface: tasks, offers, wrap-up and timers (transfers, moves
and reprioritising in dispatcher.core.handoff; presence in dispatcher.core.presence).

Every command reads the clock once, returns the events it caused, and either succeeds whole
or raises a CommandError having changed nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from dispatcher.core import validation as check
from dispatcher.core.errors import DuplicateId, IllegalTransition, InvalidValue, UnknownId
from dispatcher.core.events import (
    Event,
    ReservationAccepted,
    ReservationRejected,
    TaskAssigned,
    TaskCanceled,
    TaskCreated,
    TaskWrapExtended,
    TaskWrapping,
)
from dispatcher.core.handoff import HandoffCommands
from dispatcher.core.model import CancelReason, Channel, Reservation, ReservationState, Task
from dispatcher.core.model import TaskState as S
from dispatcher.core.presence import PresenceCommands
from dispatcher.core.queries import Queries

MAX_WRAP_EXTENSION = 600.0  # seconds


class Router(Queries, PresenceCommands, HandoffCommands):
    """Pure routing engine: commands in, events out; time from the injected clock."""

    def enqueue(
        self,
        task_id: str,
        queue_id: str,
        *,
        channel: Channel | str = Channel.VOICE,
        priority: int = 0,
        required: Iterable[str] = (),
        language: str | None = None,
        attributes: Mapping[str, object] | None = None,
        created_at: float | None = None,
    ) -> list[Event]:
        """A new contact waits in `queue_id` and is offered at once if an agent can take it.

        `created_at` (clock seconds, <= now; default now) places the task in queue order as if
        it had come in then — a callback keeps its caller's place. Max wait and escalation
        still count from now."""
        channel, priority, required, created_at = self._checked_new_task(
            task_id, queue_id, channel, priority, required, language, created_at
        )
        self.begin()
        self.next_seq += 1
        task = Task(
            task_id, queue_id, channel, priority, self.now if created_at is None else created_at,
            self.next_seq, self.now,
            required=required, language=language, attributes=dict(attributes or {}),
        )  # fmt: skip
        self.tasks[task_id] = task
        self.events.append(
            TaskCreated(
                at=self.now, task_id=task_id, queue_id=queue_id, channel=channel,
                priority=priority, required=required, language=language,
            )
        )  # fmt: skip
        self.place(task)
        return self.end()

    def _checked_new_task(self, task_id, queue_id, channel, priority, required, language,
                          created_at):  # fmt: skip
        """Validate enqueue's arguments (InvalidValue, DuplicateId, NotFound); the cleaned
        channel, priority, required codes and created_at."""
        check.identifier(task_id, "task_id")
        if task_id in self.tasks or task_id in self.closed_tasks:
            raise DuplicateId("task", task_id)
        self.queue_or_raise(queue_id)
        channel = check.member(Channel, channel, "channel")
        priority = check.integer(priority, "priority")
        required = check.codes(required, "required")
        if language is not None:
            check.identifier(language, "language")
        if created_at is not None:
            created_at = check.number(created_at, "created_at")
            if created_at > self.now:
                raise InvalidValue("created_at", f"must not be in the future (now {self.now})")
        return channel, priority, required, created_at

    def accept(self, reservation_id: str, agent_id: str) -> list[Event]:
        """The agent takes the offer before its deadline: the task is assigned to it."""
        r = self._offer_or_raise(reservation_id, agent_id)
        self.begin()
        task, agent = self.tasks[r.task_id], self.agents[agent_id]
        self.close_reservation(reservation_id, ReservationState.ACCEPTED)
        task.state = S.ASSIGNED
        task.assigned_at = self.now
        self.timers.cancel(("escalate", task.task_id))
        self.timers.cancel(("max_wait", task.task_id))
        agent.missed_offers = 0
        agent.tasks_handled += 1
        self.touched[agent_id] = agent
        self.events.append(
            ReservationAccepted(
                at=self.now, reservation_id=reservation_id, task_id=task.task_id, agent_id=agent_id
            )
        )
        self.events.append(
            TaskAssigned(
                at=self.now, task_id=task.task_id, agent_id=agent_id,
                reservation_id=reservation_id, queue_id=task.queue_id,
                waited=self.now - task.created_at,
            )
        )  # fmt: skip
        # Its offer is answered: by the offer rule it may take the next one now (if it has
        # room), so waiting work is matched to it and its strategy key re-indexed.
        self.settle_agent(agent)
        return self.end()

    def reject(self, reservation_id: str, agent_id: str) -> list[Event]:
        """The agent declines: the task returns to its place and is offered to someone else."""
        r = self._offer_or_raise(reservation_id, agent_id)
        self.begin()
        task, agent = self.tasks[r.task_id], self.agents[agent_id]
        self.close_reservation(reservation_id, ReservationState.REJECTED)
        self.events.append(
            ReservationRejected(
                at=self.now, reservation_id=reservation_id, task_id=task.task_id, agent_id=agent_id
            )
        )
        self.release(task)
        task.declined_by.add(agent_id)
        self.requeue(task, "rejected")
        self.settle_agent(agent)
        return self.end()

    def abandon(self, task_id: str) -> list[Event]:
        """The customer left. Waiting or being offered: canceled, any offer withdrawn. Already
        answered — the agent's accept and the customer's hang-up crossed, and the engine saw
        the accept first —: the conversation is over, so the wrap-up starts."""
        task = self.tasks.get(task_id)
        if task is not None and task.state is S.ASSIGNED:
            return self.wrap_up(task_id)
        return self.cancel(task_id, CancelReason.ABANDONED)

    def cancel(
        self, task_id: str, reason: CancelReason | str = CancelReason.SUPERVISOR
    ) -> list[Event]:
        """End a waiting or offered task with `reason`; a held conversation must be wrapped."""
        task = self.task_or_raise(task_id, S.PENDING, S.RESERVED)
        reason = check.member(CancelReason, reason, "reason")
        self.begin()
        agent = self.withdraw(task, str(reason)) if task.state is S.RESERVED else None
        self.end_task(task, S.CANCELED, reason)
        self.events.append(
            TaskCanceled(at=self.now, task_id=task_id, queue_id=task.queue_id, reason=reason)
        )
        if agent is not None:
            self.settle_agent(agent)
        return self.end()

    def wrap_up(self, task_id: str) -> list[Event]:
        """The conversation ended: wrap-up until now + wrapup_seconds (0 completes at once)."""
        task = self.task_or_raise(task_id, S.ASSIGNED)
        self.begin()
        seconds = self.queues[task.queue_id].wrapup_seconds
        if seconds <= 0:
            self.complete_task(task)
            return self.end()
        agent = self.agents[task.agent_id]
        agent.talk_seconds += self.now - task.assigned_at
        task.state = S.WRAPPING
        task.wrap_until = self.now + seconds
        self.timers.schedule(("wrap", task_id), task.wrap_until)
        self.touched[agent.agent_id] = agent
        self.events.append(
            TaskWrapping(
                at=self.now, task_id=task_id, agent_id=agent.agent_id, until=task.wrap_until
            )
        )
        return self.end()

    def extend_wrap_up(self, task_id: str, seconds: float = 30.0) -> list[Event]:
        """More wrap-up time: it ends `seconds` (1 to MAX_WRAP_EXTENSION) later than planned,
        up to MAX_WRAP_EXTENSION past now, so a wrap-up cannot be held open for ever."""
        task = self.task_or_raise(task_id, S.WRAPPING)
        seconds = check.number(seconds, "seconds")
        if not 1 <= seconds <= MAX_WRAP_EXTENSION:
            raise InvalidValue("seconds", f"must be 1 to {MAX_WRAP_EXTENSION:g}, got {seconds}")
        self.begin()
        task.wrap_until = min(max(task.wrap_until, self.now) + seconds,
                              self.now + MAX_WRAP_EXTENSION)  # fmt: skip
        self.timers.schedule(("wrap", task_id), task.wrap_until)
        self.events.append(
            TaskWrapExtended(at=self.now, task_id=task_id, agent_id=task.agent_id,
                             until=task.wrap_until)  # fmt: skip
        )
        return self.end()

    def complete(self, task_id: str) -> list[Event]:
        """Finish a task (early end of wrap-up, or straight from the conversation)."""
        task = self.task_or_raise(task_id, S.ASSIGNED, S.WRAPPING)
        self.begin()
        self.complete_task(task)
        return self.end()

    def tick(self) -> list[Event]:
        """Fire every timer due at the clock's now, in deadline order."""
        self.begin()
        while (key := self.timers.pop_due(self.now)) is not None:
            self.fire(*key)
        return self.end()

    def next_deadline(self) -> float | None:
        """When `tick` next has work (seconds), or None when no timer is pending."""
        return self.timers.next_deadline()

    # Validation --------------------------------------------------------------------------

    def _offer_or_raise(self, reservation_id: str, agent_id: str) -> Reservation:
        r = self.reservations.get(reservation_id)
        if r is None:
            closed = self.closed_reservations.get(reservation_id)
            if closed is not None:
                raise IllegalTransition("reservation", reservation_id, f"already {closed.state}")
            raise UnknownId("reservation", reservation_id)
        if r.agent_id != agent_id:
            raise IllegalTransition(
                "reservation", reservation_id, f"was offered to {r.agent_id!r}, not {agent_id!r}"
            )
        if self.clock.now() >= r.deadline:
            raise IllegalTransition("reservation", reservation_id, f"expired at {r.deadline}")
        return r
