"""Commands that configure queues and agents' presence: status, capacity, queues, score, skills.

Status (available / break / offline / paused) belongs to the person; state (idle / reserved /
busy / wrapping) is derived by the engine and only ever changes as a consequence of routing.
"""

from __future__ import annotations

from collections.abc import Mapping

from dispatcher.core import validation as check
from dispatcher.core.errors import DuplicateId, IllegalTransition, InvalidValue, UnknownId
from dispatcher.core.events import (
    AgentBookingChanged,
    AgentCapacityChanged,
    AgentQueuesChanged,
    AgentRegistered,
    AgentScoreChanged,
    Event,
    QueueConfigured,
)
from dispatcher.core.lifecycle import Lifecycle
from dispatcher.core.model import DEFAULT_CAPACITY, AgentPresence, AgentStatus, Queue, TaskState


class PresenceCommands(Lifecycle):
    """Queue configuration and agent presence commands; each returns its events."""

    def agent_or_raise(self, agent_id: str) -> AgentPresence:
        agent = self.agents.get(agent_id)
        if agent is None:
            raise UnknownId("agent", agent_id)
        return agent

    def configure_queue(self, queue: Queue) -> list[Event]:
        """Create or replace a queue; waiting tasks and agents are re-matched under it."""
        if not isinstance(queue, Queue):
            raise InvalidValue("queue", f"must be a Queue, got {type(queue).__name__}")
        self.begin()
        if queue.queue_id in self.queues:
            self.unindex_queue(queue.queue_id)
        self.queues[queue.queue_id] = queue
        self.events.append(QueueConfigured(at=self.now, queue_id=queue.queue_id, queue=queue))
        for agent in self.agents.values():
            if queue.queue_id in agent.queues:
                self.index_agent(agent)
        pending = [t for t in self.tasks.values() if t.state is TaskState.PENDING]
        for task in sorted(pending, key=lambda t: t.order_key):
            self.unlist_task(task)
            self.list_task(task)
            if task.queue_id == queue.queue_id:
                self.schedule_waiting_timers(task)
            self.match_task(task)
        return self.end()

    def register_agent(
        self,
        agent_id: str,
        *,
        queues: Mapping[str, int] | None = None,
        capacity: Mapping[object, int] | None = None,
        score: float = 0.0,
    ) -> list[Event]:
        """Add an agent, offline, serving `queues` (queue_id -> priority, higher first)."""
        check.identifier(agent_id, "agent_id")
        if agent_id in self.agents:
            raise DuplicateId("agent", agent_id)
        priorities = check.queue_priorities(queues or {})
        slots = check.capacities(DEFAULT_CAPACITY if capacity is None else capacity)
        score = check.number(score, "score")
        self.begin()
        agent = AgentPresence(
            agent_id, queues=priorities, capacity=slots, score=score,
            state_since=self.now, idle_since=self.now,
        )  # fmt: skip
        self.agents[agent_id] = agent
        self.held[agent_id] = {}
        self.slots[agent_id] = {}
        self._order_queues(agent)
        self.events.append(
            AgentRegistered(
                at=self.now, agent_id=agent_id, queues=dict(priorities),
                capacity=dict(slots), score=score,
            )
        )  # fmt: skip
        return self.end()

    def set_status(self, agent_id: str, status: AgentStatus | str) -> list[Event]:
        """The person's status; leaving AVAILABLE withdraws pending offers (not held tasks)."""
        agent = self.agent_or_raise(agent_id)
        status = check.member(AgentStatus, status, "status")
        self.begin()
        if status is not agent.status:
            self.change_status(agent, status, "set")
        return self.end()

    def set_capacity(self, agent_id: str, channel: object, capacity: int) -> list[Event]:
        """Simultaneous tasks on `channel` (>= 0, and not below what the agent holds now)."""
        agent = self.agent_or_raise(agent_id)
        slots = check.capacities({channel: capacity})
        ((channel, capacity),) = slots.items()
        holding = sum(1 for t in self.held[agent_id].values() if t.channel is channel)
        if capacity < holding:
            raise IllegalTransition(
                "agent", agent_id, f"holds {holding} {channel} task(s); capacity {capacity} < that"
            )
        self.begin()
        agent.capacity[channel] = capacity
        self.events.append(
            AgentCapacityChanged(at=self.now, agent_id=agent_id, channel=channel, capacity=capacity)
        )
        self.settle_agent(agent)
        return self.end()

    def set_queues(self, agent_id: str, queues: Mapping[str, int]) -> list[Event]:
        """Replace the queues the agent serves (queue_id -> priority, higher first)."""
        agent = self.agent_or_raise(agent_id)
        priorities = check.queue_priorities(queues)
        self.begin()
        agent.queues = priorities
        self._order_queues(agent)
        self.events.append(
            AgentQueuesChanged(at=self.now, agent_id=agent_id, queues=dict(priorities))
        )
        self.settle_agent(agent)
        return self.end()

    def set_score(self, agent_id: str, score: float) -> list[Event]:
        """Performance score used by the performance strategy (higher is offered first)."""
        agent = self.agent_or_raise(agent_id)
        score = check.number(score, "score")
        self.begin()
        agent.score = score
        self.events.append(AgentScoreChanged(at=self.now, agent_id=agent_id, score=score))
        self.index_agent(agent)
        return self.end()

    def set_booked(self, agent_id: str, queues) -> list[Event]:
        """The queues whose schedule block the agent is booked on now (empty: none); within a
        queue's priority the booked agents are offered first, whatever the strategy."""
        agent = self.agent_or_raise(agent_id)
        if isinstance(queues, str) or not isinstance(queues, list | tuple | set | frozenset):
            raise InvalidValue("queues", f"must be a list of queue ids, got {queues!r}")
        booked = frozenset(check.identifier(q, "queues") for q in queues)
        self.begin()
        agent.booked = booked
        self.events.append(AgentBookingChanged(at=self.now, agent_id=agent_id, queues=booked))
        self.index_agent(agent)
        return self.end()

    def skills_changed(self, agent_id: str) -> list[Event]:
        """The skill source has new skills for the agent: offer it what it can now take."""
        agent = self.agent_or_raise(agent_id)
        self.begin()
        self.settle_agent(agent)
        return self.end()

    def _order_queues(self, agent: AgentPresence) -> None:
        order = sorted(agent.queues.items(), key=lambda item: (-item[1], item[0]))
        self.queue_order[agent.agent_id] = order
