"""Staff adjustments: a new ledger entry with an amount and a reason, audited; entries are
never edited, so a correction of a talk entry refers to it and adds the difference."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from sqlalchemy.orm import Session

from agents import audit
from agents.models import User
from pay.models import PayEntry
from pay.money import CENT, cents
from pay.periods import PayError

MAX_AMOUNT = Decimal("999999.99")


def _amount(raw) -> Decimal:
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise PayError("amount", "a number of the currency, e.g. 12.50 or -3") from None
    if not value.is_finite() or abs(value) > MAX_AMOUNT or value == 0:
        raise PayError("amount", f"non-zero, between -{MAX_AMOUNT} and {MAX_AMOUNT}")
    if value != value.quantize(CENT):
        raise PayError("amount", "at most 2 decimal places")
    return value


def add_adjustment(*, session: Session, actor: User, agent_id: str, amount, reason: str,
                   at: float, program: str = "",
                   adjusts_entry_id: int | None = None) -> PayEntry:  # fmt: skip
    """Check everything first, then add the entry and its audit record (nothing on error)."""
    reason = (reason or "").strip()
    if not reason:
        raise PayError("reason", "say why the pay is adjusted")
    if len(reason) > 500:
        raise PayError("reason", "at most 500 characters")
    value = _amount(amount)
    if adjusts_entry_id is not None:
        target = session.get(PayEntry, adjusts_entry_id)
        if target is None or target.agent_id != agent_id:
            raise PayError("adjusts_entry_id", "no entry of this agent has that id")
        program = program or target.program
    entry = PayEntry(kind="adjustment", agent_id=agent_id, at=at, program=program or "",
                     amount=value, reason=reason, adjusts_entry_id=adjusts_entry_id,
                     by_user_id=actor.id)  # fmt: skip
    session.add(entry)
    session.flush()
    audit.record(session=session, actor_id=actor.id, action="pay.adjust", entity_type="pay_entry",
                 entity_id=entry.id, after={"agent_id": agent_id, "amount": cents(value),
                 "adjusts_entry_id": adjusts_entry_id}, reason=reason)  # fmt: skip
    return entry
