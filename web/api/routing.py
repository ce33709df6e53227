"""Routing API: commands go to the engine's inbox (the web never decides a routing question),
the live queue view, interval statistics folded from the event log, and Erlang C staffing."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from flask import abort, request
from flask_login import current_user
from spectree import Response

from agents import roster
from agents.models import Role
from dispatcher import commands
from dispatcher.core import erlang
from dispatcher.statistics import live_view, statistics_between
from web import db
from web.access import STAFF, roles_required
from web.api.blueprint import bp
from web.api.errors import error_response
from web.api.routing_schemas import (
    CommandIn,
    CommandOut,
    ErlangOut,
    ErlangQuery,
    IntervalOut,
    OccupancyOut,
    QueueNowList,
    QueueNowOut,
    StatsOut,
    StatsQuery,
    StatusIn,
)  # fmt: skip
from web.api.schemas import ErrorOut
from web.api.spec import api_spec
from web.engine_commands import submit_and_wait

TAGS = ["routing"]
ERRORS = {"HTTP_401": ErrorOut, "HTTP_403": ErrorOut, "HTTP_409": ErrorOut, "HTTP_422": ErrorOut}
SUPERVISOR_KINDS = frozenset({"set_status", "move", "reprioritise", "transfer", "cancel"})
ADMIN_KINDS = commands.KINDS
MAX_ERLANGS = 10_000  # staffing a bigger load one agent at a time would tie up the thread


def _submit_and_wait(kind: str, payload: dict):
    """Queue the command, commit, and wait briefly for the engine's decision."""
    command_id, done, error = submit_and_wait(kind, payload)
    if error:
        abort(error_response(409, error))
    return CommandOut(id=command_id, done=done, error=None), (200 if done else 202)


@bp.post("/routing/commands")
@roles_required(*STAFF)
@api_spec.validate(
    json=CommandIn, resp=Response(HTTP_200=CommandOut, HTTP_202=CommandOut, **ERRORS), tags=TAGS
)
def send_command():
    """Any routing command (admins) or agent status, move, re-prioritise, transfer and cancel
    (supervisors). 200 done, 409 refused by the engine (reason in `error`), 202 still queued."""
    body: CommandIn = request.context.json
    allowed = ADMIN_KINDS if current_user.role is Role.ADMIN else SUPERVISOR_KINDS
    if body.kind not in commands.KINDS:
        abort(error_response(422, "unknown routing command", {"kind": f"unknown: {body.kind}"}))
    if body.kind not in allowed:
        abort(error_response(403, f"your role may not send {body.kind}"))
    return _submit_and_wait(body.kind, body.payload)


def _my_routing_id() -> str:
    agent = roster.get_by_user(session=db.session(), user_id=current_user.id)
    if agent is None:
        abort(404)
    return str(agent.id)


@bp.post("/routing/me/status")
@roles_required(Role.AGENT)
@api_spec.validate(
    json=StatusIn, resp=Response(HTTP_200=CommandOut, HTTP_202=CommandOut, **ERRORS), tags=TAGS
)
def set_my_status():
    """The calling agent goes available, on break or offline."""
    status = request.context.json.status
    return _submit_and_wait("set_status", {"agent_id": _my_routing_id(), "status": status})


@bp.post("/routing/me/offers/<path:reservation_id>/<any(accept, reject):action>")
@roles_required(Role.AGENT)
@api_spec.validate(resp=Response(HTTP_200=CommandOut, HTTP_202=CommandOut, **ERRORS), tags=TAGS)
def answer_offer(reservation_id: str, action: str):
    """Accept or reject an offer made to the calling agent (another agent's offer is refused)."""
    payload = {"reservation_id": reservation_id, "agent_id": _my_routing_id()}
    return _submit_and_wait(action, payload)


@bp.get("/routing/queues")
@roles_required(*STAFF)
@api_spec.validate(resp=Response(HTTP_200=QueueNowList, **ERRORS), tags=TAGS)
def live_queues():
    """Per queue now: waiting, longest wait, agents by status and state, eligible vs available."""
    views = live_view(db.session().connection(), time.time())
    return QueueNowList(items=[QueueNowOut(queue_id=q, **vars_of(v)) for q, v in views.items()])


@bp.get("/routing/stats")
@roles_required(*STAFF)
@api_spec.validate(query=StatsQuery, resp=Response(HTTP_200=StatsOut, **ERRORS), tags=TAGS)
def interval_stats():
    """15-minute intervals of one UTC day (to now for today), folded from the event log."""
    day = request.context.query.day or datetime.now(UTC).date()
    start = datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()
    end = min(start + timedelta(days=1).total_seconds(), max(time.time(), start))
    stats = statistics_between(db.session().connection(), start, end)
    intervals = [
        IntervalOut(
            queue_id=queue_id,
            start=begin,
            service_level=c.service_level,
            asa=c.asa,
            aht=c.aht,
            **vars_of(c),
        )
        for (queue_id, begin), c in sorted(stats.queues.items())
    ]
    occupancy = [
        OccupancyOut(start=begin, signed_in=t.signed_in, working=t.working, occupancy=t.occupancy)
        for begin, t in sorted(stats.agents.items())
    ]
    return StatsOut(intervals=intervals, occupancy=occupancy)


@bp.get("/routing/erlang")
@roles_required(*STAFF)
@api_spec.validate(query=ErlangQuery, resp=Response(HTTP_200=ErlangOut, **ERRORS), tags=TAGS)
def erlang_staffing():
    """Agents needed for a service-level target by Erlang C (e.g. 100 calls per 1800 s, AHT
    180 s, 80% within 20 s → 14 agents)."""
    q: ErlangQuery = request.context.query
    load = erlang.traffic(q.calls, q.period, q.aht)
    if load > MAX_ERLANGS:
        abort(
            error_response(
                422,
                "the offered load is too large",
                {"calls": f"calls x aht / period = {load:,.0f} Erlangs; at most {MAX_ERLANGS:,}"},
            )
        )
    agents = erlang.agents_required(load, q.aht, q.target, q.threshold)
    return ErlangOut(
        traffic=load,
        agents=agents,
        probability_of_waiting=erlang.erlang_c(agents, load),
        service_level=erlang.service_level(agents, load, q.aht, q.threshold),
        asa=erlang.asa(agents, load, q.aht),
    )


def vars_of(record) -> dict:
    """Public fields of a slotted dataclass, for building a response model."""
    return {name: getattr(record, name) for name in record.__slots__ if not name.startswith("_")}
