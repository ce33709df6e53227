"""Routing domain model: queues, tasks, reservations and agent presence; times are clock seconds."""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass, field, replace

from dispatcher.core.errors import InvalidValue


class Channel(enum.StrEnum):
    VOICE = "voice"
    CHAT = "chat"
    SMS = "sms"
    COMMUNITY = "community"  # an escalated community question, answered on its thread


#: Simultaneous tasks per channel when an agent is registered without a capacity.
DEFAULT_CAPACITY: dict[Channel, int] = {
    Channel.VOICE: 1, Channel.CHAT: 3, Channel.SMS: 3, Channel.COMMUNITY: 2,
}  # fmt: skip


class TaskState(enum.StrEnum):
    PENDING = "pending"
    RESERVED = "reserved"
    ASSIGNED = "assigned"
    WRAPPING = "wrapping"
    COMPLETED = "completed"
    CANCELED = "canceled"


OPEN_TASK_STATES = frozenset(
    {TaskState.PENDING, TaskState.RESERVED, TaskState.ASSIGNED, TaskState.WRAPPING}
)
HELD_TASK_STATES = frozenset({TaskState.RESERVED, TaskState.ASSIGNED, TaskState.WRAPPING})


class CancelReason(enum.StrEnum):
    ABANDONED = "abandoned"  # the customer left before an agent answered
    MAX_WAIT = "max_wait"  # waited past the queue's max wait: sent to its fallback
    NO_AGENT = "no_agent"  # the channel layer gave up (e.g. queue closed)
    SUPERVISOR = "supervisor"  # canceled by a supervisor


class AgentStatus(enum.StrEnum):
    """Set by the person (or a supervisor); PAUSED is also set by the engine after missed offers."""

    AVAILABLE = "available"
    BREAK = "break"
    OFFLINE = "offline"
    PAUSED = "paused"


class AgentState(enum.StrEnum):
    """Driven by the engine from the tasks an agent holds: reserved > busy > wrapping > idle."""

    IDLE = "idle"
    RESERVED = "reserved"
    BUSY = "busy"
    WRAPPING = "wrapping"


