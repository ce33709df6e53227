"""Agent skills as plain data, the SkillSource port that supplies them, and the eligibility rule."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from dispatcher.core.errors import InvalidValue


@dataclass(frozen=True, slots=True)
class Skill:
    """A certification held at a proficiency (1-5); valid while at < expires_at (seconds)."""

    code: str
    proficiency: int = 1
    expires_at: float | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.proficiency <= 5:
            raise InvalidValue("proficiency", f"must be 1-5, got {self.proficiency}")

    def valid_at(self, at: float) -> bool:
        return self.expires_at is None or at < self.expires_at


@dataclass(frozen=True, slots=True)
class Skills:
    """What an agent can do: certifications by code and spoken languages."""

    certifications: Mapping[str, Skill] = field(default_factory=dict)
    languages: frozenset[str] = frozenset()

    @classmethod
    def of(cls, skills: Iterable[Skill] = (), languages: Iterable[str] = ()) -> Skills:
        return cls({s.code: s for s in skills}, frozenset(languages))


NO_SKILLS = Skills()


class SkillSource(Protocol):
    """Answers "the skills of agent X at time T"; revoked certifications are simply absent."""

    def skills_of(self, agent_id: str, at: float) -> Skills: ...


class StaticSkillSource:
    """Skills held as plain data per agent, until the training module supplies them."""

    def __init__(self, skills: Mapping[str, Skills] | None = None) -> None:
        self._skills: dict[str, Skills] = dict(skills or {})

    def set(self, agent_id: str, skills: Skills) -> None:
        self._skills[agent_id] = skills

    def skills_of(self, agent_id: str, at: float) -> Skills:
        return self._skills.get(agent_id, NO_SKILLS)


def qualifies(
    skills: Skills,
    certifications: frozenset[str],
    extra_certifications: frozenset[str],
    languages: frozenset[str],
    language: str | None,
    min_proficiency: int,
    at: float,
) -> bool:
    """True when every certification is held, unexpired at `at`, at >= min_proficiency,
    and every language (plus `language` when set) is spoken."""
    spoken = skills.languages
    if language is not None and language not in spoken:
        return False
    if languages and not languages <= spoken:
        return False
    held = skills.certifications
    for codes in (certifications, extra_certifications):
        for code in codes:
            skill = held.get(code)
            if skill is None or skill.proficiency < min_proficiency:
                return False
            if skill.expires_at is not None and at >= skill.expires_at:
                return False
    return True
