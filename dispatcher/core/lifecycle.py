"""Lifecycle rules shared by commands and timers: requeue, end, withdraw, pause, escalate, expire.

Rules:
- A rejected, timed-out or withdrawn offer returns the task to its place (priority desc,
  created asc) and offers it again at once; it is never re-offered to an agent who declined it.
- A task whose max wait passed goes to its queue's fallback as soon as it is pending again.
- `max_missed_offers` consecutive timed-out offers pause the agent (status PAUSED); an accept or
  becoming available again resets the count. Explicit rejections neither count nor reset, nor
  does an offer that timed out while the agent was in a conversation they had accepted
  (assigned or wrapping): they were working, not away.
- An agent leaving AVAILABLE loses its pending offers; tasks it already holds stay with it.
"""

from __future__ import annotations

from dispatcher.core.events import (
    AgentStatusChanged,
    ReservationTimedOut,
    ReservationWithdrawn,
    TaskCompleted,
    TaskEscalated,
    TaskFellBack,
    TaskRequeued,
)
from dispatcher.core.matching import Matching
from dispatcher.core.model import (
    AgentPresence,
    AgentStatus,
    CancelReason,
    Reservation,
    ReservationState,
    Task,
    TaskState,
)
from dispatcher.core.state import escalation_of

TASK_TIMERS = ("escalate", "max_wait", "wrap")