class ReservationState(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    TIMED_OUT = "timed_out"
    WITHDRAWN = "withdrawn"


class Strategy(enum.StrEnum):
    LONGEST_IDLE = "longest_idle"
    ROUND_ROBIN = "round_robin"
    FEWEST_TASKS = "fewest_tasks"
    LEAST_TALK_TIME = "least_talk_time"
    PERFORMANCE = "performance"
    RANDOM = "random"


def _check_seconds(name: str, value: object) -> None:
    """Durations are finite numbers of seconds (JSON has no NaN or infinity to store)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidValue(name, f"must be a finite number of seconds, got {value!r}")


def _check_proficiency(name: str, value: int | None) -> None:
    if value is not None and not 1 <= value <= 5:
        raise InvalidValue(name, f"proficiency must be 1-5, got {value}")


@dataclass(frozen=True, slots=True)
class Requirements:
    """An agent needs every certification (at >= min_proficiency, unexpired) and every language."""

    certifications: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    min_proficiency: int = 1

    def __post_init__(self) -> None:
        _check_proficiency("min_proficiency", self.min_proficiency)


@dataclass(frozen=True, slots=True)
class EscalationStep:
    """After `after` seconds in queue: use `min_proficiency` (if set), open `overflow` queues.

    An agent drawn from an overflow queue must meet that queue's own requirements plus the
    task's own required certifications and language.
    """

    after: float
    min_proficiency: int | None = None
    overflow: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check_seconds("escalation.after", self.after)
        if self.after < 0:
            raise InvalidValue("escalation.after", f"must be >= 0 seconds, got {self.after}")
        _check_proficiency("escalation.min_proficiency", self.min_proficiency)


@dataclass(frozen=True, slots=True)
class Queue:
    """A queue of a client program; all durations are seconds."""

    queue_id: str
    program: str = ""
    requirements: Requirements = Requirements()
    strategy: Strategy = Strategy.LONGEST_IDLE
    reservation_timeout: float = 15.0
    wrapup_seconds: float = 30.0
    service_level_seconds: float = 20.0
    escalation: tuple[EscalationStep, ...] = ()
    max_wait: float | None = None
    fallback: str = "voicemail"
    concurrent_offers: bool = False  # offer its tasks beside other pending offers (see state.py)

    def __post_init__(self) -> None:
        if not isinstance(self.concurrent_offers, bool):
            raise InvalidValue("concurrent_offers", "must be true or false")
        if not isinstance(self.queue_id, str) or not self.queue_id:
            raise InvalidValue("queue_id", "must not be empty")
        if len(self.queue_id) > 56 or not self.queue_id.isprintable():
            raise InvalidValue("queue_id", "must be at most 56 printable characters")
        for name in ("reservation_timeout", "wrapup_seconds", "service_level_seconds"):
            _check_seconds(name, getattr(self, name))
        if self.max_wait is not None:
            _check_seconds("max_wait", self.max_wait)
        if self.reservation_timeout <= 0:
            raise InvalidValue(
                "reservation_timeout", f"must be > 0, got {self.reservation_timeout}"
            )
        for name in ("wrapup_seconds", "service_level_seconds"):
            if getattr(self, name) < 0:
                raise InvalidValue(name, f"must be >= 0, got {getattr(self, name)}")
        if self.max_wait is not None and self.max_wait <= 0:
            raise InvalidValue("max_wait", f"must be > 0 or None, got {self.max_wait}")
        afters = [step.after for step in self.escalation]
        if afters != sorted(afters):
            raise InvalidValue("escalation", "steps must be ordered by `after`")
        if self.queue_id in {q for step in self.escalation for q in step.overflow}:
            raise InvalidValue("escalation.overflow", "a queue cannot overflow into itself")


@dataclass(slots=True)
class Task:
    """One customer contact. Queue order: priority desc, then created_at asc, then seq."""

    task_id: str
    queue_id: str
    channel: Channel
    priority: int
    created_at: float
    seq: int
    enqueued_at: float  # when it entered its current queue; escalation and max wait count from here
    epoch: int = 0  # bumped on each move/transfer so timers of an earlier queue are ignored
    state: TaskState = TaskState.PENDING
    required: frozenset[str] = frozenset()
    language: str | None = None
    attributes: dict[str, object] = field(default_factory=dict)
    agent_id: str | None = None
    reservation_id: str | None = None
    offers: int = 0
    escalation_level: int = 0
    declined_by: set[str] = field(default_factory=set)
    target_agent: str | None = None
    assigned_at: float | None = None
    wrap_until: float | None = None
    ended_at: float | None = None
    cancel_reason: CancelReason | None = None
    fallback: str | None = None
    consult_agent: str | None = None  # the colleague consulted on this call (warm transfer)

    @property
    def order_key(self) -> tuple[int, float, int]:
        return (-self.priority, self.created_at, self.seq)

    def clone(self) -> Task:
        return replace(self, attributes=dict(self.attributes), declined_by=set(self.declined_by))


@dataclass(slots=True)
class Reservation:
    """An offer of a task to an agent; deadline = offered_at + queue reservation_timeout."""

    reservation_id: str
    task_id: str
    agent_id: str
    queue_id: str  # the queue whose pool the agent was drawn from
    offered_at: float
    deadline: float
    state: ReservationState = ReservationState.PENDING
    ended_at: float | None = None

    def clone(self) -> Reservation:
        return replace(self)


@dataclass(slots=True)
class AgentPresence:
    """An agent as the router sees it: status, capacity, queues with a priority each, counters."""

    agent_id: str
    status: AgentStatus = AgentStatus.OFFLINE
    queues: dict[str, int] = field(default_factory=dict)  # queue_id -> priority, higher first
    capacity: dict[Channel, int] = field(default_factory=lambda: dict(DEFAULT_CAPACITY))
    score: float = 0.0  # performance score, higher is better
    state: AgentState = AgentState.IDLE
    state_since: float = 0.0
    idle_since: float = 0.0  # last time the agent held no task or became available
    missed_offers: int = 0  # consecutive timeouts; reset by accept / available
    tasks_handled: int = 0
    talk_seconds: float = 0.0
    last_offered: dict[str, int] = field(default_factory=dict)  # queue_id -> offer sequence
    consulting: str | None = None  # task it is consulted on: no offers meanwhile, state busy
    # Queues whose schedule block the agent is booked on now: preferred there (strategies).
    booked: frozenset[str] = frozenset()

    def clone(self) -> AgentPresence:
        return replace(
            self,
            queues=dict(self.queues),
            capacity=dict(self.capacity),
            last_offered=dict(self.last_offered),
        )
