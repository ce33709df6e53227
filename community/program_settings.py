"""A program's community settings: public or private, when questions escalate and to which
queue, holding first posts for review, the configured cost per contact, and the queue whose
web chats volunteers may take (none by default)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from agents.models import Program
from community.errors import InvalidValue
from community.models import CommunitySettings
from dispatcher.tables import RoutingQueue

MAX_ESCALATE_MINUTES = 7 * 24 * 60  # a week
MAX_COST = Decimal("10000")
FIELDS = ("is_public", "escalate_after_minutes", "escalation_queue_id", "hold_first_posts",
          "cost_per_contact", "volunteer_queue_id")  # fmt: skip


def as_dict(settings: CommunitySettings) -> dict:
    return {name: getattr(settings, name) for name in FIELDS}


def _check(session: Session, program: Program, name: str, value):
    if name == "escalate_after_minutes" and not 1 <= int(value) <= MAX_ESCALATE_MINUTES:
        raise InvalidValue(f"escalate_after_minutes must be 1 to {MAX_ESCALATE_MINUTES}",
                           field=name)  # fmt: skip
    if name in ("escalation_queue_id", "volunteer_queue_id") and value is not None:
        owner = session.scalar(select(RoutingQueue.program).where(RoutingQueue.queue_id == value))
        if owner != program.code:
            raise InvalidValue(f"{name}: no queue {value!r} of program "
                               f"{program.code}", field=name)  # fmt: skip
    if name == "cost_per_contact" and value is not None:
        value = Decimal(value)
        if not Decimal(0) <= value <= MAX_COST or value != value.quantize(Decimal("0.01")):
            raise InvalidValue(f"cost_per_contact must be 0 to {MAX_COST} with at most two "
                               "decimals", field=name)  # fmt: skip
    return value


def update(*, session: Session, program: Program, changes: dict) -> CommunitySettings:
    """Apply `changes` (a subset of FIELDS; None clears the queue or the cost), all checked
    before any is written."""
    unknown = sorted(set(changes) - set(FIELDS))
    if unknown:
        raise InvalidValue(f"{unknown[0]}: not a community setting", field=unknown[0])
    checked = {name: _check(session, program, name, value) for name, value in changes.items()}
    settings = session.get(CommunitySettings, program.id)
    if settings is None:
        settings = CommunitySettings(
            program_id=program.id, is_public=True, escalate_after_minutes=120,
            hold_first_posts=False,
        )
        session.add(settings)
    for name, value in checked.items():
        setattr(settings, name, value)
    session.flush()
    return settings
