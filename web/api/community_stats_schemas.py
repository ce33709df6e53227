"""Schemas of the community analytics (`GET /api/v1/community/stats`) and settings: counts,
shares as fractions 0–1 (null when there is nothing to divide), durations in seconds, money
as strings with two decimals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from web.api.community_schemas import ProgramCode
from web.api.schemas import Strict

Share = float | None


class StatsQuery(Strict):
    program: str = ProgramCode
    days: int = Field(30, ge=1, le=92, description="the last N UTC days, today included")


class PyramidOut(BaseModel):
    readers: int = Field(description="verified active members who did not post in the period")
    contributors: int = Field(description="members (not super users) who posted in the period")
    super_users: int
    reader_share: Share
    contributor_share: Share
    super_user_share: Share


class QuestionsOut(BaseModel):
    asked: int
    answered: int
    answer_rate: Share
    median_first_answer_seconds: float | None
    accepted: int
    escalated: int = Field(description="handed to a paid agent as a community task")


class AnsweredByOut(BaseModel):
    members: int
    super_users: int
    staff: int
    agents: int = Field(description="paid agents (escalations)")
    total: int
    crowd_share: Share = Field(description="(members + super users) / total")
    staff_share: Share
    agent_share: Share


class ModerationOut(BaseModel):
    backlog: int = Field(description="posts waiting for review now (held or flagged)")
    flags_reviewed: int
    median_review_seconds: float | None = Field(description="flag → review, in the period")


class DeflectionStatsOut(BaseModel):
    solved: int
    need_help: int
    rate: Share


class StatsOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    program: str
    name: str
    from_: date = Field(alias="from")
    to: date
    days: int
    pyramid: PyramidOut
    questions: QuestionsOut
    answered_by: AnsweredByOut
    moderation: ModerationOut
    deflection: DeflectionStatsOut
    cost_per_contact: str | None = Field(
        description="the ROI report's cost per contact for the period, else the configured one")
    cost_source: str | None = Field(description='"roi", "configured" or null (unknown)')
    cost_avoided: str | None = Field(description="solved deflections × cost per contact")


class SettingsIn(Strict):
    """The settings to change; left out: unchanged; null clears the queue or the cost."""

    is_public: StrictBool | None = None
    escalate_after_minutes: int | None = Field(None, ge=1, le=10_080)
    escalation_queue_id: str | None = Field(None, min_length=1, max_length=64)
    hold_first_posts: StrictBool | None = None
    cost_per_contact: Decimal | None = Field(None, ge=0, le=10_000, decimal_places=2)
    volunteer_queue_id: str | None = Field(None, min_length=1, max_length=64)


class SettingsOut(BaseModel):
    program: str
    is_public: bool
    escalate_after_minutes: int
    escalation_queue_id: str | None = Field(
        description="null: the program's first queue by id")
    hold_first_posts: bool
    cost_per_contact: str | None
    volunteer_queue_id: str | None = Field(
        description="the queue whose web chats opted-in super users take first; null: none")
