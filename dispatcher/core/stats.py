"""Contact-center statistics folded from the routing event log (invariant 6), and the live view
of each queue from the open state. Times are clock seconds; intervals are 15 minutes.

Definitions (per queue and interval, counted where the event happened):
offered = tasks created in or moved into the queue; answered = assigned to an agent (a warm
transfer, where the call changes hands in conversation, is neither offered nor answered again);
abandoned = canceled by the customer; service level = answered within the queue's threshold /
(answered + abandoned); ASA = mean wait of answered tasks; AHT = mean time from assignment to
completion (talk + wrap-up), counted when the task completes; occupancy (per interval, all
queues) = time agents held a task / time agents were signed in (status not offline).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from dispatcher.core import events as ev
from dispatcher.core.model import AgentState, AgentStatus, CancelReason, TaskState
from dispatcher.core.ports import OpenState
from dispatcher.core.skills import SkillSource, qualifies

INTERVAL = 900.0


@dataclass(slots=True)
class QueueInterval:
    offered: int = 0
    answered: int = 0
    abandoned: int = 0
    fell_back: int = 0
    answered_in_sl: int = 0
    wait_total: float = 0.0
    handled: int = 0
    handle_total: float = 0.0
    offers_accepted: int = 0
    offers_rejected: int = 0
    offers_timed_out: int = 0

    @property
    def asa(self) -> float | None:
        return self.wait_total / self.answered if self.answered else None

    @property
    def aht(self) -> float | None:
        return self.handle_total / self.handled if self.handled else None

    @property
    def service_level(self) -> float | None:
        base = self.answered + self.abandoned
        return self.answered_in_sl / base if base else None


@dataclass(slots=True)
class AgentTime:
    signed_in: float = 0.0
    working: float = 0.0

    @property
    def occupancy(self) -> float | None:
        return self.working / self.signed_in if self.signed_in else None


@dataclass(slots=True)
class AgentWork:
    """One agent's contacts over a period: handled = tasks completed by them (handle time =
    their assignment → completion, wrap-up included, as a queue's AHT); offers = reservations
    made to them that ended accepted, rejected or timed out (withdrawn ones do not count)."""

    handled: int = 0
    handle_total: float = 0.0
    offers_accepted: int = 0
    offers_rejected: int = 0
    offers_timed_out: int = 0

    @property
    def aht(self) -> float | None:
        return self.handle_total / self.handled if self.handled else None

    @property
    def acceptance(self) -> float | None:
        offers = self.offers_accepted + self.offers_rejected + self.offers_timed_out
        return self.offers_accepted / offers if offers else None


@dataclass
class Statistics:
    """Fold events in order with `apply`; `close(now)` counts agent time up to now."""

    interval: float = INTERVAL
    queues: dict[tuple[str, float], QueueInterval] = field(
        default_factory=lambda: defaultdict(QueueInterval)
    )
    agents: dict[float, AgentTime] = field(default_factory=lambda: defaultdict(AgentTime))
    _sl: dict[str, float] = field(default_factory=dict)
    _task_queue: dict[str, str] = field(default_factory=dict)
    _assigned_at: dict[str, float] = field(default_factory=dict)
    _offer_queue: dict[str, str] = field(default_factory=dict)
    _handed_over: set[str] = field(default_factory=set)  # warm transfers, until TaskAssigned
    _status: dict[str, tuple[AgentStatus, float]] = field(default_factory=dict)
    _state: dict[str, tuple[AgentState, float]] = field(default_factory=dict)

    def seed_agent(self, agent_id: str, status: AgentStatus, state: AgentState, at: float) -> None:
        """Start counting an agent from `at` as it was then (its last change came earlier)."""
        self._status[agent_id] = (status, at)
        self._state[agent_id] = (state, at)

    def start_of(self, at: float) -> float:
        return at - at % self.interval

    def _q(self, queue_id: str, at: float) -> QueueInterval:
        return self.queues[(queue_id, self.start_of(at))]

    def apply_all(self, events: Iterable[ev.Event]) -> Statistics:
        for event in events:
            self.apply(event)
        return self

    def apply(self, e: ev.Event) -> None:
        handler = getattr(self, f"_on_{type(e).__name__}", None)
        if handler is not None:
            handler(e)

    def _on_QueueConfigured(self, e: ev.QueueConfigured) -> None:
        self._sl[e.queue_id] = e.queue.service_level_seconds

    def _on_TaskCreated(self, e: ev.TaskCreated) -> None:
        self._task_queue[e.task_id] = e.queue_id
        self._q(e.queue_id, e.at).offered += 1

    def _on_TaskMoved(self, e: ev.TaskMoved) -> None:
        self._task_queue[e.task_id] = e.queue_id
        self._q(e.queue_id, e.at).offered += 1

    def _on_TaskTransferred(self, e: ev.TaskTransferred) -> None:
        if e.reason == "warm_transfer":  # changed hands in conversation: no new offer, no wait
            self._handed_over.add(e.task_id)
            return
        self._on_TaskMoved(e)  # type: ignore[arg-type]
        self._assigned_at.pop(e.task_id, None)

    def _on_TaskAssigned(self, e: ev.TaskAssigned) -> None:
        if e.task_id in self._handed_over:  # the colleague of a warm transfer: answered once
            self._handed_over.discard(e.task_id)
            return
        queue_id = self._task_queue.get(e.task_id, e.queue_id)
        counters = self._q(queue_id, e.at)
        counters.answered += 1
        counters.wait_total += e.waited
        if e.waited <= self._sl.get(queue_id, 0.0):
            counters.answered_in_sl += 1
        self._assigned_at[e.task_id] = e.at

    def _on_TaskCompleted(self, e: ev.TaskCompleted) -> None:
        started = self._assigned_at.pop(e.task_id, None)
        if started is not None:
            counters = self._q(self._task_queue.get(e.task_id, e.queue_id), e.at)
            counters.handled += 1
            counters.handle_total += e.at - started
        self._task_queue.pop(e.task_id, None)

    def _on_TaskCanceled(self, e: ev.TaskCanceled) -> None:
        if e.reason is CancelReason.ABANDONED:
            self._q(e.queue_id, e.at).abandoned += 1
        self._task_queue.pop(e.task_id, None)

    def _on_TaskFellBack(self, e: ev.TaskFellBack) -> None:
        self._q(e.queue_id, e.at).fell_back += 1

    def _on_ReservationCreated(self, e: ev.ReservationCreated) -> None:
        self._offer_queue[e.reservation_id] = self._task_queue.get(e.task_id, e.queue_id)

    def _offer_end(self, e, name: str) -> None:
        queue_id = self._offer_queue.pop(e.reservation_id, None)
        if queue_id is not None:
            counters = self._q(queue_id, e.at)
            setattr(counters, name, getattr(counters, name) + 1)

    def _on_ReservationAccepted(self, e) -> None:
        self._offer_end(e, "offers_accepted")

    def _on_ReservationRejected(self, e) -> None:
        self._offer_end(e, "offers_rejected")

    def _on_ReservationTimedOut(self, e) -> None:
        self._offer_end(e, "offers_timed_out")

    def _on_ReservationWithdrawn(self, e) -> None:
        self._offer_queue.pop(e.reservation_id, None)

    def _on_AgentRegistered(self, e: ev.AgentRegistered) -> None:
        self._status[e.agent_id] = (AgentStatus.OFFLINE, e.at)
        self._state[e.agent_id] = (AgentState.IDLE, e.at)

    def _on_AgentStatusChanged(self, e: ev.AgentStatusChanged) -> None:
        self._count_agent(e.agent_id, e.at)
        self._status[e.agent_id] = (e.status, e.at)

    def _on_AgentStateChanged(self, e: ev.AgentStateChanged) -> None:
        self._count_agent(e.agent_id, e.at)
        self._state[e.agent_id] = (e.state, e.at)

    def _count_agent(self, agent_id: str, until: float) -> None:
        """Add the agent's time since its last change, split across interval boundaries."""
        status, since = self._status.get(agent_id, (AgentStatus.OFFLINE, until))
        state, state_since = self._state.get(agent_id, (AgentState.IDLE, until))
        start = max(since, state_since)
        signed_in = status is not AgentStatus.OFFLINE
        working = state is not AgentState.IDLE
        while start < until:
            end = min(until, self.start_of(start) + self.interval)
            bucket = self.agents[self.start_of(start)]
            if signed_in or working:
                bucket.signed_in += end - start
            if working:
                bucket.working += end - start
            start = end
        self._status[agent_id] = (status, until)
        self._state[agent_id] = (state, until)

    def close(self, now: float) -> Statistics:
        for agent_id in list(self._status):
            self._count_agent(agent_id, now)
        return self


