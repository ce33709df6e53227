"""Where the live engine gets agents' skills: the training module's skills port for roster
agents (routing agent id = the roster agent id as text), or plain data given with set_skills
(load tests, simulated agents). Certification changes reach the engine through the training
outbox (`training_events`), consumed in the engine's own transaction."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from agents.models import Agent, AgentLanguage, AgentProgram, Program
from dispatcher.core.skills import NO_SKILLS, Skill, Skills
from training.models import TrainingEvent
from training.skills import skills_of_agents


class EngineSkills:
    """SkillSource of the engine: plain data when given, else the roster agent's training."""

    def __init__(self, plain: dict[str, Skills] | None = None) -> None:
        self.plain: dict[str, Skills] = dict(plain or {})
        self.roster: dict[str, Skills] = {}

    def set(self, agent_id: str, skills: Skills) -> None:
        self.plain[agent_id] = skills

    def skills_of(self, agent_id: str, at: float) -> Skills:
        found = self.plain.get(agent_id)
        return found if found is not None else self.roster.get(agent_id, NO_SKILLS)

    def load_roster(self, connection: Connection, agent_ids, at: float) -> None:
        """(Re)read these routing agents' certifications from training and the languages they
        speak from the roster (non-roster ids are ignored)."""
        ids = {int(a): a for a in agent_ids if str(a).isdigit()}
        if not ids:
            return
        when = datetime.fromtimestamp(at, UTC)
        with Session(bind=connection) as session:
            found = skills_of_agents(session=session, agent_ids=list(ids), at=when)
        spoken = roster_languages(connection, list(ids))
        for number, agent_id in ids.items():
            certified = found.get(number, [])
            self.roster[agent_id] = Skills.of(
                [Skill(s.code, s.proficiency, s.expires_at.timestamp()) for s in certified],
                spoken.get(number, frozenset()),
            )


def roster_languages(connection: Connection, agent_ids: list[int]) -> dict[int, frozenset[str]]:

    rows = connection.execute(
        select(AgentLanguage.agent_id, AgentLanguage.language).where(
            AgentLanguage.agent_id.in_(agent_ids)
        )
    ).all()
    spoken: dict[int, set[str]] = {}
    for agent_id, language in rows:
        spoken.setdefault(agent_id, set()).add(language)
    return {agent_id: frozenset(codes) for agent_id, codes in spoken.items()}


def pending_certification_changes(connection: Connection, now: float) -> list[str]:
    """Routing ids of agents whose certifications changed since last read; marks them read."""
    rows = connection.execute(
        select(TrainingEvent.id, TrainingEvent.agent_id)
        .where(TrainingEvent.processed_at.is_(None))
        .order_by(TrainingEvent.id)
        .limit(1000)
    ).all()
    if not rows:
        return []
    connection.execute(
        update(TrainingEvent)
        .where(TrainingEvent.id.in_([row.id for row in rows]))
        .values(processed_at=datetime.fromtimestamp(now, UTC))
    )
    return sorted({str(row.agent_id) for row in rows})


def roster_programs(connection: Connection, agent_ids) -> dict[str, frozenset[str]]:
    """Program codes of each roster agent (routing id → codes); unknown ids are left out."""

    numbers = [int(a) for a in agent_ids if str(a).isdigit()]
    if not numbers:
        return {}
    rows = connection.execute(
        select(Agent.id, Program.code)
        .select_from(Agent)
        .outerjoin(AgentProgram, AgentProgram.agent_id == Agent.id)
        .outerjoin(Program, Program.id == AgentProgram.program_id)
        .where(Agent.id.in_(numbers))
    ).all()
    found: dict[str, set[str]] = {}
    for agent_id, code in rows:
        found.setdefault(str(agent_id), set())
        if code:
            found[str(agent_id)].add(code)
    return {agent_id: frozenset(codes) for agent_id, codes in found.items()}
