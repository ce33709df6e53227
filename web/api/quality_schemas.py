"""Schemas of the quality API: reviews, scorecards, settings, scores and calibration."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field, StrictBool, StrictInt

from web.api.schemas import MAX_ID, Strict, text

Answer = Literal["yes", "no", "na"]
Identifier = text(64)


class ReviewQuery(Strict):
    agent_id: Identifier | None = Field(None, description="an agent's routing id; agents: own")
    status: Literal["queued", "scored", "acknowledged"] | None = None


class ReviewOut(BaseModel):
    id: int
    task_id: str
    agent_id: str
    program_id: int
    scorecard_id: int
    kind: str
    week: str
    status: str
    reviewer_user_id: int | None
    answers: dict[str, str]
    score: float | None
    auto_failed: bool
    comment: str
    created_at: str
    scored_at: str | None
    acknowledged_at: str | None


class ReviewList(BaseModel):
    reviews: list[ReviewOut]


class ScoreIn(Strict):
    answers: dict[str, Answer] = Field(description="every question id → yes | no | na")
    comment: str = Field("", max_length=2000)


class Question(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")
    text: text(300)
    weight: StrictInt = Field(ge=1, le=100)
    auto_fail: StrictBool = False


class Section(Strict):
    title: text(80)
    questions: list[Question] = Field(min_length=1, max_length=50)


class ScorecardIn(Strict):
    name: text(80)
    sections: list[Section] = Field(min_length=1, max_length=20,
                                    description="question weights must sum to 100")  # fmt: skip


class ScorecardOut(BaseModel):
    id: int
    program_id: int
    name: str
    version: int
    sections: list[dict]
    is_active: bool


class Weights(Strict):
    qa: StrictInt = Field(0, ge=0, le=100)
    csat: StrictInt = Field(0, ge=0, le=100)
    acceptance: StrictInt = Field(0, ge=0, le=100)
    adherence: StrictInt = Field(0, ge=0, le=100)
    handle_time: StrictInt = Field(0, ge=0, le=100)


class SettingsIn(Strict):
    voice_survey: StrictBool | None = None
    chat_survey: StrictBool | None = None
    recording: StrictBool | None = None
    retention_days: StrictInt | None = Field(None, ge=1, le=3650)
    sample_per_agent: StrictInt | None = Field(None, ge=0, le=50)
    handle_time_target: StrictInt | None = Field(None, ge=10, le=7200, description="seconds")
    weights: Weights | None = Field(None, description="percent, summing to 100")


class SettingsOut(BaseModel):
    program_id: int
    voice_survey: bool
    chat_survey: bool
    recording: bool
    retention_days: int
    sample_per_agent: int
    handle_time_target: int
    weights: dict[str, int]


class ScoreQuery(Strict):
    agent_id: Identifier | None = Field(None, description="an agent's routing id; agents: own")


class ScoreOut(BaseModel):
    agent_id: str
    program_id: int
    program: str
    score: float
    breakdown: dict
    computed_at: str


class ScoreList(BaseModel):
    scores: list[ScoreOut]


class RecomputeOut(BaseModel):
    routing_scores: dict[str, float]


class CalibrationQuery(Strict):
    task_id: Identifier


class CalibrationIn(Strict):
    task_id: Identifier
    reviewer_ids: list[Annotated[StrictInt, Field(ge=1, le=MAX_ID)]] = Field(min_length=2,
                                                                           max_length=10)


class CalibrationOut(BaseModel):
    task_id: str
    reviewers: list[int]
    scores: dict[str, float | None]
    score_spread: float | None
    questions: list[dict]
