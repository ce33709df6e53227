"""Quality tables: per-program quality settings, CSAT surveys, call recordings, QA scorecards
and reviews, and the computed performance scores."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from database.base import Base, UTCDateTime, utcnow

#: The performance score's default weights (percent; quality.performance documents them).
DEFAULT_WEIGHTS = {"qa": 30, "csat": 30, "acceptance": 15, "adherence": 10, "handle_time": 15}


class ProgramQuality(Base):
    """What a program asks of quality: surveys after calls and chats, call recording and how
    long recordings are kept (days), the QA sample (contacts per agent per week), the handle
    time target (seconds) and the performance score's weights. A program without a row uses
    the defaults (quality.settings.DEFAULTS): nothing is surveyed or recorded."""

    __tablename__ = "quality_programs"

    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), primary_key=True
    )
    voice_survey: Mapped[bool] = mapped_column(default=False)
    chat_survey: Mapped[bool] = mapped_column(default=False)
    recording: Mapped[bool] = mapped_column(default=False)
    retention_days: Mapped[int] = mapped_column(Integer, default=90)
    sample_per_agent: Mapped[int] = mapped_column(Integer, default=2)
    handle_time_target: Mapped[int] = mapped_column(Integer, default=300)
    weights: Mapped[dict] = mapped_column(JSON, default=lambda: dict(DEFAULT_WEIGHTS))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class ProgramStaff(Base):
    """A staff user's duty in one program: `supervisor` (sees the program's recordings, reviews
    and scores) or `reviewer` (QA: scores the program's reviews, plays its recordings). Admins
    need no row: they see every program."""

    __tablename__ = "quality_program_staff"

    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    duty: Mapped[str] = mapped_column(String(16), default="supervisor")  # supervisor | reviewer


class Survey(Base):
    """The CSAT survey of one contact: offered once (when the contact ended with an agent and
    the program surveys its channel), answered at most once with a rating 1–5."""

    __tablename__ = "quality_surveys"

    task_id: Mapped[str] = mapped_column(
        ForeignKey("channel_contacts.task_id", ondelete="CASCADE"), primary_key=True
    )
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    queue_id: Mapped[str | None] = mapped_column(String(64))
    agent_id: Mapped[str | None] = mapped_column(String(64), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    offered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    rating: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)


class Recording(Base):
    """A call's recording (Twilio's conference recording, or the simulated carrier's WAV file
    under the recordings folder), kept until purge_after; purged_at once the media is gone."""

    __tablename__ = "quality_recordings"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[str] = mapped_column(
        ForeignKey("channel_contacts.task_id", ondelete="CASCADE"), index=True
    )
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    recording_sid: Mapped[str] = mapped_column(String(64), unique=True)
    url: Mapped[str] = mapped_column(String(500))
    duration_seconds: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    purge_after: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Scorecard(Base):
    """One version of a program's QA form. sections: [{"title", "questions": [{"id", "text",
    "weight", "auto_fail"}]}], weights summing to 100. Editing makes a new version; reviews
    keep the version they were scored on."""

    __tablename__ = "quality_scorecards"
    __table_args__ = (UniqueConstraint("program_id", "name", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(80))
    version: Mapped[int] = mapped_column(Integer, default=1)
    sections: Mapped[list] = mapped_column(JSON, default=list)
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Review(Base):
    """A QA review of one contact on one scorecard version: queued by the weekly sample (or a
    calibration), scored by a reviewer, acknowledged by the agent. answers: {question id:
    "yes" | "no" | "na"}; score 0–100 (0 when an auto-fail item is "no")."""

    __tablename__ = "quality_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[str] = mapped_column(
        ForeignKey("channel_contacts.task_id", ondelete="CASCADE"), index=True
    )
    agent_id: Mapped[str] = mapped_column(String(64), index=True)
    program_id: Mapped[int] = mapped_column(
        ForeignKey("programs.id", ondelete="CASCADE"), index=True
    )
    scorecard_id: Mapped[int] = mapped_column(ForeignKey("quality_scorecards.id"))
    kind: Mapped[str] = mapped_column(String(16), default="sample")  # sample | calibration
    week: Mapped[str] = mapped_column(String(8), index=True)  # ISO week, 2026-W49
    status: Mapped[str] = mapped_column(String(16), default="queued")  # queued|scored|acknowledged
    reviewer_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    score: Mapped[float | None] = mapped_column()
    auto_failed: Mapped[bool] = mapped_column(default=False)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    scored_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PerformanceScore(Base):
    """An agent's latest performance score in one program (0–100) and its breakdown: each
    component's value, weight and points (quality.performance)."""

    __tablename__ = "quality_scores"
    __table_args__ = (UniqueConstraint("agent_id", "program_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agent_id: Mapped[str] = mapped_column(String(64), index=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("programs.id", ondelete="CASCADE"))
    score: Mapped[float] = mapped_column()
    breakdown: Mapped[dict] = mapped_column(JSON, default=dict)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
