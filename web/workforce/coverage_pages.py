"""The coverage view for supervisors (`/schedule/coverage`, chart and table) and its CSV:
per 30-minute slot of a queue, today or a week — forecast, needed, booked, actually available,
service level achieved (workforce.coverage)."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

from flask import Blueprint, Response, abort, render_template, request
from sqlalchemy import select

from dispatcher.tables import RoutingQueue
from web import db
from web.access import STAFF, roles_required
from web.api.workforce import now
from workforce import coverage
from workforce.errors import WorkforceError
from workforce.weeks import parse_week, week_label, week_of

bp = Blueprint("coverage", __name__)
PERIODS = ("today", "week")
COLUMNS = ("start", "end", "forecast", "needed", "booked", "available", "offered", "answered",
           "service_level")  # fmt: skip


def _query():
    """(queue, period, week label, slots, errors) of the request; errors name the field."""
    session = db.session()
    queues = list(session.scalars(select(RoutingQueue.queue_id).order_by(RoutingQueue.queue_id)))
    queue = request.args.get("queue") or (queues[0] if queues else "")
    period = request.args.get("period") or "today"
    at = now()
    errors, slots, week = {}, [], week_label(week_of(at))
    if period not in PERIODS:
        errors["period"] = "today or week"
    try:
        monday = parse_week(request.args["week"]) if request.args.get("week") else week_of(at)
        week = week_label(monday)
        since = at.replace(hour=0, minute=0, second=0, microsecond=0)
        if period == "week":
            since = monday
        if not errors and queue:
            slots = coverage.coverage(session=session, queue_id=queue, since=since,
                                      days=7 if period == "week" else 1, now=at)  # fmt: skip
    except WorkforceError as bad:
        errors[bad.field or "queue"] = bad.message
    return queues, queue, period, week, slots, errors


@bp.get("/schedule/coverage")
@roles_required(*STAFF)
def coverage_page():
    queues, queue, period, week, slots, errors = _query()
    chart = json.dumps([_row(s) for s in slots])
    short = sum(1 for s in slots if s.short)
    return render_template("workforce/coverage.html", queues=queues, queue=queue, period=period,
                           week=week, slots=slots, chart=chart, errors=errors, short=short,
                           weeks=[week_label(week_of(now()) + timedelta(days=7 * n))
                                  for n in (-1, 0, 1)]), (422 if errors else 200)  # fmt: skip


@bp.get("/schedule/coverage.csv")
@roles_required(*STAFF)
def coverage_csv():
    _queues, queue, period, week, slots, errors = _query()
    if errors or not queue:
        message = "; ".join(f"{f}: {m}" for f, m in errors.items()) or "queue: required"
        abort(Response(message + "\n", status=422, mimetype="text/plain"))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for slot in slots:
        row = _row(slot)
        writer.writerow(["" if row[c] is None else row[c] for c in COLUMNS])
    day = slots[0].start.date() if slots else ""
    name = f"coverage-{queue}-{week if period == 'week' else day}.csv"
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip


def _row(slot: coverage.SlotCoverage) -> dict:
    return {"start": slot.start.isoformat(), "end": slot.end.isoformat(),
            "forecast": slot.forecast, "needed": slot.needed, "booked": slot.booked,
            "available": slot.available, "offered": slot.offered, "answered": slot.answered,
            "service_level": None if slot.service_level is None
            else round(slot.service_level, 3)}  # fmt: skip
