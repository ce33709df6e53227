"""Weekly pay statements from the ledger (page and CSV), the staff's payout export per period
(CSV) and staff adjustments (a form: amount and reason, never an edit of an entry)."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from agents import roster
from agents.models import Agent, Role, User
from pay import access, adjustments, statements
from pay.models import PayEntry
from pay.periods import PayError, parse_week, range_bounds, utc_text, week_bounds, week_of
from web import db
from web.access import ANY_ROLE, STAFF, refuse_page, roles_required

bp = Blueprint("pay", __name__)
MAX_AGENTS_LISTED = 500


@bp.app_template_filter("utc_time")
def utc_time(seconds: float | None) -> str:
    return utc_text(seconds)[:16]


class CsrfForm(FlaskForm):
    """CSRF only: the fields are read raw and checked by the pay services."""


def _week() -> str:
    return request.args.get("week") or week_of(datetime.now(UTC).date())


def _agent_id() -> str:
    """Agents: their own; staff: ?agent_id= (a roster agent; for a supervisor one of their
    programs', 403 otherwise), else the agent they see paid most recently (the ledger's latest
    line), else the first agent listed."""
    if current_user.role is Role.AGENT:
        me = roster.get_by_user(session=db.session(), user_id=current_user.id)
        if me is None:
            abort(404)
        if request.args.get("agent_id", str(me.id)) != str(me.id):
            abort(403)
        return str(me.id)
    raw = request.args.get("agent_id", "")
    if raw:
        _visible_or_refuse(raw)
        return raw
    seen = access.agent_ids_of(session=db.session(), user=current_user)
    latest = select(PayEntry.agent_id).order_by(PayEntry.id.desc()).limit(1)
    if seen is not None:
        latest = latest.where(PayEntry.agent_id.in_([str(a) for a in seen]))
    latest = db.session().scalar(latest)
    if latest is not None and latest.isdigit() and db.session().get(Agent, int(latest)):
        return latest
    first = select(Agent.id).order_by(Agent.id).limit(1)
    first = db.session().scalar(
        access.visible_agents(session=db.session(), user=current_user, query=first))
    return str(first) if first is not None else ""


def _visible_or_refuse(raw: str) -> None:
    """404 for no such agent; 403 naming why for an agent outside the supervisor's programs."""
    if not raw.isdigit() or db.session().get(Agent, int(raw)) is None:
        abort(404)
    try:
        access.agent_or_raise(session=db.session(), user=current_user, agent_id=raw)
    except access.PayForbidden as no:
        refuse_page(f"{no.field}: {no.message}.")


def _statement(agent_id: str, week: str) -> dict:
    start, end = week_bounds(week)
    return statements.statement(session=db.session(), agent_id=agent_id, start=start, end=end,
                                label=week)  # fmt: skip


def _agents() -> list[tuple[int, str]]:
    """The agents the staff user may see (a supervisor: their programs'), by name."""
    query = (select(Agent.id, User.display_name).join(User, User.id == Agent.user_id)
             .order_by(User.display_name).limit(MAX_AGENTS_LISTED))  # fmt: skip
    return db.session().execute(
        access.visible_agents(session=db.session(), user=current_user, query=query)).all()


@bp.get("/pay/statements")
@roles_required(*ANY_ROLE)
def statement_page():
    week, agent_id = _week(), _agent_id()
    try:
        monday = parse_week(week)
        found = _statement(agent_id, week) if agent_id else None
    except PayError as bad:
        return _render(None, week, {bad.field: bad.message}, status=422)
    return _render(found, week, {}, monday=monday)


def _render(found, week, errors, *, monday: date | None = None, status: int = 200):
    staff = current_user.role is not Role.AGENT
    weeks = {}
    if monday is not None:
        weeks = {"previous": week_of(monday - timedelta(days=7)),
                 "next": week_of(monday + timedelta(days=7))}  # fmt: skip
    today = datetime.now(UTC).date()
    return render_template(
        "pay/statement.html", statement=found, week=week, weeks=weeks, errors=errors,
        staff=staff, agents=_agents() if staff else [], form=CsrfForm(),
        payout_from=(today - timedelta(days=today.weekday())).isoformat(),
        payout_to=today.isoformat(),
    ), status  # fmt: skip


@bp.get("/pay/statements.csv")
@roles_required(*ANY_ROLE)
def statement_csv():
    week, agent_id = _week(), _agent_id()
    try:
        found = _statement(agent_id, week)
    except PayError as bad:
        abort(Response(f"{bad.field}: {bad.message}\n", status=422, mimetype="text/plain"))
    return _csv(statements.statement_csv(found), f"pay-{agent_id}-{week}.csv")


@bp.get("/pay/payout.csv")
@roles_required(*STAFF)
def payout_csv():
    """?from=YYYY-MM-DD&to=YYYY-MM-DD (both UTC days included): what to pay each agent (a
    supervisor: the agents of their programs only)."""
    try:
        start, end = range_bounds(_day("from"), _day("to"))
    except PayError as bad:
        abort(Response(f"{bad.field}: {bad.message}\n", status=422, mimetype="text/plain"))
    rows = statements.payout(session=db.session(), start=start, end=end)
    seen = access.agent_ids_of(session=db.session(), user=current_user)
    if seen is not None:
        rows = [row for row in rows if row["agent_id"] in {str(a) for a in seen}]
    name = f"payout-{request.args['from']}-{request.args['to']}.csv"
    return _csv(statements.payout_csv(rows), name)


@bp.post("/pay/adjustments")
@roles_required(*STAFF)
def adjust():
    form = CsrfForm()
    if not form.validate_on_submit():
        abort(400)
    agent_id, week = request.form.get("agent_id", ""), request.form.get("week", "")
    _visible_or_refuse(agent_id)
    try:
        adjustments.add_adjustment(
            session=db.session(), actor=current_user, agent_id=agent_id,
            amount=request.form.get("amount", ""), reason=request.form.get("reason", ""),
            at=time.time(),
        )  # fmt: skip
    except PayError as bad:
        flash(f"Not adjusted: {bad.field} — {bad.message}.", "error")
        return redirect(url_for("pay.statement_page", agent_id=agent_id, week=week or None))
    flash("Adjustment added to the ledger.", "success")
    return redirect(url_for("pay.statement_page", agent_id=agent_id, week=week or None))


def _day(field: str) -> date:
    raw = request.args.get(field, "")
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise PayError(field, "a UTC day as YYYY-MM-DD") from None


def _csv(text: str, name: str) -> Response:
    return Response(text, mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip
