"""Statistics read from the database: interval figures folded from routing_events and the live
view of each queue from the open state (see dispatcher.core.stats for the definitions)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.engine import Connection

from dispatcher.core.codec import decode, decode_event
from dispatcher.core.events import AgentStateChanged, AgentStatusChanged
from dispatcher.core.model import AgentState, AgentStatus, Queue
from dispatcher.core.skills import Skills
from dispatcher.core.stats import AgentTime, AgentWork, QueueNow, Statistics, realtime
from dispatcher.skill_source import EngineSkills
from dispatcher.sql_store import SqlStore
from dispatcher.tables import (
    RoutingAgent,
    RoutingEvent,
    RoutingQueue,
    RoutingSkills,
    RoutingTask,
)

BATCH = 5000
HELD = ("reserved", "assigned", "wrapping")  # task states in which an agent holds the task


def start_of_day(now: float) -> float:
    """Midnight UTC of the day of `now` (epoch seconds)."""
    day = datetime.fromtimestamp(now, UTC).date()
    return datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()


def statistics_between(
    connection: Connection, since: float, until: float, *, stats: Statistics | None = None
) -> Statistics:
    """Fold the events with since <= at < until (e.g. today so far), reading in batches."""
    stats = Statistics() if stats is None else stats
    for data in connection.scalars(select(RoutingQueue.data)):
        queue = decode(Queue, data)
        stats._sl[queue.queue_id] = queue.service_level_seconds
    _seed_agents(connection, stats, since)
    last = 0
    while True:
        rows = connection.execute(
            select(RoutingEvent.position, RoutingEvent.data)
            .where(RoutingEvent.at >= since, RoutingEvent.at < until, RoutingEvent.position > last)
            .order_by(RoutingEvent.position)
            .limit(BATCH)
        ).all()
        for row in rows:
            stats.apply(decode_event(row.data))
        if len(rows) < BATCH:
            break
        last = rows[-1].position
    return stats.close(until)


AGENT_EVENTS = ("AgentRegistered", "AgentStatusChanged", "AgentStateChanged")


def _seed_agents(connection: Connection, stats: Statistics, since: float) -> None:
    """Each agent's status and state at `since`, from its last changes before it (read newest
    first, stopping once every agent is known), so a shift that began before the window counts."""
    agents = set(connection.scalars(select(RoutingAgent.agent_id)))
    status: dict[str, AgentStatus] = {}
    state: dict[str, AgentState] = {}
    before = None
    while agents - (status.keys() & state.keys()):
        query = (
            select(RoutingEvent.position, RoutingEvent.data)
            .where(RoutingEvent.at < since, RoutingEvent.type.in_(AGENT_EVENTS))
            .order_by(RoutingEvent.position.desc())
            .limit(BATCH)
        )
        if before is not None:
            query = query.where(RoutingEvent.position < before)
        rows = connection.execute(query).all()
        for row in rows:
            event = decode_event(row.data)
            if isinstance(event, AgentStatusChanged):
                status.setdefault(event.agent_id, event.status)
            elif isinstance(event, AgentStateChanged):
                state.setdefault(event.agent_id, event.state)
            else:  # registered: offline and idle unless a later change said otherwise
                status.setdefault(event.agent_id, AgentStatus.OFFLINE)
                state.setdefault(event.agent_id, AgentState.IDLE)
        if len(rows) < BATCH:
            break
        before = rows[-1].position
    for agent_id in status.keys() & state.keys():
        stats.seed_agent(agent_id, status[agent_id], state[agent_id], since)


def live_view(connection: Connection, now: float) -> dict[str, QueueNow]:
    """Per queue: waiting, longest wait, agents by status and state, eligible vs available."""
    rows = connection.execute(select(RoutingSkills.agent_id, RoutingSkills.data))
    skills = EngineSkills({agent_id: decode(Skills, data) for agent_id, data in rows})
    state = SqlStore(connection).load_open_state()
    skills.load_roster(connection, [agent.agent_id for agent in state.agents], now)
    return realtime(state, skills, now)


class AgentTimeStatistics(Statistics):
    """Statistics that also keep each agent's signed-in and working time (`by_agent`), so
    occupancy can be computed for the agents serving one queue, and each agent's contacts and
    offers (`work`, see AgentWork)."""

    def __init__(self) -> None:
        super().__init__()
        self.by_agent: dict[str, AgentTime] = defaultdict(AgentTime)
        self.work: dict[str, AgentWork] = defaultdict(AgentWork)
        self._held_by: dict[str, tuple[str, float]] = {}  # task → (agent, assigned at)

    def _on_TaskAssigned(self, e) -> None:
        super()._on_TaskAssigned(e)
        self._held_by[e.task_id] = (e.agent_id, e.at)

    def _on_TaskTransferred(self, e) -> None:
        super()._on_TaskTransferred(e)
        self._held_by.pop(e.task_id, None)

    def _on_TaskRequeued(self, e) -> None:
        self._held_by.pop(e.task_id, None)

    def _on_TaskCompleted(self, e) -> None:
        super()._on_TaskCompleted(e)
        agent_id, assigned_at = self._held_by.pop(e.task_id, (None, None))
        if agent_id is not None:
            work = self.work[agent_id]
            work.handled += 1
            work.handle_total += e.at - assigned_at

    def _on_ReservationAccepted(self, e) -> None:
        super()._on_ReservationAccepted(e)
        self.work[e.agent_id].offers_accepted += 1

    def _on_ReservationRejected(self, e) -> None:
        super()._on_ReservationRejected(e)
        self.work[e.agent_id].offers_rejected += 1

    def _on_ReservationTimedOut(self, e) -> None:
        super()._on_ReservationTimedOut(e)
        self.work[e.agent_id].offers_timed_out += 1

    def _count_agent(self, agent_id: str, until: float) -> None:
        status, since = self._status.get(agent_id, (AgentStatus.OFFLINE, until))
        state, state_since = self._state.get(agent_id, (AgentState.IDLE, until))
        span = max(0.0, until - max(since, state_since))
        working = state is not AgentState.IDLE
        if span and (working or status is not AgentStatus.OFFLINE):
            self.by_agent[agent_id].signed_in += span
            if working:
                self.by_agent[agent_id].working += span
        super()._count_agent(agent_id, until)


def agent_time_between(connection: Connection, since: float, until: float) -> AgentTimeStatistics:
    """`statistics_between` with each agent's time kept apart (see AgentTimeStatistics)."""
    return statistics_between(connection, since, until, stats=AgentTimeStatistics())


