"""ISO weeks ("2026-W49") as UTC spans: a week runs from Monday 00:00 UTC for seven days."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from workforce.errors import InvalidValue

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


def parse_week(text: str | None, *, field: str = "week") -> datetime:
    """Monday 00:00 UTC of ISO week `text` (YYYY-Www); InvalidValue naming `field` otherwise."""
    match = _WEEK.match((text or "").strip())
    if not match:
        raise InvalidValue("a week is written YYYY-Www, e.g. 2026-W49", field=field)
    try:
        monday = date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        raise InvalidValue("no such ISO week", field=field) from None
    return datetime(monday.year, monday.month, monday.day, tzinfo=UTC)


def week_of(at: datetime) -> datetime:
    """Monday 00:00 UTC of the week holding `at`."""
    day = at.astimezone(UTC).date()
    monday = day - timedelta(days=day.weekday())
    return datetime(monday.year, monday.month, monday.day, tzinfo=UTC)


def week_label(monday: datetime) -> str:
    year, week, _ = monday.date().isocalendar()
    return f"{year}-W{week:02d}"


def parse_day(text: str | None, *, field: str = "day") -> datetime:
    """00:00 UTC of YYYY-MM-DD."""
    try:
        day = date.fromisoformat((text or "").strip())
    except ValueError:
        raise InvalidValue("a day is written YYYY-MM-DD", field=field) from None
    return datetime(day.year, day.month, day.day, tzinfo=UTC)
