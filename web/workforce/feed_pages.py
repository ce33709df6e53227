"""The agent's schedule feed and reminders, from "My schedule": make or revoke the secret
iCalendar URL, opt in to SMS reminders, and the public feed itself (`/schedule/feed/<secret>.ics`,
anyone holding the secret; rate limited per address)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, redirect, request, url_for

from agents.models import Role
from web import db
from web.access import roles_required
from web.api.workforce import my_agent_id, now
from web.extensions import limiter
from web.workforce.pages import render_my_schedule
from workforce import feed, standing

bp = Blueprint("schedule_feed", __name__)
FEED_LIMIT = "120 per hour"


@bp.post("/schedule/feed")
@roles_required(Role.AGENT)
def make_feed():
    """A new secret feed URL (the old one stops), shown on this page once."""
    token = feed.make_token(session=db.session(), agent_id=my_agent_id())
    db.session().commit()
    url = url_for("schedule_feed.calendar", token=token, _external=True)
    return render_my_schedule(feed_url=url)


@bp.post("/schedule/feed/revoke")
@roles_required(Role.AGENT)
def revoke_feed():
    feed.revoke(session=db.session(), agent_id=my_agent_id())
    db.session().commit()
    return redirect(url_for("workforce.my_schedule"))


@bp.post("/schedule/reminders")
@roles_required(Role.AGENT)
def set_reminders():
    """SMS reminders on (`sms=on`) or off; console reminders are always on."""
    row = standing.standing_of(session=db.session(), agent_id=my_agent_id())
    row.sms_reminders = request.form.get("sms") == "on"
    db.session().commit()
    return redirect(url_for("workforce.my_schedule"))


@bp.get("/schedule/feed/<token>.ics")
@limiter.limit(FEED_LIMIT, scope="schedule-feed")
def calendar(token: str):
    """Public to the secret's holder: the agent's booked blocks (text/calendar); 404 unknown."""
    session = db.session()
    agent_id = feed.agent_of_token(session=session, token=token)
    if agent_id is None:
        abort(404)
    body = feed.calendar(session=session, agent_id=agent_id, now=now())
    return Response(body, mimetype="text/calendar",
                    headers={"Cache-Control": "private, no-store"})  # fmt: skip
