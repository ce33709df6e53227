"""Pay API: weekly statements and my day from the ledger, staff adjustments. Agents see only
their own pay; supervisors the agents of the programs they have a duty in (pay.access, as
quality); admins any agent's."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from flask import abort, request
from flask_login import current_user
from spectree import Response

from agents import roster
from agents.models import Agent, Role
from pay import access, adjustments, statements
from pay.periods import PayError, day_bounds, week_bounds
from web import db
from web.access import ANY_ROLE, STAFF, roles_required
from web.api.blueprint import bp
from web.api.errors import error_response
from web.api.pay_schemas import (
    AdjustmentIn,
    AdjustmentOut,
    DayQuery,
    LineOut,
    StatementOut,
    StatementQuery,
)
from web.api.schemas import ErrorOut
from web.api.spec import api_spec

TAGS = ["pay"]
ERRORS = {"HTTP_401": ErrorOut, "HTTP_403": ErrorOut, "HTTP_404": ErrorOut, "HTTP_422": ErrorOut}


def pay_agent_id(requested: int | None) -> str:
    """The agent whose pay the caller may read: agents their own only (another's is a 403),
    staff the one they name (required, it must exist, and for a supervisor work one of their
    programs: 403 otherwise)."""
    if current_user.role is Role.AGENT:
        me = roster.get_by_user(session=db.session(), user_id=current_user.id)
        if me is None:
            abort(error_response(404, "you have no agent profile"))
        if requested is not None and requested != me.id:
            abort(error_response(403, "agents see only their own pay"))
        return str(me.id)
    if requested is None:
        abort(error_response(422, "say whose pay", {"agent_id": "required"}))
    if db.session().get(Agent, requested) is None:
        abort(error_response(404, f"no agent {requested}"))
    try:
        access.agent_or_raise(session=db.session(), user=current_user, agent_id=requested)
    except access.PayForbidden as no:
        abort(error_response(403, f"{no.field}: {no.message}", {no.field: no.message}))
    return str(requested)


def _refuse(bad: PayError):
    abort(error_response(422, bad.message, {bad.field: bad.message}))


@bp.get("/pay/statements")
@roles_required(*ANY_ROLE)
@api_spec.validate(query=StatementQuery, resp=Response(HTTP_200=StatementOut, **ERRORS), tags=TAGS)
def pay_statement():
    """One agent's ledger lines and totals for an ISO week (Monday 00:00 UTC to the next);
    agents may ask for their own only (403 otherwise)."""
    q: StatementQuery = request.context.query
    agent_id = pay_agent_id(q.agent_id)
    try:
        start, end = week_bounds(q.week)
    except PayError as bad:
        _refuse(bad)
    found = statements.statement(session=db.session(), agent_id=agent_id, start=start, end=end,
                                 label=q.week)  # fmt: skip
    return StatementOut.model_validate(found)


@bp.get("/pay/me")
@roles_required(Role.AGENT)
@api_spec.validate(query=DayQuery, resp=Response(HTTP_200=StatementOut, **ERRORS), tags=TAGS)
def my_pay():
    """The calling agent's ledger lines and totals of one UTC day (default today)."""
    day = request.context.query.day or datetime.now(UTC).date()
    start, end = day_bounds(day)
    found = statements.statement(session=db.session(), agent_id=pay_agent_id(None), start=start,
                                 end=end, label=day.isoformat())  # fmt: skip
    return StatementOut.model_validate(found)


@bp.post("/pay/adjustments")
@roles_required(*STAFF)
@api_spec.validate(
    json=AdjustmentIn, resp=Response(HTTP_201=AdjustmentOut, **ERRORS), tags=TAGS
)
def add_adjustment():
    """A staff adjustment: a new ledger entry with an amount and a reason (audited); entries
    are never edited."""
    body: AdjustmentIn = request.context.json
    agent_id = pay_agent_id(body.agent_id)
    try:
        entry = adjustments.add_adjustment(
            session=db.session(), actor=current_user, agent_id=agent_id, amount=body.amount,
            reason=body.reason, at=time.time(), adjusts_entry_id=body.adjusts_entry_id,
        )  # fmt: skip
    except PayError as bad:
        _refuse(bad)
    return AdjustmentOut(line=LineOut.model_validate(statements.line(entry))), 201
