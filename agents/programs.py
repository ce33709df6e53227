"""Client programs: the businesses whose customers agents serve."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from agents import audit
from agents.errors import Duplicate, InvalidValue, NotFound
from agents.models import Program
from agents.validation import validate_pay_rate, validate_text

CODE_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")


def list_programs(*, session: Session, include_inactive: bool = True) -> list[Program]:
    query = select(Program).order_by(Program.code)
    if not include_inactive:
        query = query.where(Program.is_active.is_(True))
    return list(session.scalars(query))


def program_or_raise(*, session: Session, program_id: int) -> Program:
    program = session.get(Program, program_id)
    if program is None:
        raise NotFound(f"no program with id {program_id}", field="program_id")
    return program


def get_by_code(*, session: Session, code: str) -> Program | None:
    return session.scalar(select(Program).where(Program.code == code))


def programs_by_codes(*, session: Session, codes: list[str] | str) -> list[Program]:
    """The programs named by `codes`; an unknown code is an error naming it."""
    items = codes.split(",") if isinstance(codes, str) else list(codes)
    wanted = [str(c).strip().lower() for c in items if str(c).strip()]
    found = {p.code: p for p in session.scalars(select(Program).where(Program.code.in_(wanted)))}
    missing = [code for code in wanted if code not in found]
    if missing:
        raise InvalidValue(f"unknown program code(s): {', '.join(missing)}", field="programs")
    return [found[code] for code in dict.fromkeys(wanted)]


def validate_code(raw: str) -> str:
    code = (raw or "").strip().lower()
    if not CODE_RE.match(code):
        raise InvalidValue(
            "code must be 2–40 characters of lower-case letters, digits and dashes", field="code"
        )
    return code


def create_program(
    *,
    session: Session,
    actor_id: int | None,
    code: str,
    name: str,
    client_name: str,
    description: str = "",
    pay_rate_per_minute="0",
) -> Program:
    code = validate_code(code)
    program = Program(
        code=code,
        name=validate_text(name, field="name", max_length=120),
        client_name=validate_text(client_name, field="client_name", max_length=120),
        description=validate_text(
            description, field="description", max_length=5000, required=False
        ),
        pay_rate_per_minute=validate_pay_rate(pay_rate_per_minute),
    )
    if get_by_code(session=session, code=code) is not None:
        raise Duplicate(f"a program with code {code} already exists", field="code")
    session.add(program)
    session.flush()
    audit.record(
        session=session,
        actor_id=actor_id,
        action="program.create",
        entity_type="program",
        entity_id=program.id,
        after=snapshot(program),
    )
    return program


def update_program(*, session: Session, actor_id: int, program: Program, changes: dict) -> Program:
    rules = {
        "name": lambda v: validate_text(v, field="name", max_length=120),
        "client_name": lambda v: validate_text(v, field="client_name", max_length=120),
        "description": lambda v: validate_text(
            v, field="description", max_length=5000, required=False
        ),
        "is_active": bool,
        "pay_rate_per_minute": validate_pay_rate,
    }
    unknown = sorted(set(changes) - set(rules))
    if unknown:
        raise InvalidValue(f"unknown field(s): {', '.join(unknown)}", field=unknown[0])
    clean = {name: rules[name](value) for name, value in changes.items()}
    before = snapshot(program)
    for name, value in clean.items():
        setattr(program, name, value)
    old, new = audit.changed(before, snapshot(program))
    if new:
        audit.record(
            session=session,
            actor_id=actor_id,
            action="program.update",
            entity_type="program",
            entity_id=program.id,
            before=old,
            after=new,
        )
    return program


def snapshot(program: Program) -> dict:
    return {
        "code": program.code,
        "name": program.name,
        "client_name": program.client_name,
        "description": program.description,
        "is_active": program.is_active,
        "pay_rate_per_minute": str(program.pay_rate_per_minute),
    }
