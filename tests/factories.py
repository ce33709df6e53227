"""Factories for roster rows, used by integration and web tests."""

from __future__ import annotations

import itertools

from sqlalchemy import func, select

from agents.models import Program, Role
from agents.users import create_user
from crowdline import wiring
from dispatcher.core.codec import encode_event
from dispatcher.tables import RoutingEvent

PASSWORD = "correct horse battery"
_seq = itertools.count(1)


def make_user(
    session,
    role: str | Role = "agent",
    *,
    email: str | None = None,
    display_name: str | None = None,
    password: str = PASSWORD,
):
    n = next(_seq)
    role = Role(role)
    return create_user(
        session=session,
        email=email or f"{role.value}{n}@example.com",
        display_name=display_name or f"{role.value.title()} {n}",
        password=password,
        role=role,
    )


def make_program(session, *, code: str, name: str = "Program", client_name: str = "Acme"):
    program = Program(code=code, name=name, client_name=client_name)
    session.add(program)
    session.flush()
    return program


def log_events(session, *events, project: bool = True) -> None:
    """Events as the engine saves them: appended to the event log after its last position and,
    unless `project` is false, through the root's projections (the pay ledger) in the same
    transaction. Flushed, not committed."""
    last = session.scalar(select(func.coalesce(func.max(RoutingEvent.position), 0)))
    for position, event in enumerate(events, start=last + 1):
        session.add(RoutingEvent(position=position, type=event.name, at=event.at,
                                 task_id=getattr(event, "task_id", None),
                                 agent_id=event.agent, data=encode_event(event)))  # fmt: skip
    session.flush()
    if project:
        for apply in wiring.domain_projections():
            apply(session.connection(), list(events))
