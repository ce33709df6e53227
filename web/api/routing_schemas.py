"""Schemas of the routing API: commands to the engine, live queue view, interval statistics."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from dispatcher.commands import KINDS
from dispatcher.core.model import AgentStatus
from web.api.schemas import IsoDate, Strict

CommandKind = Literal[tuple(sorted(KINDS))]
Status = Literal[tuple(s.value for s in AgentStatus)]


class CommandIn(Strict):
    kind: CommandKind = Field(description="a routing command, e.g. set_status, move, reprioritise")
    payload: dict = Field(default_factory=dict, description="the command's arguments")


class CommandOut(BaseModel):
    id: int
    done: bool = Field(description="false: the engine has not decided it yet (HTTP 202)")
    error: str | None = None


class StatusIn(Strict):
    status: Status = Field(description="available, break or offline")


class QueueNowOut(BaseModel):
    queue_id: str
    waiting: int
    longest_wait: float
    agents_by_status: dict[str, int]
    agents_by_state: dict[str, int]
    eligible: int
    available: int


class QueueNowList(BaseModel):
    items: list[QueueNowOut]


class StatsQuery(Strict):
    day: IsoDate | None = Field(None, description="UTC day, default today")


class IntervalOut(BaseModel):
    queue_id: str
    start: float = Field(description="interval start, seconds since the Unix epoch")
    offered: int
    answered: int
    abandoned: int
    fell_back: int
    answered_in_sl: int
    service_level: float | None
    asa: float | None
    aht: float | None
    offers_accepted: int
    offers_rejected: int
    offers_timed_out: int


class OccupancyOut(BaseModel):
    start: float
    signed_in: float
    working: float
    occupancy: float | None


class StatsOut(BaseModel):
    intervals: list[IntervalOut]
    occupancy: list[OccupancyOut]


class ErlangQuery(Strict):
    calls: float = Field(ge=0, description="contacts per period")
    period: float = Field(1800, gt=0, description="period length, seconds")
    aht: float = Field(gt=0, description="average handle time, seconds")
    target: float = Field(0.8, gt=0, lt=1, description="service level target, e.g. 0.8")
    threshold: float = Field(20, ge=0, description="answer within, seconds")


class ErlangOut(BaseModel):
    traffic: float
    agents: int
    probability_of_waiting: float
    service_level: float
    asa: float
