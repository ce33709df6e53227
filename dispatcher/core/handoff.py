"""Commands that hand a task on: transfer of a held conversation, and the supervisor's move
and reprioritise of a waiting or offered one.

Mixed into `Router` (dispatcher.core.router); each command returns the events it caused and
either succeeds whole or raises a CommandError having changed nothing.
"""

from __future__ import annotations

from dispatcher.core import validation as check
from dispatcher.core.errors import InvalidValue
from dispatcher.core.events import Event, TaskMoved, TaskReprioritised, TaskTransferred
from dispatcher.core.lifecycle import Lifecycle
from dispatcher.core.model import Task
from dispatcher.core.model import TaskState as S


class HandoffCommands(Lifecycle):
    """Transfer, move and reprioritise; each returns its events. The look-ups it uses
    (`task_or_raise`, `queue_or_raise`, `agent_or_raise`) come from the Router's other
    mixins, Queries and PresenceCommands."""

    def transfer(
        self, task_id: str, *, queue_id: str | None = None, agent_id: str | None = None,
        reason: str = "transfer",
    ) -> list[Event]:  # fmt: skip
        """Hand a held conversation to a queue (default: its own) or to one named agent.

        The transferring agent is freed at once and never offered the task again; the task
        keeps its created time, so it waits at its original place in the target queue.
        `reason` (an identifier) is recorded on the event: "transfer" or "console_lost".
        """
        task = self.task_or_raise(task_id, S.ASSIGNED)
        check.identifier(reason, "reason")
        target_queue = self.queue_or_raise(queue_id or task.queue_id).queue_id
        if agent_id is not None:
            self.agent_or_raise(agent_id)
            if agent_id == task.agent_id:
                raise InvalidValue("agent_id", f"task {task_id!r} is already with {agent_id!r}")
        self.begin()
        agent = self.release(task)
        agent.talk_seconds += self.now - task.assigned_at
        from_agent = agent.agent_id
        self._rehome(task, target_queue)
        task.declined_by = {from_agent}
        task.target_agent = agent_id
        self.events.append(
            TaskTransferred(
                at=self.now, task_id=task_id, from_agent=from_agent,
                queue_id=target_queue, to_agent=agent_id, reason=reason,
            )
        )  # fmt: skip
        self.place(task)
        self.settle_agent(agent)
        return self.end()

    def move(self, task_id: str, queue_id: str) -> list[Event]:
        """Supervisor: move a waiting or offered task to another queue (offer withdrawn)."""
        task = self.task_or_raise(task_id, S.PENDING, S.RESERVED)
        self.queue_or_raise(queue_id)
        self.begin()
        if queue_id == task.queue_id:
            return self.end()
        agent = self.withdraw(task, "moved") if task.state is S.RESERVED else None
        from_queue = task.queue_id
        self.unlist_task(task)
        self._rehome(task, queue_id)
        task.declined_by = set()
        task.target_agent = None
        self.events.append(
            TaskMoved(at=self.now, task_id=task_id, from_queue=from_queue, queue_id=queue_id)
        )
        self.place(task)
        if agent is not None:
            self.settle_agent(agent)
        return self.end()

    def reprioritise(self, task_id: str, priority: int) -> list[Event]:
        """Supervisor: new priority for a waiting or offered task (higher is served first)."""
        task = self.task_or_raise(task_id, S.PENDING, S.RESERVED)
        priority = check.integer(priority, "priority")
        self.begin()
        task.priority = priority
        self.events.append(TaskReprioritised(at=self.now, task_id=task_id, priority=priority))
        if task.state is S.PENDING:
            self.unlist_task(task)
            self.list_task(task)
        return self.end()

    def _rehome(self, task: Task, queue_id: str) -> None:
        task.queue_id = queue_id
        task.state = S.PENDING
        task.agent_id = None
        task.reservation_id = None
        task.assigned_at = None
        task.enqueued_at = self.now
        task.epoch += 1
        task.escalation_level = 0
