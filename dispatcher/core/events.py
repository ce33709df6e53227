"""Events returned by routing commands: every state change is one of these, stamped `at` seconds."""

from __future__ import annotations

from dataclasses import dataclass

from dispatcher.core.model import (
    AgentState,
    AgentStatus,
    CancelReason,
    Channel,
    Queue,
)

_event = dataclass(frozen=True, slots=True, kw_only=True)


@_event
class Event:
    at: float

    @property
    def name(self) -> str:
        return type(self).__name__

    @property
    def agent(self) -> str | None:
        """The agent whose work or presence the event concerns (the one a transfer frees)."""
        return getattr(self, "agent_id", None) or getattr(self, "from_agent", None)


# Configuration and presence ------------------------------------------------------------


@_event
class QueueConfigured(Event):
    queue_id: str
    queue: Queue


@_event
class AgentRegistered(Event):
    agent_id: str
    queues: dict[str, int]
    capacity: dict[Channel, int]
    score: float


@_event
class AgentStatusChanged(Event):
    """Status set by the person or supervisor; reason "missed_offers" when the engine paused."""

    agent_id: str
    status: AgentStatus
    previous: AgentStatus
    reason: str = "set"


@_event
class AgentStateChanged(Event):
    agent_id: str
    state: AgentState
    previous: AgentState


@_event
class AgentCapacityChanged(Event):
    agent_id: str
    channel: Channel
    capacity: int


@_event
class AgentQueuesChanged(Event):
    agent_id: str
    queues: dict[str, int]


@_event
class AgentScoreChanged(Event):
    agent_id: str
    score: float


@_event
class AgentBookingChanged(Event):
    """The queues whose schedule block the agent is booked on now (the schedule says so)."""

    agent_id: str
    queues: frozenset[str]


# Tasks ----------------------------------------------------------------------------------


@_event
class TaskCreated(Event):
    task_id: str
    queue_id: str
    channel: Channel
    priority: int
    required: frozenset[str]
    language: str | None


@_event
class TaskEscalated(Event):
    """The task reached escalation step `level` (1-based) of its queue."""

    task_id: str
    queue_id: str
    level: int
    min_proficiency: int
    pools: tuple[str, ...]


@_event
class TaskRequeued(Event):
    """Back to pending at its place in the queue; reason: rejected, timed_out, agent_unavailable."""

    task_id: str
    queue_id: str
    reason: str


@_event
class TaskAssigned(Event):
    """The agent accepted; waited = seconds from created_at to now."""

    task_id: str
    agent_id: str
    reservation_id: str
    queue_id: str
    waited: float


@_event
class TaskWrapping(Event):
    """The conversation ended; wrap-up runs until `until` (seconds) unless completed earlier."""

    task_id: str
    agent_id: str
    until: float


@_event
class TaskWrapExtended(Event):
    """The agent asked for more wrap-up time: it now ends at `until` (clock seconds)."""

    task_id: str
    agent_id: str
    until: float


@_event
class TaskCompleted(Event):
    task_id: str
    agent_id: str
    queue_id: str


@_event
class TaskCanceled(Event):
    task_id: str
    queue_id: str
    reason: CancelReason


@_event
class TaskFellBack(Event):
    """Max wait reached: the channel layer sends the customer to `fallback` (voicemail...)."""

    task_id: str
    queue_id: str
    fallback: str
    waited: float


@_event
class TaskTransferred(Event):
    """reason: "transfer" (by the agent or a supervisor) or "console_lost" (the agent's
    console was gone past the grace period: the chat went back to its place in the queue)."""

    task_id: str
    from_agent: str
    queue_id: str
    to_agent: str | None
    reason: str = "transfer"


@_event
class ConsultStarted(Event):
    """Warm transfer, first step: `from_agent` (who holds the call) consults `agent_id`, who is
    taken off offers until the consult ends."""

    task_id: str
    from_agent: str
    agent_id: str


@_event
class ConsultEnded(Event):
    """outcome "completed": the call changed hands to `agent_id` (TaskTransferred and
    TaskAssigned precede this event); "canceled": the consulted agent left, the call stays
    with `from_agent`. reason: completed, canceled, declined, left, unreachable, call_ended."""

    task_id: str
    from_agent: str
    agent_id: str
    outcome: str
    reason: str


@_event
class TaskMoved(Event):
    task_id: str
    from_queue: str
    queue_id: str


@_event
class TaskReprioritised(Event):
    task_id: str
    priority: int


# Reservations ---------------------------------------------------------------------------


@_event
class ReservationCreated(Event):
    """An offer with a deadline (seconds); queue_id is the pool the agent was drawn from."""

    reservation_id: str
    task_id: str
    agent_id: str
    queue_id: str
    deadline: float


@_event
class ReservationAccepted(Event):
    reservation_id: str
    task_id: str
    agent_id: str


@_event
class ReservationRejected(Event):
    reservation_id: str
    task_id: str
    agent_id: str


@_event
class ReservationTimedOut(Event):
    reservation_id: str
    task_id: str
    agent_id: str


@_event
class ReservationWithdrawn(Event):
    """Offer taken back: reason abandoned, agent_unavailable, moved, canceled."""

    reservation_id: str
    task_id: str
    agent_id: str
    reason: str
