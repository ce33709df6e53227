"""Who sees which program's quality data: admins every program; a supervisor or QA reviewer
the programs they have a duty in (quality_program_staff); an agent only their own reviews and
score. Functions take the signed-in User and never read Flask."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from agents.models import Role, User
from quality.errors import QualityError
from quality.models import ProgramStaff

DUTIES = ("supervisor", "reviewer")


def programs_of(*, session: Session, user: User) -> set[int] | None:
    """Program ids whose quality data `user` may see as staff; None = every program (admin)."""
    if user.role is Role.ADMIN:
        return None
    if user.role is not Role.SUPERVISOR:
        return set()
    return set(session.scalars(select(ProgramStaff.program_id).where(
        ProgramStaff.user_id == user.id)))  # fmt: skip


def staff_or_raise(*, session: Session, user: User, program_id: int) -> None:
    """QualityError 403 (field program_id) unless `user` is staff of the program."""
    allowed = programs_of(session=session, user=user)
    if allowed is not None and program_id not in allowed:
        raise QualityError("program_id", "not a program you supervise or review", status=403)


def assign(*, session: Session, program_id: int, user: User, duty: str) -> ProgramStaff:
    """Give a supervisor a duty in a program (again: the new duty)."""
    if duty not in DUTIES:
        raise QualityError("duty", f"one of {', '.join(DUTIES)}")
    if user.role is not Role.SUPERVISOR:
        raise QualityError("user_id", "only supervisors get program duties (admins see all)")
    row = session.get(ProgramStaff, (program_id, user.id))
    if row is None:
        row = ProgramStaff(program_id=program_id, user_id=user.id, duty=duty)
        session.add(row)
    row.duty = duty
    session.flush()
    return row
