"""`/schedule` (agents: book and release blocks) and `/schedule/manage` (supervisors: publish
a week, edit needed counts and bonuses). Both pages are shells; their ES modules read and write
through the schedule API (/api/v1/workforce/…)."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, render_template

from agents.models import Role
from web import db
from web.access import STAFF, roles_required
from web.api.workforce import my_agent_id, now
from workforce import feed, reminders, standing
from workforce.models import Standing
from workforce.weeks import week_label, week_of

bp = Blueprint("workforce", __name__)


def _weeks() -> list[tuple[str, str]]:
    monday = week_of(now())
    return [(week_label(monday), "This week"),
            (week_label(monday + timedelta(days=7)), "Next week"),
            (week_label(monday + timedelta(days=14)), "In two weeks")]  # fmt: skip


@bp.get("/schedule")
@roles_required(Role.AGENT)
def my_schedule():
    return render_my_schedule()


def render_my_schedule(*, feed_url: str | None = None):
    """The page, with the feed's secret URL when it was just made (shown only then)."""
    session, agent_id = db.session(), my_agent_id()
    row = session.get(Standing, agent_id)
    return render_template("workforce/my_schedule.html", weeks=_weeks(),
                           tier=standing.tier_of(session=session, agent_id=agent_id),
                           agent_id=agent_id, today=now().date().isoformat(), feed_url=feed_url,
                           has_feed=feed.has_feed(session=session, agent_id=agent_id),
                           sms=bool(row and row.sms_reminders),
                           reminder_minutes=reminders.LEAD_MINUTES)  # fmt: skip


@bp.get("/schedule/manage")
@roles_required(*STAFF)
def manage():
    return render_template("workforce/manage.html", weeks=_weeks())