def queue_occupancy(
    by_agent: dict[str, AgentTime], queues_of: dict[str, Iterable[str]]
) -> dict[str, float | None]:
    """Per queue: time its agents (those serving it now) held a task / time they were signed in.
    An agent serving several queues counts in each of them; None when nobody was signed in."""
    totals: dict[str, AgentTime] = defaultdict(AgentTime)
    for agent_id, time_ in by_agent.items():
        for queue_id in queues_of.get(agent_id, ()):
            totals[queue_id].signed_in += time_.signed_in
            totals[queue_id].working += time_.working
    return {queue_id: t.occupancy for queue_id, t in totals.items()}


WAIT_STARTS = ("TaskCreated", "TaskTransferred")
WAIT_ENDS = ("TaskAssigned", "TaskCanceled", "TaskCompleted")
QUEUE_CHANGES = ("TaskCreated", "TaskMoved", "TaskTransferred", "TaskRequeued")


def waiting_series(
    connection: Connection, since: float, until: float, step: float = 60.0
) -> tuple[list[float], dict[str, list[int]]]:
    """Tasks waiting (created or transferred, not yet answered or ended; offered counts as
    waiting: the customer still waits) at each `step` from `since` to `until`, per queue, folded
    from the event log of every task open at some time in the window. Returns (times, counts)."""
    times = [since + step * n for n in range(int((until - since) // step) + 1)]
    if times[-1] < until:
        times.append(until)
    open_in_window = select(RoutingTask.task_id).where(
        RoutingTask.created_at < until,
        (RoutingTask.ended_at.is_(None)) | (RoutingTask.ended_at >= since),
    )
    rows = connection.execute(
        select(RoutingEvent.task_id, RoutingEvent.at, RoutingEvent.type, RoutingEvent.data)
        .where(
            RoutingEvent.task_id.in_(open_in_window),
            RoutingEvent.type.in_(WAIT_STARTS + WAIT_ENDS + QUEUE_CHANGES),
            RoutingEvent.at < until,
        )
        .order_by(RoutingEvent.position)
    )
    spans: list[tuple[str, float, float]] = []  # (queue, waiting from, waiting until)
    started: dict[str, tuple[str, float]] = {}
    queue_of: dict[str, str] = {}
    for task_id, at, kind, data in rows:
        if kind in QUEUE_CHANGES:
            queue_id = data.get("queue_id", queue_of.get(task_id, ""))
            if task_id in started and queue_id != queue_of.get(task_id):
                spans.append((queue_of[task_id], started[task_id][1], at))
                started[task_id] = (queue_id, at)
            queue_of[task_id] = queue_id
        if kind in WAIT_STARTS and task_id not in started:
            started[task_id] = (queue_of.get(task_id, ""), at)
        elif kind in WAIT_ENDS and task_id in started:
            queue_id, begin = started.pop(task_id)
            spans.append((queue_id, begin, at))
    spans.extend((queue_id, begin, float("inf")) for queue_id, begin in started.values())
    counts: dict[str, list[int]] = defaultdict(lambda: [0] * len(times))
    for queue_id, begin, end in spans:
        for n, t in enumerate(times):
            if begin <= t < end:
                counts[queue_id][n] += 1
    return times, dict(counts)