@dataclass(frozen=True, slots=True)
class QueueNow:
    waiting: int
    longest_wait: float
    agents_by_status: dict[str, int]
    agents_by_state: dict[str, int]
    eligible: int  # agents serving the queue who qualify now and are signed in
    available: int  # eligible, available and idle


def realtime(state: OpenState, skills: SkillSource, now: float) -> dict[str, QueueNow]:
    """The live view of every queue from the open state (what a wallboard shows)."""
    waiting: dict[str, list[float]] = defaultdict(list)
    for task in state.tasks:
        if task.state is TaskState.PENDING:
            waiting[task.queue_id].append(now - task.enqueued_at)
    views = {}
    for queue in state.queues:
        req = queue.requirements
        by_status: dict[str, int] = defaultdict(int)
        by_state: dict[str, int] = defaultdict(int)
        eligible = available = 0
        for agent in state.agents:
            if queue.queue_id not in agent.queues:
                continue
            by_status[agent.status.value] += 1
            by_state[agent.state.value] += 1
            fits = qualifies(
                skills.skills_of(agent.agent_id, now),
                req.certifications,
                frozenset(),
                req.languages,
                None,
                req.min_proficiency,
                now,
            )
            if fits and agent.status is not AgentStatus.OFFLINE:
                eligible += 1
                if agent.status is AgentStatus.AVAILABLE and agent.state is AgentState.IDLE:
                    available += 1
        waits = waiting.get(queue.queue_id, [])
        views[queue.queue_id] = QueueNow(
            len(waits),
            max(waits, default=0.0),
            dict(by_status),
            dict(by_state),
            eligible,
            available,
        )
    return views
