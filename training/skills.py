"""The skills port: the one place that decides which routing skills an agent holds at time T.

An agent holds the skill of a client program (code = the program's code) at T when all hold:
- the user is active, the agent is in the `active` stage (a supervisor activated them) and is
  assigned to the program;
- the program has at least one required course in effect at T (its `required_from` unset or
  reached), and for each of them the agent has a certification valid at T: issued_at <= T <
  expires_at and not revoked at or before T.
Expiry needs no job: a certification stops counting the instant T reaches expires_at.
proficiency = the lowest proficiency among those certifications (the newest one per course);
expires_at = the earliest of their expiry times and, for every required course not yet in
effect, of its `required_from` (or the later expiry of a certification of it the agent already
holds): the skill lapses then unless they certify first; languages = the languages the agent
speaks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from agents.models import Agent, Stage
from training.certification import required_courses, requirement_in_effect
from training.models import Certification


@dataclass(frozen=True, slots=True)
class Skill:
    """A program certification as routing sees it."""

    code: str  # the client program's code, e.g. "acme-claims"
    proficiency: int  # 1-5
    languages: frozenset[str]  # BCP 47 primary subtags, e.g. {"en", "es"}
    expires_at: datetime  # the skill lapses at this instant unless recertified


def skills_at(*, session: Session, agent_id: int, at: datetime) -> list[Skill]:
    """The routing skills agent `agent_id` holds at `at`, ordered by code ([] if none)."""
    return skills_of_agents(session=session, agent_ids=[agent_id], at=at).get(agent_id, [])


def skills_of_agents(
    *, session: Session, agent_ids: Iterable[int], at: datetime
) -> dict[int, list[Skill]]:
    """skills_at for many agents in a few queries (the dispatcher rebuilding its indexes)."""
    agents = _eligible_agents(session, list(agent_ids))
    if not agents:
        return {}
    valid = _valid_certifications(session, list(agents), at)
    required_by_program: dict[int, tuple[list[int], list[tuple[int, datetime]]]] = {}
    result: dict[int, list[Skill]] = {}
    for agent in agents.values():
        languages = frozenset(lang.language for lang in agent.languages)
        skills = []
        for program in agent.programs:
            if program.id not in required_by_program:
                required_by_program[program.id] = _requirements(session, program.id, at)
            in_effect, coming = required_by_program[program.id]
            held = [valid.get((agent.id, course_id)) for course_id in in_effect]
            if not held or any(c is None for c in held):
                continue
            lapses = [c.expires_at for c in held]
            for course_id, starts in coming:  # certified ahead, or the skill lapses then
                ahead = valid.get((agent.id, course_id))
                lapses.append(starts if ahead is None else max(starts, ahead.expires_at))
            skills.append(
                Skill(
                    code=program.code,
                    proficiency=min(c.proficiency for c in held),
                    languages=languages,
                    expires_at=min(lapses),
                )
            )
        result[agent.id] = sorted(skills, key=lambda s: s.code)
    return result


def _requirements(session: Session, program_id: int, at: datetime):
    """([course ids required at `at`], [(course id, required_from) of those required later])."""
    in_effect, coming = [], []
    for course in required_courses(session=session, program_id=program_id):
        if requirement_in_effect(course, at):
            in_effect.append(course.id)
        else:
            coming.append((course.id, course.current.required_from))
    return in_effect, coming


def _eligible_agents(session: Session, agent_ids: list[int]) -> dict[int, Agent]:
    agents = session.scalars(
        select(Agent).where(Agent.id.in_(agent_ids), Agent.stage == Stage.ACTIVE)
    )
    return {a.id: a for a in agents if a.user.is_active and a.programs}


def _valid_certifications(
    session: Session, agent_ids: list[int], at: datetime
) -> dict[tuple[int, int], Certification]:
    """(agent, course) → the newest certification valid at `at`."""
    rows = session.scalars(
        select(Certification)
        .where(
            Certification.agent_id.in_(agent_ids),
            Certification.issued_at <= at,
            Certification.expires_at > at,
            or_(Certification.revoked_at.is_(None), Certification.revoked_at > at),
        )
        .order_by(Certification.issued_at, Certification.id)
    )
    newest: dict[tuple[int, int], Certification] = defaultdict()
    for certification in rows:
        newest[(certification.agent_id, certification.course_id)] = certification
    return dict(newest)
