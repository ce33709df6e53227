"""Request and response schemas of the community API (/api/v1/community/…)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from web.api.schemas import Id, text

ProgramCode = Field(min_length=2, max_length=40, pattern=r"^[a-z0-9][a-z0-9-]{1,39}$")


class SearchQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")
    program: str = ProgramCode
    q: str = Field(max_length=200, pattern=r"^[^\x00]*$")
    limit: int = Field(10, ge=1, le=50)
    match: Literal["all", "any"] = "all"


class SearchHit(BaseModel):
    question_id: int
    title: str
    rank: float
    answered: bool
    url: str


class SearchResults(BaseModel):
    items: list[SearchHit]


class QuestionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    program: str = ProgramCode
    title: text(200)  # at least 8 characters (422 naming title)
    body: text(20_000)
    urgent: StrictBool = False


class AnswerIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    body: text(20_000)


class PostOut(BaseModel):
    id: int
    kind: str
    program: str
    thread_id: int
    title: str | None
    body: str
    status: str
    author: str
    author_kind: str
    created_at: datetime
    url: str


class FlagIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Literal["spam", "abuse", "wrong"]
    note: text(500, required=False) = ""


class FlagOut(BaseModel):
    id: int
    post_id: int
    reason: str
    status: str
    created_at: datetime


class DeflectionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    program: str = ProgramCode
    source: Literal["chat", "ask"]
    outcome: Literal["solved", "need_help"]
    query: text(200, required=False) = ""
    question_id: Id | None = None


class DeflectionOut(BaseModel):
    id: int
    outcome: str
    created_at: datetime


__all__ = ["Id"]
