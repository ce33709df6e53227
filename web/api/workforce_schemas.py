"""Schemas of the schedule API: forecast slots, blocks, commitments, adherence."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from web.api.schemas import Id, IsoDate, IsoDateTime, Strict, text

Week = Annotated[
    str,
    Field(pattern=r"^[0-9]{4}-W(0[1-9]|[1-4][0-9]|5[0-3])$", description="ISO week, YYYY-Www"),
]
QueueId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[^\x00-\x1f\x7f]+$")]


class ForecastQuery(Strict):
    queue: QueueId = Field(description="a routing queue id, e.g. claims")
    week: Week


class SlotOut(BaseModel):
    start: datetime
    end: datetime
    contacts: float = Field(description="forecast (or overridden) contacts in the slot")
    aht_seconds: float
    agents_needed: int = Field(description="Erlang C with max occupancy, plus shrinkage")
    open: bool = Field(description="false outside working hours and on public holidays")
    overridden: bool


class ForecastOut(BaseModel):
    queue: str
    week: str
    method: str = Field(description="holt-winters or seasonal-average: the lower backtest MAPE")
    mape: dict[str, float | None] = Field(description="backtest MAPE (0-1) of each method")
    slots: list[SlotOut]


class BlocksQuery(Strict):
    week: Week


class BlockOut(BaseModel):
    id: int
    program_id: int
    program: str
    queue_id: str
    start: datetime
    end: datetime
    needed: int
    booked: int
    bonus_per_minute: Decimal
    hot: bool = Field(description="carries a bonus and still has free seats")
    status: str
    my_state: str | None = Field(None, description="agents: booked, waitlisted or released")


class BlockList(BaseModel):
    week: str
    items: list[BlockOut]


class CommitQuery(Strict):
    waitlist: bool = Field(False, description="join the waitlist when the block is full")


class CommitmentOut(BaseModel):
    block: BlockOut
    state: Literal["booked", "waitlisted", "released"]
    committed_at: datetime | None
    late: bool = Field(description="released past the free window: counts against reliability")


class BlockPatch(Strict):
    needed: int | None = Field(None, ge=0, le=10_000)
    bonus_per_minute: Decimal | None = Field(None, ge=0, le=100, decimal_places=4)


class PublishIn(Strict):
    week: Week


class PublishedOut(BaseModel):
    queue_id: str
    blocks: int
    seats: int
    method: str


class PublishOut(BaseModel):
    week: str
    items: list[PublishedOut]


class OverrideIn(Strict):
    queue: QueueId
    start: IsoDateTime = Field(description="slot start, on the hour or half hour, with offset")
    contacts: float = Field(ge=0, le=100_000)
    note: text(500, required=False) = ""


class OverrideOut(BaseModel):
    queue: str
    start: datetime
    contacts: Decimal
    note: str


class TierIn(Strict):
    tier: Literal["new", "standard", "preferred", "elite"]
    reason: text(500)


class TierOut(BaseModel):
    agent_id: int
    tier: str
    reason: str


class AdherenceQuery(Strict):
    agent_id: Id
    day: IsoDate


class BlockAdherenceOut(BaseModel):
    block_id: int
    queue_id: str
    start: datetime
    end: datetime
    on_time: bool = Field(description="available within 2 minutes of the block's start")
    minutes_booked: float
    minutes_available: float
    no_show: bool = Field(description="not available at all during the block")


class AdherenceOut(BaseModel):
    agent_id: int
    day: str
    blocks: list[BlockAdherenceOut]
    adherence: float | None = Field(description="minutes available / minutes booked that day")
    reliability: float | None = Field(
        description="over the last 28 days: booked blocks kept (no no-show, no late release)"
    )
