"""The supervisor dashboard page (`/dashboard`), its numbers as JSON, and the chart library
served from node_modules (installed by `npm ci`; never from a CDN, never committed)."""

from __future__ import annotations

import time
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, render_template

from channels import dashboard_view as service
from web import db
from web.access import STAFF, roles_required

bp = Blueprint("dashboard", __name__)
CHART = Path(__file__).resolve().parents[2] / "node_modules" / "chart.js" / "dist"
CHART_FILE = "chart.umd.min.js"
WAIT_ALERT = 60.0  # seconds a contact may wait before the dashboard raises an alert


@bp.get("/dashboard")
@roles_required(*STAFF)
def dashboard():
    """Supervisors and admins: live queues, agents, charts and actions."""
    return render_template("dashboard/dashboard.html")


@bp.get("/dashboard/api/summary")
@roles_required(*STAFF)
def summary():
    """Everything the dashboard shows, computed now from the engine's statistics."""
    wait_alert = float(current_app.config.get("DASHBOARD_WAIT_ALERT", WAIT_ALERT))
    return service.summary(session=db.session(), now=time.time(), wait_alert=wait_alert)


@bp.get("/dashboard/api/waiting")
@roles_required(*STAFF)
def waiting_chart():
    """Waiting tasks per queue at each minute of the last hour, from the routing event log."""
    return service.waiting_last_hour(session=db.session(), now=time.time())


@bp.get("/dashboard/vendor/chart.js")
@roles_required(*STAFF)
def chart_library():
    if not (CHART / CHART_FILE).is_file():
        abort(404, description="chart.js is not installed: run `npm ci`")
    # Read whole (about 200 kB): a streamed file stays open when a client never reads it.
    response = Response((CHART / CHART_FILE).read_bytes(), mimetype="text/javascript")
    response.cache_control.max_age = 3600
    return response
