"""Working hours and public holidays of a program: is it open at T, and when does it open next.

Hours are minutes after local midnight (the program's time zone) per ISO weekday; a program with
no hours set is open around the clock. On a public holiday of the program's country (`holidays`)
it is closed all day, whatever its hours.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
from sqlalchemy.orm import Session

from workforce.errors import InvalidValue
from workforce.models import ProgramCalendar, WorkingHours

LOOK_AHEAD_DAYS = 31


@lru_cache(maxsize=64)
def _holidays(country: str, year: int) -> dict[date, str]:
    try:
        return dict(holidays.country_holidays(country, years=[year]))
    except NotImplementedError:
        return {}


def holiday_name(calendar: ProgramCalendar, day: date) -> str | None:
    return _holidays(calendar.country, day.year).get(day)


def zone(calendar: ProgramCalendar) -> ZoneInfo:
    try:
        return ZoneInfo(calendar.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def is_open(calendar: ProgramCalendar | None, at: datetime) -> bool:
    """True when the program works at `at` (no calendar or no hours: always)."""
    if calendar is None:
        return True
    local = at.astimezone(zone(calendar))
    if holiday_name(calendar, local.date()):
        return False
    if not calendar.hours:
        return True
    minute = local.hour * 60 + local.minute
    return any(h.weekday == local.isoweekday() and h.opens <= minute < h.closes
               for h in calendar.hours)  # fmt: skip


def next_opening(calendar: ProgramCalendar | None, at: datetime) -> datetime | None:
    """The first instant at or after `at` when the program is open (None if not within a month)."""
    if is_open(calendar, at):
        return at
    tz = zone(calendar)
    local = at.astimezone(tz)
    for offset in range(LOOK_AHEAD_DAYS + 1):
        day = local.date() + timedelta(days=offset)
        if holiday_name(calendar, day):
            continue
        for h in sorted((h for h in calendar.hours if h.weekday == day.isoweekday()),
                        key=lambda h: h.opens):  # fmt: skip
            opens = datetime(day.year, day.month, day.day, tzinfo=tz) + timedelta(minutes=h.opens)
            if opens >= at:
                return opens.astimezone(at.tzinfo)
    return None


@dataclass(frozen=True)
class Closed:
    """A program closed at some instant: why (a holiday's name, or "" outside hours) and when it
    opens again (None when not within LOOK_AHEAD_DAYS), in the program's time zone."""

    holiday: str
    opens_at: datetime | None
    timezone: str

    def when(self) -> str:
        """E.g. "Monday 7 December at 09:00 (America/New_York)"; "" when not known."""
        if self.opens_at is None:
            return ""
        local = self.opens_at
        return f"{local:%A} {local.day} {local:%B} at {local:%H:%M} ({self.timezone})"

    def sentence(self) -> str:
        """What a caller or chat customer is told."""
        why = f"We are closed today for {self.holiday}." if self.holiday else "We are closed now."
        return f"{why} We open again {self.when()}." if self.opens_at else why


def closed_at(*, session: Session, program_id: int, at: datetime) -> Closed | None:
    """None when the program is open at `at`; else why it is closed and when it opens again."""
    calendar = session.get(ProgramCalendar, program_id)
    if is_open(calendar, at):
        return None
    tz = zone(calendar)
    opens = next_opening(calendar, at)
    return Closed(holiday=holiday_name(calendar, at.astimezone(tz).date()) or "",
                  opens_at=opens.astimezone(tz) if opens else None, timezone=tz.key)  # fmt: skip


def set_hours(calendar: ProgramCalendar, spans: list[tuple[int, int, int]]) -> None:
    """Replace the program's hours with (weekday 1-7, opens, closes minutes) spans."""
    for weekday, opens, closes in spans:
        if not 1 <= weekday <= 7:
            raise InvalidValue("weekday is 1 (Monday) to 7 (Sunday)", field="weekday")
        if not 0 <= opens < closes <= 1440:
            raise InvalidValue("opens and closes are minutes 0-1440, opens first", field="hours")
    calendar.hours = [WorkingHours(weekday=w, opens=o, closes=c) for w, o, c in spans]
