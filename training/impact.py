"""What importing courses does to who may take a program's contacts, measured with the one
eligibility rule (training.skills) before and after the import, inside its transaction.

A requirement added to a live program takes the agents who lack its certification out of
routing: at once (the import must then be confirmed), or at its `required_from` date, so they
can certify first."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from agents.models import Agent, AgentProgram, Program
from training.certification import list_certifications, required_courses, requirement_in_effect
from training.errors import TrainingError
from training.skills import skills_of_agents

CONFIRM_FIELD = "confirm_eligibility_loss"


class EligibilityLossUnconfirmed(TrainingError):
    """The import would take active agents out of a program's routing now; nothing was stored."""

    status = 409

    def __init__(self, losing: int, programs: list[str]):
        self.losing = losing
        super().__init__(
            f"{losing} active agent(s) of {', '.join(programs)} would lose eligibility now "
            "(they hold no certification of the newly required course): confirm to import "
            "anyway, or set a date from which the requirement takes effect so they can "
            "certify first",
            field=CONFIRM_FIELD,
        )


@dataclass(frozen=True)
class Impact:
    """losing_now: active agents who lose a program's eligibility by this import, at once;
    losing_later: those who will lose it at `required_from` unless they certify first."""

    losing_now: int = 0
    losing_later: int = 0
    required_from: datetime | None = None

    def describe(self) -> str:
        parts = []
        if self.losing_now:
            parts.append(f"{self.losing_now} active agent(s) lost eligibility")
        if self.losing_later and self.required_from is not None:
            parts.append(f"{self.losing_later} active agent(s) must certify by "
                         f"{self.required_from:%Y-%m-%d %H:%M} UTC to stay eligible")  # fmt: skip
        return "; ".join(parts)


class EligibilityCheck:
    """Snapshot who holds the programs' skills now; after the import, count who lost them."""

    def __init__(self, *, session: Session, program_codes: Iterable[str], at: datetime) -> None:
        self.session = session
        self.at = at
        self.codes = sorted(set(program_codes))
        self.agent_ids = list(session.scalars(
            select(AgentProgram.agent_id).join(Program).where(Program.code.in_(self.codes))
            .join(Agent, Agent.id == AgentProgram.agent_id).distinct()
        ))  # fmt: skip
        self.before = self._holders(at)

    def _holders(self, at: datetime) -> set[tuple[int, str]]:
        found = skills_of_agents(session=self.session, agent_ids=self.agent_ids, at=at)
        return {(agent, s.code) for agent, skills in found.items() for s in skills
                if s.code in self.codes and s.expires_at > at}  # fmt: skip

    def finish(self, *, confirmed: bool, required_from: datetime | None) -> Impact:
        """Count the losses of the import just flushed; refuse it (the caller rolls back) when
        agents lose eligibility now and nobody confirmed."""
        self.session.flush()
        self.session.expire_all()  # re-read courses and versions as the import left them
        now = self._holders(self.at)
        lost = {agent for agent, _code in self.before - now}
        if lost and not confirmed:
            codes = sorted({code for _agent, code in self.before - now})
            raise EligibilityLossUnconfirmed(len(lost), codes)
        later = 0
        if required_from is not None and required_from > self.at:
            later = len(self._lacking_coming_courses(now))
        return Impact(losing_now=len(lost), losing_later=later, required_from=required_from)

    def _lacking_coming_courses(self, holders: set[tuple[int, str]]) -> set[int]:
        """Agents holding a program's skill now but no valid certification of one of its
        required courses not yet in effect."""
        lacking = set()
        for code in self.codes:
            program = self.session.scalar(select(Program).where(Program.code == code))
            coming = [c.id for c in required_courses(session=self.session, program_id=program.id)
                      if not requirement_in_effect(c, self.at)]  # fmt: skip
            for agent, held_code in holders:
                if held_code != code:
                    continue
                valid = {c.course_id for c in list_certifications(session=self.session,
                                                                  agent_id=agent)
                         if c.valid_at(self.at)}  # fmt: skip
                if any(course_id not in valid for course_id in coming):
                    lacking.add(agent)
        return lacking
