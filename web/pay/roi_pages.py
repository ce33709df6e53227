"""The ROI page per program (table, chart) and its CSV, for staff (channels.roi_view): admins
any program, a supervisor those they have a duty in (403 naming why for another)."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask_login import current_user
from sqlalchemy import select

from agents.models import Program
from channels import roi_view
from pay import access
from pay.periods import PayError
from web import db
from web.access import STAFF, refuse_page, roles_required

bp = Blueprint("reports", __name__)
FIGURES = ("contacts", "answered", "abandoned", "service_level", "asa", "abandonment", "aht",
           "csat", "csat_responses", "conversions", "conversion_rate", "telephony_minutes",
           "agent_cost", "telephony_cost", "cost", "cost_per_contact", "revenue",
           "margin")  # fmt: skip


def _programs() -> list[str]:
    """Codes of the programs the staff user sees, in order."""
    seen = access.program_codes_of(session=db.session(), user=current_user)
    codes = db.session().scalars(select(Program.code).order_by(Program.code)).all()
    return [c for c in codes if seen is None or c in seen]


def _query():
    """(program code, from, to, errors): default the first program the user sees and the last
    7 days."""
    today = datetime.now(UTC).date()
    code = request.args.get("program") or next(iter(_programs()), "")
    errors, days = {}, {}
    for field, default in (("from", today - timedelta(days=6)), ("to", today)):
        raw = request.args.get(field)
        try:
            days[field] = date.fromisoformat(raw) if raw else default
        except ValueError:
            errors[field] = "a UTC day as YYYY-MM-DD"
            days[field] = default
    return code, days["from"], days["to"], errors


def _report(code, start, end, errors):
    if errors or not code:
        return None, errors
    session = db.session()
    rates = current_app.config["CROWDLINE_SETTINGS"].telephony_rates
    try:
        program = roi_view.program_or_raise(session, code)
    except PayError as bad:
        return None, {bad.field: bad.message}
    try:
        access.program_or_raise(session=session, user=current_user, code=program.code)
    except access.PayForbidden as no:
        refuse_page(f"{no.field}: {no.message}.")
    try:
        return roi_view.roi(session=session, program=program, start=start, end=end,
                            rates=rates), {}  # fmt: skip
    except PayError as bad:
        return None, {bad.field: bad.message}


@bp.get("/reports/roi")
@roles_required(*STAFF)
def roi_page():
    code, start, end, errors = _query()
    report, errors = _report(code, start, end, errors)
    programs = _programs()
    chart = json.dumps(report["days"] if report else [])
    return render_template("pay/roi.html", report=report, errors=errors, programs=programs,
                           program=code, start=start, end=end, chart=chart,
                           figures=FIGURES), (422 if errors else 200)  # fmt: skip


@bp.get("/reports/roi.csv")
@roles_required(*STAFF)
def roi_csv():
    code, start, end, errors = _query()
    report, errors = _report(code, start, end, errors)
    if report is None:
        message = "; ".join(f"{f}: {m}" for f, m in errors.items()) or "program: required"
        abort(Response(message + "\n", status=422, mimetype="text/plain"))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["period", *FIGURES])
    for row in report["days"]:
        writer.writerow([row["day"], *(_cell(row[f]) for f in FIGURES)])
    for row in report["weeks"]:
        writer.writerow([row["week"], *(_cell(row[f]) for f in FIGURES)])
    writer.writerow(["total", *(_cell(report["total"][f]) for f in FIGURES)])
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="roi-{code}-{start}-{end}.csv"'})  # fmt: skip


def _cell(value):
    return "n/a" if value is None else value