class Lifecycle(Matching):
    """State transitions used by several commands and by the timers."""

    def place(self, task: Task) -> None:
        """A task entering a queue: list it, start its escalation and max-wait timers, match it."""
        self.list_task(task)
        self.schedule_waiting_timers(task)
        self.match_task(task)

    def schedule_waiting_timers(self, task: Task) -> None:
        queue = self.queues[task.queue_id]
        steps, level = queue.escalation, task.escalation_level
        if level < len(steps):
            self.timers.schedule(("escalate", task.task_id), task.enqueued_at + steps[level].after)
        else:
            self.timers.cancel(("escalate", task.task_id))
        if queue.max_wait is not None:
            self.timers.schedule(("max_wait", task.task_id), task.enqueued_at + queue.max_wait)
        else:
            self.timers.cancel(("max_wait", task.task_id))

    def requeue(self, task: Task, reason: str) -> None:
        """Back to pending at the task's place, or to the fallback if its max wait passed."""
        task.state = TaskState.PENDING
        task.agent_id = None
        task.reservation_id = None
        queue = self.queues[task.queue_id]
        if queue.max_wait is not None and self.now >= task.enqueued_at + queue.max_wait:
            self.fall_back(task)
            return
        self.events.append(
            TaskRequeued(at=self.now, task_id=task.task_id, queue_id=task.queue_id, reason=reason)
        )
        self.list_task(task)
        self.match_task(task)

    def end_task(self, task: Task, state: TaskState, reason: CancelReason | None = None) -> None:
        """Terminal state: out of every index and timer, remembered for error messages."""
        self.unlist_task(task)
        for kind in TASK_TIMERS:
            self.timers.cancel((kind, task.task_id))
        task.state = state
        task.ended_at = self.now
        task.cancel_reason = reason
        del self.tasks[task.task_id]
        self.remember(self.closed_tasks, task.task_id, task)

    def fall_back(self, task: Task) -> None:
        queue = self.queues[task.queue_id]
        task.fallback = queue.fallback
        self.end_task(task, TaskState.CANCELED, CancelReason.MAX_WAIT)
        self.events.append(
            TaskFellBack(
                at=self.now,
                task_id=task.task_id,
                queue_id=task.queue_id,
                fallback=queue.fallback,
                waited=self.now - task.enqueued_at,
            )
        )

    def complete_task(self, task: Task) -> None:
        """Assigned or wrapping -> completed; talk time counts up to the end of the conversation."""
        self.close_consult(task, "call_ended")
        agent = self.release(task)
        if task.state is TaskState.ASSIGNED:
            agent.talk_seconds += self.now - (task.assigned_at or self.now)
        self.end_task(task, TaskState.COMPLETED)
        self.events.append(
            TaskCompleted(
                at=self.now, task_id=task.task_id, agent_id=agent.agent_id, queue_id=task.queue_id
            )
        )
        self.settle_agent(agent)

    def close_reservation(self, reservation_id: str, state: ReservationState) -> Reservation:
        reservation = self.reservations.pop(reservation_id)
        reservation.state = state
        reservation.ended_at = self.now
        self.timers.cancel(("reservation", reservation_id))
        self.remember(self.closed_reservations, reservation_id, reservation)
        return reservation

    def withdraw(self, task: Task, reason: str) -> AgentPresence:
        """Take back the pending offer of a reserved task; the caller decides the task's fate."""
        r = self.close_reservation(task.reservation_id, ReservationState.WITHDRAWN)
        self.events.append(
            ReservationWithdrawn(
                at=self.now,
                reservation_id=r.reservation_id,
                task_id=task.task_id,
                agent_id=r.agent_id,
                reason=reason,
            )
        )
        return self.release(task)

    def change_status(self, agent: AgentPresence, status: AgentStatus, reason: str) -> None:
        previous = agent.status
        agent.status = status
        self.events.append(
            AgentStatusChanged(
                at=self.now,
                agent_id=agent.agent_id,
                status=status,
                previous=previous,
                reason=reason,
            )
        )
        if status is AgentStatus.AVAILABLE:
            agent.missed_offers = 0
            if not self.held[agent.agent_id]:
                agent.idle_since = self.now
            self.settle_agent(agent)
            return
        self.index_agent(agent)
        offered = [t for t in self.held[agent.agent_id].values() if t.state is TaskState.RESERVED]
        for task in offered:
            self.withdraw(task, "agent_unavailable")
            self.requeue(task, "agent_unavailable")

    # Timers ------------------------------------------------------------------------------

    def fire(self, kind: str, item_id: str) -> None:
        handler = getattr(self, f"on_{kind}")
        handler(item_id)

    def on_reservation(self, reservation_id: str) -> None:
        """Deadline passed without an answer: timeout, count a missed offer, maybe pause."""
        r = self.reservations.get(reservation_id)
        if r is None:
            return
        task, agent = self.tasks[r.task_id], self.agents[r.agent_id]
        self.close_reservation(reservation_id, ReservationState.TIMED_OUT)
        self.events.append(
            ReservationTimedOut(
                at=self.now,
                reservation_id=reservation_id,
                task_id=task.task_id,
                agent_id=r.agent_id,
            )
        )
        self.release(task)
        task.declined_by.add(agent.agent_id)
        working = any(t.state is not TaskState.RESERVED for t in self.held[agent.agent_id].values())
        if not working:
            agent.missed_offers += 1
        limit = self.config.max_missed_offers
        paused = limit is not None and agent.missed_offers >= limit
        if paused and agent.status is AgentStatus.AVAILABLE:
            self.change_status(agent, AgentStatus.PAUSED, "missed_offers")
        self.requeue(task, "timed_out")
        self.settle_agent(agent)

    def on_wrap(self, task_id: str) -> None:
        task = self.tasks.get(task_id)
        if task is not None and task.state is TaskState.WRAPPING:
            self.complete_task(task)

    def on_max_wait(self, task_id: str) -> None:
        """Pending tasks fall back now; a reserved one falls back if its offer comes back."""
        task = self.tasks.get(task_id)
        if task is not None and task.state is TaskState.PENDING:
            self.fall_back(task)

    def on_escalate(self, task_id: str) -> None:
        task = self.tasks.get(task_id)
        if task is None or task.state not in (TaskState.PENDING, TaskState.RESERVED):
            return
        queue = self.queues[task.queue_id]
        task.escalation_level += 1
        min_proficiency, pools = escalation_of(queue, task.escalation_level)
        self.events.append(
            TaskEscalated(
                at=self.now,
                task_id=task_id,
                queue_id=task.queue_id,
                level=task.escalation_level,
                min_proficiency=min_proficiency,
                pools=pools,
            )
        )
        self.schedule_waiting_timers(task)
        if task.state is TaskState.PENDING:
            self.unlist_task(task)
            self.list_task(task)
            self.match_task(task)
