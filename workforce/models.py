"""Schedule tables: program calendars and hours, 30-minute blocks, commitments, standing."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Enum,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from database.base import Base, UTCDateTime, utcnow

BLOCK_MINUTES = 30


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    return Enum(cls, name=name, native_enum=False, create_constraint=True, length=20,
                values_callable=lambda members: [m.value for m in members])  # fmt: skip


class BlockStatus(enum.StrEnum):
    """draft (planned, agents cannot see it) → published (bookable) → closed (no more booking)."""

    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"


class CommitmentState(enum.StrEnum):
    BOOKED = "booked"
    WAITLISTED = "waitlisted"
    RELEASED = "released"


class ProgramCalendar(Base):
    """A program's scheduling settings: where it works (time zone, holiday country) and how it
    is staffed (service-level target, maximum occupancy, shrinkage, uncommit cut-off)."""

    __tablename__ = "workforce_programs"

    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), primary_key=True
    )
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    country: Mapped[str] = mapped_column(String(2), default="US")  # ISO 3166-1, for `holidays`
    service_level_target: Mapped[Decimal] = mapped_column(Numeric(4, 3), default=Decimal("0.8"))
    threshold_seconds: Mapped[int] = mapped_column(Integer, default=20)
    max_occupancy: Mapped[Decimal] = mapped_column(Numeric(4, 3), default=Decimal("0.85"))
    shrinkage: Mapped[Decimal] = mapped_column(Numeric(4, 3), default=Decimal("0.3"))
    # Uncommitting is free until this many minutes before the block (and within 5 minutes of
    # committing); later it counts against the agent's reliability.
    cutoff_minutes: Mapped[int] = mapped_column(Integer, default=120)

    hours: Mapped[list[WorkingHours]] = relationship(
        cascade="all, delete-orphan", order_by="WorkingHours.weekday", lazy="selectin"
    )


class WorkingHours(Base):
    """Open from `opens` to `closes` minutes after local midnight on ISO weekday 1-7."""

    __tablename__ = "workforce_hours"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 1 AND 7", name="weekday"),
        CheckConstraint("opens >= 0 AND closes <= 1440 AND opens < closes", name="span"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        ForeignKey("workforce_programs.program_id", ondelete="CASCADE"), index=True
    )
    weekday: Mapped[int] = mapped_column(Integer)
    opens: Mapped[int] = mapped_column(Integer)
    closes: Mapped[int] = mapped_column(Integer)


class Block(Base):
    """Thirty minutes of one queue that agents commit to: `needed` seats, `booked` of them
    taken (kept with the commitments in one transaction), a bonus per minute when hot."""

    __tablename__ = "workforce_blocks"
    __table_args__ = (
        UniqueConstraint("queue_id", "starts_at"),
        CheckConstraint("booked >= 0 AND booked <= needed", name="seats"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    queue_id: Mapped[str] = mapped_column(String(64))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    needed: Mapped[int] = mapped_column(Integer, default=0)
    booked: Mapped[int] = mapped_column(Integer, default=0)
    bonus_per_minute: Mapped[Decimal] = mapped_column(Numeric(10, 4), default=Decimal("0"))
    status: Mapped[BlockStatus] = mapped_column(
        _enum(BlockStatus, "block_status"), default=BlockStatus.DRAFT
    )
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def hot(self) -> bool:
        return self.bonus_per_minute > 0 and self.booked < self.needed


class Commitment(Base):
    """One agent's hold on one block: booked, waitlisted (promoted in `queued_at` order when a
    seat frees) or released. `late` marks a release past the free window (reliability)."""

    __tablename__ = "workforce_commitments"
    __table_args__ = (UniqueConstraint("block_id", "agent_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    block_id: Mapped[int] = mapped_column(
        ForeignKey("workforce_blocks.id", ondelete="CASCADE"), index=True
    )
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"), index=True)
    state: Mapped[CommitmentState] = mapped_column(_enum(CommitmentState, "commitment_state"))
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    committed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    late: Mapped[bool] = mapped_column(default=False)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    block: Mapped[Block] = relationship(lazy="joined")


class Standing(Base):
    """An agent's scheduling standing: tier (budget and booking window), who set it and why,
    the iCalendar feed's secret (SHA-256 only) and whether reminders go by SMS."""

    __tablename__ = "workforce_standing"

    agent_id: Mapped[int] = mapped_column(
        ForeignKey("agents.id", ondelete="CASCADE"), primary_key=True
    )
    tier: Mapped[str] = mapped_column(String(20), default="new")
    tier_reason: Mapped[str] = mapped_column(Text, default="")
    tier_set_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    feed_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    sms_reminders: Mapped[bool] = mapped_column(default=False)


class Override(Base):
    """Staff's replacement of the forecast contacts of one queue's 30-minute slot (a campaign,
    a holiday), with who set it and why."""

    __tablename__ = "workforce_overrides"
    __table_args__ = (
        UniqueConstraint("queue_id", "starts_at"),
        CheckConstraint("contacts >= 0", name="contacts"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    queue_id: Mapped[str] = mapped_column(String(64))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    contacts: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    note: Mapped[str] = mapped_column(Text, default="")
    set_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
