"""Roster tables: users, agent profiles, languages, programs, stage history, audit, tokens."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, Enum, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from database.base import Base, UTCDateTime, utcnow


class Role(enum.StrEnum):
    AGENT = "agent"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class Stage(enum.StrEnum):
    """Onboarding stage of a contractor: applicant → training → certified → active, or suspended."""

    APPLICANT = "applicant"
    TRAINING = "training"
    CERTIFIED = "certified"
    ACTIVE = "active"
    SUSPENDED = "suspended"


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=20,
        values_callable=lambda members: [m.value for m in members],
    )


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(_enum(Role, "role"))
    is_active: Mapped[bool] = mapped_column(default=True)
    # Bumped on password reset or deactivation: every session cookie issued before is void.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    agent: Mapped[Agent | None] = relationship(back_populates="user", uselist=False)

    # The login-session protocol (Flask-Login reads these; no Flask import here).
    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        """Session identity: a password reset bumps the version and voids older sessions."""
        return f"{self.id}:{self.session_version}"


class Program(Base):
    """A client program: the business whose customers a group of agents serves."""

    __tablename__ = "programs"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    client_name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Pay per talk minute for the program's work: the default rate of an agent added to it.
    pay_rate_per_minute: Mapped[Decimal] = mapped_column(
        Numeric(10, 4), default=Decimal("0"), server_default="0"
    )
    # What one conversion is worth to the client (ROI's revenue); None: not configured.
    revenue_per_conversion: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))


class Agent(Base):
    """A contractor's roster profile; one per user with the agent role."""

    __tablename__ = "agents"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    phone: Mapped[str | None] = mapped_column(String(20))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    # Pay per talk minute, in the deployment's currency (4 decimals: fractions of a cent).
    pay_rate_per_minute: Mapped[Decimal] = mapped_column(Numeric(10, 4), default=Decimal("0"))
    stage: Mapped[Stage] = mapped_column(_enum(Stage, "stage"), default=Stage.APPLICANT)
    stage_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="agent", lazy="joined")
    languages: Mapped[list[AgentLanguage]] = relationship(
        cascade="all, delete-orphan", order_by="AgentLanguage.language", lazy="selectin"
    )
    programs: Mapped[list[Program]] = relationship(
        secondary="agent_programs", order_by="Program.code", lazy="selectin"
    )
    stage_changes: Mapped[list[StageChange]] = relationship(
        cascade="all, delete-orphan", order_by="StageChange.id", lazy="select"
    )


class AgentLanguage(Base):
    __tablename__ = "agent_languages"

    agent_id: Mapped[int] = mapped_column(
        ForeignKey("agents.id", ondelete="CASCADE"), primary_key=True
    )
    # BCP 47 primary language subtag, lower case (e.g. "en", "es").
    language: Mapped[str] = mapped_column(String(8), primary_key=True, index=True)


class AgentProgram(Base):
    __tablename__ = "agent_programs"

    agent_id: Mapped[int] = mapped_column(
        ForeignKey("agents.id", ondelete="CASCADE"), primary_key=True
    )
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="RESTRICT"), primary_key=True, index=True
    )


class StageChange(Base):
    """One onboarding stage transition of an agent, with who made it and why."""

    __tablename__ = "agent_stage_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[int] = mapped_column(ForeignKey("agents.id", ondelete="CASCADE"), index=True)
    from_stage: Mapped[Stage | None] = mapped_column(_enum(Stage, "from_stage"))
    to_stage: Mapped[Stage] = mapped_column(_enum(Stage, "to_stage"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text, default="")


class AuditEntry(Base):
    """Who changed what and when, with the values before and after (JSON objects)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(60))
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text, default="")

    actor: Mapped[User | None] = relationship(lazy="joined")


class ApiToken(Base):
    """A bearer token acting as one user; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"
    __table_args__ = (UniqueConstraint("token_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64))
    prefix: Mapped[str] = mapped_column(String(12))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")
