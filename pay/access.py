"""Whose pay and which programs' reports a user may see, with the same duties as quality
(quality.access.programs_of): admins every program; a supervisor the programs they have a duty
in, so the agents who work those programs; an agent only their own pay. A supervisor sees the
whole statement of an agent of their programs (a contractor is paid as one person). Functions
take the signed-in User and never read Flask."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from agents.models import Agent, AgentProgram, Program, User
from quality.access import programs_of


class PayForbidden(PermissionError):
    """The caller may not see this agent or program: a 403 naming the field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


def program_codes_of(*, session: Session, user: User) -> set[str] | None:
    """Codes of the programs `user` sees as staff; None = every program (admin)."""
    ids = programs_of(session=session, user=user)
    if ids is None:
        return None
    return set(session.scalars(select(Program.code).where(Program.id.in_(ids)))) if ids else set()


def agent_ids_of(*, session: Session, user: User) -> set[int] | None:
    """Agents who work one of `user`'s programs; None = every agent (admin)."""
    ids = programs_of(session=session, user=user)
    if ids is None:
        return None
    if not ids:
        return set()
    return set(session.scalars(select(AgentProgram.agent_id).where(
        AgentProgram.program_id.in_(ids))))  # fmt: skip


def agent_or_raise(*, session: Session, user: User, agent_id: int | str) -> None:
    """PayForbidden (agent_id) unless the agent works one of the staff user's programs."""
    allowed = agent_ids_of(session=session, user=user)
    if allowed is not None and int(agent_id) not in allowed:
        raise PayForbidden("agent_id", "not an agent of a program you supervise")


def program_or_raise(*, session: Session, user: User, code: str) -> None:
    """PayForbidden (program) unless the staff user has a duty in the program `code`."""
    allowed = program_codes_of(session=session, user=user)
    if allowed is not None and code not in allowed:
        raise PayForbidden("program", "not a program you supervise")


def visible_agents(*, session: Session, user: User, query):
    """`query` (selecting from Agent) narrowed to the agents `user` may see."""
    allowed = agent_ids_of(session=session, user=user)
    return query if allowed is None else query.where(Agent.id.in_(allowed))
