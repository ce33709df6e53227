"""The pay ledger's table: one row per contact per agent (kind "talk"), or a staff adjustment.

Rows are never updated or deleted: a correction is a new "adjustment" row with its reason."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Float, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from database.base import Base, UTCDateTime, utcnow

MONEY = Numeric(12, 2)
RATE = Numeric(10, 4)


class PayEntry(Base):
    """Amounts in the deployment's currency; times in epoch seconds like the event log.

    talk:  talk_seconds = this agent's TaskAssigned → the instant the conversation left them
           (wrap-up start, completion straight from the talk, a transfer or console loss);
           amount = talk_amount + bonus_amount (see pay.money for the rounding rule).
    adjustment: amount set by staff (may be negative), `reason` required, `by_user_id` who."""

    __tablename__ = "pay_entries"
    __table_args__ = (
        # Idempotence: one talk entry per assignment, whichever process writes it (engine
        # restarts, a replayed step).
        UniqueConstraint("task_id", "agent_id", "reservation_id"),
        Index("ix_pay_entries_agent_id_at", "agent_id", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # talk | adjustment
    agent_id: Mapped[str] = mapped_column(String(64))  # the routing agent id (roster id)
    at: Mapped[float] = mapped_column(Float, index=True)  # talk end, or when adjusted
    program: Mapped[str] = mapped_column(String(64), default="")  # program code
    task_id: Mapped[str | None] = mapped_column(String(64))
    reservation_id: Mapped[str | None] = mapped_column(String(64))
    queue_id: Mapped[str | None] = mapped_column(String(64))
    started_at: Mapped[float | None] = mapped_column(Float)
    end_event: Mapped[str | None] = mapped_column(String(40))
    talk_seconds: Mapped[Decimal] = mapped_column(Numeric(12, 3), default=Decimal("0"))
    rate_per_minute: Mapped[Decimal] = mapped_column(RATE, default=Decimal("0"))
    bonus_per_minute: Mapped[Decimal] = mapped_column(RATE, default=Decimal("0"))
    talk_amount: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    bonus_amount: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    amount: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    reason: Mapped[str] = mapped_column(Text, default="")
    adjusts_entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("pay_entries.id", ondelete="RESTRICT")
    )
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
