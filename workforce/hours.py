"""Working hours and public holidays of a program: is it open at T, and when does it open next.

Hours are minutes after local midnight (the program's time zone) per ISO weekday; a program with
no hours set is open around the clock. On a public holiday of the program's country (`holidays`)
it is closed all day, whatever its hours.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

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


def set_hours(calendar: ProgramCalendar, spans: list[tuple[int, int, int]]) -> None:
    """Replace the program's hours with (weekday 1-7, opens, closes minutes) spans."""
    for weekday, opens, closes in spans:
        if not 1 <= weekday <= 7:
            raise InvalidValue("weekday is 1 (Monday) to 7 (Sunday)", field="weekday")
        if not 0 <= opens < closes <= 1440:
            raise InvalidValue("opens and closes are minutes 0-1440, opens first", field="hours")
    calendar.hours = [WorkingHours(weekday=w, opens=o, closes=c) for w, o, c in spans]
