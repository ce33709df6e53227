"""Pay periods in UTC: a day (YYYY-MM-DD), an ISO week (YYYY-Www, Monday to Monday), a range
of days; as [start, end) epoch seconds, the unit of the ledger's `at`."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


class PayError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


def midnight(day: date) -> float:
    return datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()


def day_bounds(day: date) -> tuple[float, float]:
    return midnight(day), midnight(day + timedelta(days=1))


def parse_week(week: str, field: str = "week") -> date:
    """The Monday of ISO week `week` ("2026-W49")."""
    found = WEEK.match(week or "")
    if not found:
        raise PayError(field, "an ISO week like 2026-W49")
    try:
        return date.fromisocalendar(int(found[1]), int(found[2]), 1)
    except ValueError:
        raise PayError(field, f"{week} is not a week of that year") from None


def week_of(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_bounds(week: str, field: str = "week") -> tuple[float, float]:
    monday = parse_week(week, field)
    return midnight(monday), midnight(monday + timedelta(days=7))


def range_bounds(start: date, end: date, *, start_field: str = "from",
                 end_field: str = "to") -> tuple[float, float]:  # fmt: skip
    """[start 00:00, end + 1 day 00:00): both days included."""
    if end < start:
        raise PayError(end_field, f"must be on or after {start_field}")
    if (end - start).days > 366:
        raise PayError(end_field, "at most 366 days after the start")
    return midnight(start), midnight(end + timedelta(days=1))


def utc_text(seconds: float | None) -> str:
    if seconds is None:
        return ""
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d %H:%M:%S")
