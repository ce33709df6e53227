"""Warm transfer of a call: consult a colleague first, then complete or cancel (the cold
transfer, through a new offer, is in dispatcher.core.handoff).

A consult keeps the engine's rules: the call stays assigned to the agent who holds it until
completion moves it, in one decision, to the consulted colleague (never held by two agents);
the colleague gets no offers while consulted; every step is an event."""

from __future__ import annotations

from dispatcher.core.errors import IllegalTransition, InvalidValue
from dispatcher.core.events import (
    ConsultEnded,
    ConsultStarted,
    Event,
    TaskAssigned,
    TaskTransferred,
)
from dispatcher.core.model import AgentStatus, Channel, Task
from dispatcher.core.model import TaskState as S

CONSULT_END_REASONS = frozenset({"canceled", "declined", "left", "unreachable", "call_ended"})


class HandoverCommands:
    """Mixed into Router (uses its state, lifecycle and matching); `close_consult` is also
    called where a call leaves its agent otherwise (wrap-up, completion, transfer)."""

    def consult(self, task_id: str, agent_id: str) -> list[Event]:
        """The agent holding call `task_id` consults `agent_id` (warm transfer): the colleague
        must be available with a free voice line and no pending offer; one consult per call."""
        task = self.task_or_raise(task_id, S.ASSIGNED)
        if task.channel is not Channel.VOICE:
            raise InvalidValue("task_id", f"task {task_id!r} is a {task.channel} chat, not a call")
        if task.consult_agent is not None:
            raise IllegalTransition("task", task_id, f"already consulting {task.consult_agent!r}")
        colleague = self.agent_or_raise(agent_id)
        if agent_id == task.agent_id:
            raise InvalidValue("agent_id", f"task {task_id!r} is already with {agent_id!r}")
        if colleague.status is not AgentStatus.AVAILABLE:
            raise IllegalTransition("agent", agent_id, f"is {colleague.status}, not available")
        if (colleague.consulting is not None or self.offers_pending(agent_id)
                or Channel.VOICE not in self.free_channels(colleague)):  # fmt: skip
            raise IllegalTransition("agent", agent_id, "is busy with another contact")
        self.begin()
        task.consult_agent = agent_id
        colleague.consulting = task_id
        self.touched[agent_id] = colleague
        self.index_agent(colleague)  # off every idle index: no offer while consulted
        self.events.append(
            ConsultStarted(
                at=self.now, task_id=task_id, from_agent=task.agent_id, agent_id=agent_id
            )
        )
        return self.end()

    def end_consult(self, task_id: str, *, complete: bool = False, reason: str = "canceled",
                    ) -> list[Event]:  # fmt: skip
        """Complete (the call moves to the consulted colleague, the agent is freed) or cancel
        (the colleague is freed, the call stays) the consult on `task_id`. `reason` says why a
        consult was canceled: canceled (by the agent), declined (the colleague never picked up),
        left (they hung up before completion), unreachable, call_ended."""
        task = self.task_or_raise(task_id)
        if task.consult_agent is None:
            raise IllegalTransition("task", task_id, "has no consult in progress")
        if not isinstance(complete, bool):
            raise InvalidValue("complete", "must be true or false")
        if complete and task.state is not S.ASSIGNED:
            raise IllegalTransition("task", task_id, f"is {task.state}, the call has ended")
        if not complete and reason not in CONSULT_END_REASONS:
            raise InvalidValue("reason", f"must be one of {', '.join(sorted(CONSULT_END_REASONS))}")
        self.begin()
        if complete:
            self._hand_over(task)
        else:
            self.close_consult(task, reason)
        return self.end()

    def close_consult(self, task: Task, reason: str) -> None:
        """Within a command: end `task`'s consult, if any, without changing hands."""
        agent_id = task.consult_agent
        if agent_id is None:
            return
        colleague = self.agents[agent_id]
        task.consult_agent = None
        colleague.consulting = None
        self.touched[agent_id] = colleague
        self.events.append(
            ConsultEnded(
                at=self.now,
                task_id=task.task_id,
                from_agent=task.agent_id,
                agent_id=agent_id,
                outcome="canceled",
                reason=reason,
            )  # fmt: skip
        )
        self.settle_agent(colleague)

    def _hand_over(self, task: Task) -> None:
        colleague = self.agents[task.consult_agent]
        old = self.release(task)  # the call is off the agent before the colleague holds it
        old.talk_seconds += self.now - task.assigned_at
        task.consult_agent = None
        colleague.consulting = None
        task.agent_id = colleague.agent_id
        task.assigned_at = self.now
        self.held[colleague.agent_id][task.task_id] = task
        colleague.tasks_handled += 1
        self.touched[colleague.agent_id] = colleague
        self.events.append(
            TaskTransferred(
                at=self.now, task_id=task.task_id, from_agent=old.agent_id,
                queue_id=task.queue_id, to_agent=colleague.agent_id, reason="warm_transfer",
            )
        )  # fmt: skip
        self.events.append(
            TaskAssigned(
                at=self.now, task_id=task.task_id, agent_id=colleague.agent_id,
                reservation_id="", queue_id=task.queue_id, waited=self.now - task.created_at,
            )
        )  # fmt: skip
        self.events.append(
            ConsultEnded(
                at=self.now,
                task_id=task.task_id,
                from_agent=old.agent_id,
                agent_id=colleague.agent_id,
                outcome="completed",
                reason="completed",
            )  # fmt: skip
        )
        self.index_agent(colleague)
        self.settle_agent(old)
