"""Request and response schemas of the roster API (the OpenAPI document is generated from them)."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, field_validator

from agents.models import Role, Stage

MAX_ID = 2**31 - 1
#: A row id in a request (body or query): the database's INTEGER range, declared in the OpenAPI
#: document so clients and fuzzers know it; anything larger is a 422 naming the field.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]

# Text the services take (agents.validation.validate_text): no control characters but line
# breaks and tabs, and — when required — something besides white space. Declared as a pattern
# so the document says it; the explicit white-space list is what Python's strip() removes
# (and what JavaScript's \s means, minus U+FEFF, which strip() keeps).
_CONTROL = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_SPACE = r"\t\n\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
TEXT_PATTERN = f"^[^{_CONTROL}]*$"
REQUIRED_TEXT_PATTERN = f"^[^{_CONTROL}]*[^{_CONTROL}{_SPACE}][^{_CONTROL}]*$"


def text(max_length: int, *, required: bool = True):
    """A text field of at most `max_length` characters, not blank when `required`."""
    pattern = REQUIRED_TEXT_PATTERN if required else TEXT_PATTERN
    return Annotated[str, Field(max_length=max_length, pattern=pattern)]


def _iso_only(value):
    """Dates and times as ISO 8601 text only (YYYY-MM-DD…): pydantic would otherwise read a
    number such as 0.5 or 3e-44 as a Unix time."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _ISO_START.match(value.strip()):
        raise ValueError("an ISO 8601 date or date-time (YYYY-MM-DD…) is expected")
    return value


_ISO_START = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}")
IsoDate = Annotated[date, BeforeValidator(_iso_only)]
IsoDateTime = Annotated[datetime, BeforeValidator(_iso_only)]


class Strict(BaseModel):
    """Unknown or misspelt fields are an error, not silently ignored."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


def _declare_no_null(schema: dict, model: type) -> None:
    """The JSON schema of a Patch says what it takes: null only where NULLABLE allows it."""
    for name, prop in schema.get("properties", {}).items():
        if name in model.NULLABLE or "anyOf" not in prop:
            continue
        kept = [option for option in prop["anyOf"] if option.get("type") != "null"]
        if len(kept) == 1:
            prop.update(kept[0])
            del prop["anyOf"]
        else:
            prop["anyOf"] = kept
        if prop.get("default", 0) is None:
            del prop["default"]


class Patch(Strict):
    """A partial update: a field left out is unchanged; null is refused except where NULLABLE
    says it clears the value."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False,
                              json_schema_extra=_declare_no_null)  # fmt: skip
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
    code: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,39}$",
                      description="2–40 lower-case letters, digits and dashes; never changes")
    name: text(120)
    client_name: text(120)
    description: text(5000, required=False) = ""
    pay_rate_per_minute: Decimal = Field(
        Decimal("0"), description="pay per talk minute; the default of agents added to it"
    )


class ProgramUpdate(Patch):
    name: text(120) | None = None
    client_name: text(120) | None = None
    description: text(5000, required=False) | None = None
    is_active: StrictBool | None = None
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

    display_name: text(120) | None = None
    phone: str | None = Field(None, description="E.164, e.g. +14155550123")
    languages: list[str] | None = Field(None, description="ISO 639 codes, e.g. ['en', 'es']")
    timezone: str | None = Field(None, description="IANA zone, e.g. America/Chicago")


class AgentUpdate(ProfileUpdate):
    """Staff edits; pay rate is admin-only. Role and stage never change through an edit."""

    programs: list[str] | None = Field(None, description="program codes")
    pay_rate_per_minute: Decimal | None = None


class AgentCreate(Strict):
    email: str = Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")
    display_name: text(120)
    password: str = Field(min_length=10, max_length=256,
                          description="initial password, at least 10 characters")
    phone: str | None = Field(None, description="E.164, e.g. +14155550123")
    languages: list[str] = []
    timezone: str = "UTC"
    programs: list[str] = []
    pay_rate_per_minute: Decimal | None = None


class StageChangeIn(Strict):
    stage: Stage
    reason: text(500, required=False) = Field("", description="required to suspend")


class StageChangeOut(BaseModel):
    from_stage: Stage | None
    to_stage: Stage
    at: datetime
    by_user_id: int | None
    reason: str


class StageHistory(BaseModel):
    items: list[StageChangeOut]


class TokenCreate(Strict):
    name: text(80)
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
