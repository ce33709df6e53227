"""The engine's side of the training roster: plain-data skills for agents outside it, and
roster agents signed in and kept on their programs' queues as certifications and programs
change. Mixed into `RoutingEngine` (dispatcher.engine), whose router, skills and clock it uses.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from dispatcher.commands import skills_from
from dispatcher.core.codec import decode, encode
from dispatcher.core.errors import InvalidValue
from dispatcher.core.events import Event
from dispatcher.core.skills import Skills
from dispatcher.skill_source import pending_certification_changes, roster_programs
from dispatcher.tables import RoutingSkills


class RosterSync:
    """Roster commands and re-reads of the engine; `self.router`, `self.skills` and
    `self.clock` are the engine's."""

    def _set_skills(self, connection: Connection, payload: dict) -> list[Event]:
        """Plain-data skills for agents outside the roster (load tests, simulated agents); a
        roster agent's skills come from training only (invariant 4)."""
        agent_id = str(payload["agent_id"])
        if agent_id.isdigit():
            raise InvalidValue("agent_id", "roster agents get their skills from training")
        skills = skills_from(payload)
        save_skills(connection, agent_id, skills)
        self.skills.set(agent_id, skills)
        return self.router.skills_changed(agent_id) if agent_id in self.router.agents else []

    def _sign_in_roster_agent(self, connection: Connection, kind: str, arguments: dict):
        """A roster agent's first status change registers them, serving the queues of their
        client programs; nobody else has to know the engine's agent list."""
        agent_id = str(arguments.get("agent_id", ""))
        if kind != "set_status" or agent_id in self.router.agents or not agent_id.isdigit():
            return []
        programs = roster_programs(connection, [agent_id]).get(agent_id)
        if programs is None:
            return []  # not a roster agent: set_status reports the unknown id
        self.skills.load_roster(connection, [agent_id], self.clock.now())
        return self.router.register_agent(agent_id, queues=self._queues_of(programs))

    def _queues_of(self, programs: frozenset[str]) -> dict[str, int]:
        return {q.queue_id: 0 for q in self.router.queues.values() if q.program in programs}

    def _sync_roster_queues(self, connection: Connection, agent_ids: list[str]) -> list[Event]:
        """Roster agents serve the queues of their programs: follow program and queue changes."""
        events: list[Event] = []
        for agent_id, programs in roster_programs(connection, agent_ids).items():
            agent = self.router.agents.get(agent_id)
            wanted = self._queues_of(programs)
            if agent is not None and set(agent.queues) != set(wanted):
                keep = {q: p for q, p in agent.queues.items() if q in wanted}
                events += self.router.set_queues(agent_id, {**wanted, **keep})
        return events

    def _roster_changes(self, connection: Connection) -> list[Event]:
        """Certifications issued, expired or revoked, or profiles changed: re-read those agents'
        skills and programs, and let the router re-match them at once (a revoked agent leaves
        the program's queues now)."""
        changed = pending_certification_changes(connection, self.clock.now())
        if not changed:
            return []
        self.skills.load_roster(connection, changed, self.clock.now())
        known = [agent_id for agent_id in changed if agent_id in self.router.agents]
        events = self._sync_roster_queues(connection, known)
        for agent_id in known:
            events.extend(self.router.skills_changed(agent_id))
        return events


def load_skills(connection: Connection) -> dict[str, Skills]:
    rows = connection.execute(select(RoutingSkills.agent_id, RoutingSkills.data)).all()
    return {row.agent_id: decode(Skills, row.data) for row in rows}


def save_skills(connection: Connection, agent_id: str, skills: Skills) -> None:
    data = encode(skills)
    updated = connection.execute(
        update(RoutingSkills).where(RoutingSkills.agent_id == agent_id).values(data=data)
    ).rowcount
    if not updated:
        connection.execute(RoutingSkills.__table__.insert().values(agent_id=agent_id, data=data))
