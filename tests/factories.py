"""Factories for roster rows, used by integration and web tests."""

from __future__ import annotations

import itertools

from agents.models import Program, Role
from agents.users import create_user

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
