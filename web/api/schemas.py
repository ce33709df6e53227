"""Request and response schemas of the roster API (the OpenAPI document is generated from them)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from agents.models import Role, Stage

MAX_ID = 2**31 - 1


class Strict(BaseModel):
    """Unknown or misspelt fields are an error, not silently ignored."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class Patch(Strict):
    """A partial update: a field left out is unchanged; null is refused except where NULLABLE
    says it clears the value."""

    NULLABLE: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="before")
    @classmethod
    def _no_null(cls, value, info):
        if value is None and info.field_name not in cls.NULLABLE:
            raise ValueError("must not be null (leave the field out to keep its value)")
        return value


class ErrorOut(BaseModel):
    error: str
    fields: dict[str, str] | None = None


class ProgramOut(BaseModel):
    id: int
    code: str
    name: str
    client_name: str
    description: str
    is_active: bool
    pay_rate_per_minute: Decimal = Field(description="the default rate of agents added to it")
    created_at: datetime


class ProgramList(BaseModel):
    items: list[ProgramOut]


class ProgramCreate(Strict):
    code: str = Field(description="2–40 lower-case letters, digits and dashes; never changes")
    name: str
    client_name: str
    description: str = ""
    pay_rate_per_minute: Decimal = Field(
        Decimal("0"), description="pay per talk minute; the default of agents added to it"
    )


class ProgramUpdate(Patch):
    name: str | None = None
    client_name: str | None = None
    description: str | None = None
    is_active: bool | None = None
    pay_rate_per_minute: Decimal | None = None


class AgentOut(BaseModel):
    id: int
    user_id: int
    email: str
    display_name: str
    phone: str | None
    languages: list[str]
    timezone: str
    pay_rate_per_minute: Decimal
    programs: list[str]
    stage: Stage
    stage_changed_at: datetime


class AgentPage(BaseModel):
    items: list[AgentOut]
    total: int
    page: int
    per_page: int


class AgentQuery(Strict):
    q: str = ""
    stage: Stage | None = None
    program: str | None = None
    language: str | None = None
    page: int = Field(1, ge=1, le=100_000)
    per_page: int = Field(25, ge=1, le=100)


class ProfileUpdate(Patch):
    """Fields an agent may change on their own profile; phone null removes the number."""

    NULLABLE: ClassVar[frozenset[str]] = frozenset({"phone"})

    display_name: str | None = None
    phone: str | None = Field(None, description="E.164, e.g. +14155550123")
    languages: list[str] | None = Field(None, description="ISO 639 codes, e.g. ['en', 'es']")
    timezone: str | None = Field(None, description="IANA zone, e.g. America/Chicago")


class AgentUpdate(ProfileUpdate):
    """Staff edits; pay rate is admin-only. Role and stage never change through an edit."""

    programs: list[str] | None = Field(None, description="program codes")
    pay_rate_per_minute: Decimal | None = None


class AgentCreate(Strict):
    email: str
    display_name: str
    password: str = Field(description="initial password, at least 10 characters")
    phone: str | None = None
    languages: list[str] = []
    timezone: str = "UTC"
    programs: list[str] = []
    pay_rate_per_minute: Decimal | None = None


class StageChangeIn(Strict):
    stage: Stage
    reason: str = ""


class StageChangeOut(BaseModel):
    from_stage: Stage | None
    to_stage: Stage
    at: datetime
    by_user_id: int | None
    reason: str


class StageHistory(BaseModel):
    items: list[StageChangeOut]


class TokenCreate(Strict):
    name: str
    user_id: int = Field(ge=1, le=MAX_ID, description="the user the token acts as")


class TokenOut(BaseModel):
    id: int
    name: str
    prefix: str
    user_id: int
    role: Role
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreated(TokenOut):
    token: str = Field(description="shown once; store it now")


class TokenList(BaseModel):
    items: list[TokenOut]


class AuditOut(BaseModel):
    id: int
    at: datetime
    actor_user_id: int | None
    action: str
    entity_type: str
    entity_id: int | None
    before: dict | None
    after: dict | None
    reason: str


class AuditQuery(Strict):
    entity_type: str | None = Field(None, max_length=40)
    entity_id: int | None = Field(None, ge=1, le=MAX_ID)
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=10_000_000)


class AuditPage(BaseModel):
    items: list[AuditOut]
    total: int
