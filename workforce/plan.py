"""A queue's week ahead: contacts and handle time per 30-minute slot from the event log's
history (weeks before the current one), staff overrides, working hours and holidays, and the
agents needed per slot (workforce.staffing)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from agents.models import Program
from dispatcher.tables import RoutingQueue
from workforce import forecast, hours, staffing
from workforce.blocks import calendar_of
from workforce.errors import InvalidValue, NotFound
from workforce.history import SLOT_SECONDS, WEEK_SLOTS, read_history
from workforce.models import Override, ProgramCalendar
from workforce.weeks import week_of

HISTORY_WEEKS = 8
DEFAULT_AHT = 180.0


@dataclass(frozen=True)
class Slot:
    start: datetime
    end: datetime
    contacts: float
    aht_seconds: float
    agents_needed: int
    open: bool
    overridden: bool


@dataclass(frozen=True)
class QueueWeek:
    queue_id: str
    program_id: int
    monday: datetime
    method: str
    mapes: dict[str, float | None]
    slots: list[Slot]


def queue_program(session: Session, queue_id: str) -> Program:
    code = session.scalar(select(RoutingQueue.program).where(RoutingQueue.queue_id == queue_id))
    if code is None:
        raise NotFound(f"no queue {queue_id!r}", field="queue")
    program = session.scalar(select(Program).where(Program.code == code))
    if program is None:
        raise InvalidValue(f"queue {queue_id!r} belongs to no program", field="queue")
    return program


def program_queues(session: Session, program: Program) -> list[str]:
    return list(session.scalars(select(RoutingQueue.queue_id)
                                .where(RoutingQueue.program == program.code)
                                .order_by(RoutingQueue.queue_id)))  # fmt: skip


def threshold_of(session: Session, queue_id: str, calendar: ProgramCalendar) -> float:
    data = session.scalar(select(RoutingQueue.data).where(RoutingQueue.queue_id == queue_id))
    return float((data or {}).get("service_level_seconds") or calendar.threshold_seconds)


def forecast_week(
    *, session: Session, queue_id: str, monday: datetime, now: datetime,
    history_weeks: int = HISTORY_WEEKS,
) -> QueueWeek:  # fmt: skip
    """The week from `monday` of `queue_id`, forecast from the weeks before the current one."""
    return forecast_weeks(session=session, queue_id=queue_id, monday=monday, weeks=1, now=now,
                          history_weeks=history_weeks)[0]  # fmt: skip


def forecast_weeks(
    *, session: Session, queue_id: str, monday: datetime, weeks: int, now: datetime,
    history_weeks: int = HISTORY_WEEKS,
) -> list[QueueWeek]:  # fmt: skip
    """`weeks` consecutive weeks from `monday`, from one read of the history and one fit."""
    program = queue_program(session, queue_id)
    calendar = calendar_of(session=session, program_id=program.id)
    history_end = min(week_of(now), monday)
    start = history_end - timedelta(weeks=history_weeks)
    history = read_history(session=session, queue_ids=[queue_id], start=start,
                           weeks=history_weeks)[queue_id]  # fmt: skip
    lead = int((monday - history_end).total_seconds() // SLOT_SECONDS)
    choice = forecast.backtest(history.arrivals)
    contacts = forecast.predict(history.arrivals, lead + weeks * WEEK_SLOTS, choice.method)
    aht = history.aht(history.overall_aht(DEFAULT_AHT))
    threshold = threshold_of(session, queue_id, calendar)
    out = []
    for w in range(weeks):
        first = monday + timedelta(weeks=w)
        ahead = contacts[lead + w * WEEK_SLOTS : lead + (w + 1) * WEEK_SLOTS]
        slots = _slots(calendar, first, ahead, aht, threshold, _overrides(session, queue_id, first))
        out.append(QueueWeek(queue_id, program.id, first, choice.method, choice.mapes, slots))
    return out


def _slots(calendar, monday, contacts, aht, threshold, overrides) -> list[Slot]:
    slots = []
    for n in range(WEEK_SLOTS):
        begins = monday + timedelta(seconds=n * SLOT_SECONDS)
        is_open = hours.is_open(calendar, begins)
        override = overrides.get(begins)
        count = float(override) if override is not None else float(contacts[n])
        count = count if is_open else 0.0
        needed = staffing.agents_needed(
            count, float(aht[n]), target=float(calendar.service_level_target),
            threshold=threshold, max_occupancy=float(calendar.max_occupancy),
            shrinkage=float(calendar.shrinkage),
        )  # fmt: skip
        end = begins + timedelta(seconds=SLOT_SECONDS)
        slots.append(Slot(begins, end, round(count, 1), round(float(aht[n]), 1), needed, is_open,
                          override is not None))  # fmt: skip
    return slots


def _overrides(session: Session, queue_id: str, monday: datetime) -> dict[datetime, Decimal]:
    rows = session.scalars(select(Override).where(
        Override.queue_id == queue_id, Override.starts_at >= monday,
        Override.starts_at < monday + timedelta(days=7)))  # fmt: skip
    return {row.starts_at: row.contacts for row in rows}


def set_override(
    *, session: Session, queue_id: str, starts_at: datetime, contacts, note: str,
    actor_id: int | None, now: datetime,
) -> Override:  # fmt: skip
    """Replace the forecast contacts of one slot (a campaign, a holiday); flushed."""
    queue_program(session, queue_id)
    if starts_at.minute % 30 or starts_at.second or starts_at.microsecond:
        raise InvalidValue("a slot starts on the hour or the half hour", field="starts_at")
    if (
        isinstance(contacts, bool)
        or not isinstance(contacts, int | float)
        or not (0 <= contacts <= 100_000 and np.isfinite(contacts))
    ):
        raise InvalidValue("contacts is a number from 0 to 100000", field="contacts")
    row = session.scalar(select(Override).where(Override.queue_id == queue_id,
                                                Override.starts_at == starts_at))  # fmt: skip
    if row is None:
        row = Override(queue_id=queue_id, starts_at=starts_at)
        session.add(row)
    row.contacts, row.note = Decimal(str(round(contacts, 2))), (note or "").strip()[:500]
    row.set_by_user_id, row.set_at = actor_id, now
    session.flush()
    return row
