"""Schemas of the ROI report (money as strings with two decimals; rates as fractions 0–1)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from web.api.schemas import IsoDate, Strict


class RoiQuery(Strict):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    program: str = Field(min_length=1, max_length=40, description="program code")
    from_: IsoDate = Field(alias="from", description="first UTC day")
    to: IsoDate = Field(description="last UTC day, included (at most 92 days)")


class RoiFiguresOut(BaseModel):
    contacts: int = Field(description="offered to the program's queues")
    answered: int
    abandoned: int
    service_level: float | None = Field(
        description="answered within threshold / (answered + abandoned)")
    asa: float | None = Field(description="mean wait of answered contacts, seconds")
    abandonment: float | None = Field(description="abandoned / contacts")
    aht: float | None = Field(description="mean assignment → completion, seconds")
    csat: float | None = Field(
        description="share of the period's survey answers rated 4 or 5; null: none answered")
    csat_responses: int = Field(description="survey answers given in the period")
    conversions: int = Field(description="contacts wrapped up with a conversion code")
    conversion_rate: float | None
    telephony_minutes: float
    agent_cost: str = Field(description="the pay ledger's amounts for the program")
    telephony_cost: str = Field(description="carrier minutes × TELEPHONY_RATES per channel")
    cost: str
    cost_per_contact: str | None = Field(description="cost / answered")
    revenue: str | None = Field(description="conversions × revenue per conversion (if set)")
    margin: str | None = Field(description="revenue − cost")


class RoiDayOut(RoiFiguresOut):
    day: date


class RoiWeekOut(RoiFiguresOut):
    week: str


class RoiOut(BaseModel):
    program: str
    name: str
    from_: date = Field(alias="from")
    to: date
    queues: list[str]
    revenue_per_conversion: str | None
    telephony_rates: dict[str, str]
    days: list[RoiDayOut]
    weeks: list[RoiWeekOut]
    total: RoiFiguresOut
