"""The wallboard's community figures per program, today (UTC): deflection rate and the
self-service score (formulas in community/deflection.py)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from agents.models import Program
from channels.models import Contact, EntryPoint
from community import deflection
from database.clock import utc
from dispatcher.statistics import start_of_day


def contacts_per_program(*, session: Session, since, until) -> dict[int, int]:
    """Contacts that reached an agent queue in [since, until), per program id."""
    rows = session.execute(
        select(EntryPoint.program_id, func.count(Contact.task_id))
        .join(EntryPoint, EntryPoint.id == Contact.entry_point_id)
        .where(Contact.enqueued.is_(True), Contact.created_at >= since, Contact.created_at < until)
        .group_by(EntryPoint.program_id)
    )
    return dict(rows.all())


def community_today(*, session: Session, now: float) -> list[dict]:
    """One row per active program: solved and need-help verdicts, deflection rate, contacts
    queued and self-service score, today."""
    since, until = utc(start_of_day(now)), utc(now + 1)
    verdicts = deflection.counts(session=session, since=since, until=until)
    contacts = contacts_per_program(session=session, since=since, until=until)
    rows = []
    for program in session.scalars(select(Program).where(Program.is_active.is_(True))
                                   .order_by(Program.code)):  # fmt: skip
        counted = verdicts.get(program.id, deflection.DeflectionCounts(0, 0))
        queued = contacts.get(program.id, 0)
        rows.append({"program": program.code, "name": program.name, "solved": counted.solved,
                     "need_help": counted.need_help, "deflection_rate": counted.rate,
                     "contacts": queued,
                     "self_service_score": deflection.self_service_score(counted.solved, queued),
                     })  # fmt: skip
    return rows
