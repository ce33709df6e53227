"""`GET /api/v1/community/stats`: a program's community analytics over its last `days` UTC days
(community/analytics.py), with the cost avoided priced at the ROI report's cost per contact for
the same days (channels/roi_view.py), or the program's configured
`community_settings.cost_per_contact` when the report has none."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from agents.models import Program
from channels import roi_view
from community import analytics, posts
from database.clock import utc


def cost_per_contact(*, session: Session, program: Program, start, end,
                     rates: dict) -> tuple[Decimal | None, str | None]:  # fmt: skip
    """(figure, where it came from: "roi", "configured" or None)."""
    report = roi_view.roi(session=session, program=program, start=start, end=end, rates=rates)
    from_roi = report["total"]["cost_per_contact"]
    if from_roi is not None:
        return Decimal(from_roi), "roi"
    configured = posts.settings_for(session=session, program_id=program.id).cost_per_contact
    return (configured, "configured") if configured is not None else (None, None)


def stats(*, session: Session, program: Program, days: int, now: float, rates: dict) -> dict:
    """The analytics of the UTC days today - days + 1 .. today (today until `now`)."""
    end = datetime.fromtimestamp(now, UTC).date()
    start = end - timedelta(days=days - 1)
    since = datetime(start.year, start.month, start.day, tzinfo=UTC)
    cost, source = cost_per_contact(session=session, program=program, start=start, end=end,
                                    rates=rates)  # fmt: skip
    figures = analytics.program_stats(session=session, program_id=program.id, since=since,
                                      until=utc(now + 1), cost_per_contact=cost)  # fmt: skip
    return {"program": program.code, "name": program.name, "from": start.isoformat(),
            "to": end.isoformat(), "days": days, "cost_source": source, **figures}  # fmt: skip
