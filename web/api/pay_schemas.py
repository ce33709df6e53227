"""Schemas of the pay API: ledger lines and totals (money as strings with two decimals)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from web.api.schemas import Id, IsoDate, Strict, text

WEEK_PATTERN = r"^[0-9]{4}-W(0[1-9]|[1-4][0-9]|5[0-3])$"
# Non-zero, at most 6 digits before the point and 2 after, optionally negative.
MONEY_PATTERN = r"^-?([1-9][0-9]{0,5}(\.[0-9]{1,2})?|0?\.(0[1-9]|[1-9][0-9]?))$"


class StatementQuery(Strict):
    agent_id: Id = Field(description="roster agent id (agents: their own only)")
    week: str = Field(pattern=WEEK_PATTERN, description="ISO week, e.g. 2026-W49 (UTC)")


class DayQuery(Strict):
    day: IsoDate | None = Field(None, description="UTC day, default today")


class LineOut(BaseModel):
    id: int
    kind: str = Field(description="talk, or adjustment by staff")
    at: float = Field(description="talk end (or adjustment time), seconds since the Unix epoch")
    program: str
    task_id: str | None
    queue_id: str | None
    started_at: float | None = Field(description="the agent's assignment, epoch seconds")
    end_event: str | None = Field(description="TaskWrapping, TaskCompleted or TaskTransferred")
    talk_seconds: float
    rate_per_minute: str
    bonus_per_minute: str
    talk_amount: str
    bonus_amount: str
    amount: str
    reason: str
    adjusts_entry_id: int | None


class TotalsOut(BaseModel):
    contacts: int
    talk_entries: int
    talk_seconds: float
    talk_minutes: float
    talk_amount: str
    bonus_amount: str
    adjustments: str
    total: str = Field(description="the sum of the lines' amounts")


class StatementOut(BaseModel):
    agent_id: str
    name: str
    email: str
    period: str = Field(description="the week (YYYY-Www) or the day (YYYY-MM-DD)")
    start: float = Field(description="period start, epoch seconds")
    end: float = Field(description="period end (excluded), epoch seconds")
    lines: list[LineOut]
    totals: TotalsOut


class AdjustmentIn(Strict):
    agent_id: Id
    amount: str = Field(pattern=MONEY_PATTERN,
                        description="e.g. 12.50 or -3 (not 0; at most 999999.99)")
    reason: text(500) = Field(description="why; required")
    adjusts_entry_id: Id | None = Field(None, description="the entry this corrects, if any")


class AdjustmentOut(BaseModel):
    line: LineOut
