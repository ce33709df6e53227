"""Statistics read from the database: interval figures folded from routing_events and the live
view of each queue from the open state (see dispatcher.core.stats for the definitions)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Connection

from dispatcher.core.codec import decode, decode_event
from dispatcher.core.events import AgentStateChanged, AgentStatusChanged
from dispatcher.core.model import AgentState, AgentStatus, Queue
from dispatcher.core.skills import Skills
from dispatcher.core.stats import QueueNow, Statistics, realtime
from dispatcher.skill_source import EngineSkills
from dispatcher.sql_store import SqlStore
from dispatcher.tables import RoutingAgent, RoutingEvent, RoutingQueue, RoutingSkills

BATCH = 5000


def statistics_between(connection: Connection, since: float, until: float) -> Statistics:
    """Fold the events with since <= at < until (e.g. today so far), reading in batches."""
    stats = Statistics()
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
