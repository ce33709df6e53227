"""Schedule API: the forecast per slot, blocks to book, commit/uncommit, adherence, and the
supervisor's publishing, needed counts, bonuses, overrides and tiers."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, current_app, request
from flask_login import current_user
from spectree import Response

from agents import roster
from agents.models import Program, Role
from database.base import utcnow
from database.clock import utc
from web import db
from web.access import ANY_ROLE, STAFF, roles_required
from web.api.blueprint import bp
from web.api.schemas import ErrorOut
from web.api.spec import api_spec
from web.api.workforce_schemas import (
    AdherenceOut,
    AdherenceQuery,
    BlockAdherenceOut,
    BlockList,
    BlockOut,
    BlockPatch,
    BlocksQuery,
    CommitmentOut,
    CommitQuery,
    ForecastOut,
    ForecastQuery,
    OverrideIn,
    OverrideOut,
    PublishedOut,
    PublishIn,
    PublishOut,
    SlotOut,
    TierIn,
    TierOut,
)  # fmt: skip
from workforce import adherence, blocks, bookings, plan, publishing, standing
from workforce.weeks import parse_week, week_label

TAGS = ["workforce"]
ERRORS = {"HTTP_401": ErrorOut, "HTTP_403": ErrorOut, "HTTP_404": ErrorOut,
          "HTTP_409": ErrorOut, "HTTP_422": ErrorOut}  # fmt: skip


def now():
    """The app's clock (tests inject WORKFORCE_CLOCK, an object with now() in epoch seconds)."""
    clock = current_app.config.get("WORKFORCE_CLOCK")
    return utc(clock.now()) if clock is not None else utcnow()


def my_agent_id() -> int:
    agent = roster.get_by_user(session=db.session(), user_id=current_user.id)
    if agent is None:
        abort(404)
    return agent.id


def block_out(block, commitment=None) -> BlockOut:
    program = db.session().get(Program, block.program_id)
    return BlockOut(id=block.id, program_id=block.program_id, program=program.code,
                    queue_id=block.queue_id, start=block.starts_at, end=block.ends_at,
                    needed=block.needed, booked=block.booked,
                    bonus_per_minute=block.bonus_per_minute, hot=block.hot,
                    status=block.status.value,
                    my_state=commitment.state.value if commitment else None)  # fmt: skip


@bp.get("/workforce/forecast")
@roles_required(*STAFF)
@api_spec.validate(query=ForecastQuery, resp=Response(HTTP_200=ForecastOut, **ERRORS), tags=TAGS)
def workforce_forecast():
    """Contacts, handle time and agents needed per 30-minute slot of a queue's week."""
    query: ForecastQuery = request.context.query
    monday = parse_week(query.week)
    week = plan.forecast_week(session=db.session(), queue_id=query.queue, monday=monday,
                              now=now())  # fmt: skip
    return ForecastOut(queue=query.queue, week=week_label(monday), method=week.method,
                       mape=week.mapes, slots=[SlotOut(**vars(s)) for s in week.slots])  # fmt: skip


@bp.get("/workforce/blocks")
@roles_required(*ANY_ROLE)
@api_spec.validate(query=BlocksQuery, resp=Response(HTTP_200=BlockList, **ERRORS), tags=TAGS)
def workforce_blocks():
    """Agents: the week's blocks they may book (certified programs, open to their tier) or
    hold, with their state. Supervisors and admins: every block of the week."""
    monday = parse_week(request.context.query.week)
    session = db.session()
    if current_user.role is Role.AGENT:
        agent = roster.agent_or_raise(session=session, agent_id=my_agent_id())
        programs = [p.id for p in agent.programs]
        rows = blocks.blocks_for_agent(session=session, agent_id=agent.id, monday=monday,
                                       now=now(), program_ids=programs)  # fmt: skip
        items = [block_out(b, c) for b, c in rows]
    else:
        items = [block_out(b) for b in blocks.list_blocks(session=session, monday=monday)]
    return BlockList(week=week_label(monday), items=items)


def _commitment_out(commitment) -> CommitmentOut:
    return CommitmentOut(block=block_out(commitment.block, commitment),
                         state=commitment.state.value, committed_at=commitment.committed_at,
                         late=commitment.late)  # fmt: skip


@bp.post("/workforce/blocks/<int:block_id>/commit")
@roles_required(Role.AGENT)
@api_spec.validate(query=CommitQuery, resp=Response(HTTP_200=CommitmentOut, **ERRORS),
                   tags=TAGS)  # fmt: skip
def commit_block(block_id: int):
    """Book a seat (or `?waitlist=true`: join the waitlist when full). 403 not certified; 409
    past, closed, full, not yet open to your tier, over budget or overlapping."""
    commitment = bookings.commit(session=db.session(), agent_id=my_agent_id(),
                                 block_id=block_id, now=now(),
                                 waitlist=request.context.query.waitlist)  # fmt: skip
    return _commitment_out(commitment)


@bp.delete("/workforce/blocks/<int:block_id>/commit")
@roles_required(Role.AGENT)
@api_spec.validate(resp=Response(HTTP_200=CommitmentOut, **ERRORS), tags=TAGS)
def uncommit_block(block_id: int):
    """Release your seat or waitlist place; late (past the free window) is reported."""
    commitment = bookings.uncommit(session=db.session(), agent_id=my_agent_id(),
                                   block_id=block_id, now=now())  # fmt: skip
    return _commitment_out(commitment)


@bp.patch("/workforce/blocks/<int:block_id>")
@roles_required(*STAFF)
@api_spec.validate(json=BlockPatch, resp=Response(HTTP_200=BlockOut, **ERRORS), tags=TAGS)
def update_block(block_id: int):
    """Change a block's needed count (not below its booked seats) and hot-block bonus."""
    body: BlockPatch = request.context.json
    session = db.session()
    block = bookings.block_or_raise(session=session, block_id=block_id)
    if body.needed is not None:
        block = blocks.set_needed(session=session, block_id=block_id, needed=body.needed,
                                  now=now())  # fmt: skip
    if body.bonus_per_minute is not None:
        block = blocks.set_bonus(session=session, block_id=block_id,
                                 bonus_per_minute=body.bonus_per_minute)  # fmt: skip
    return block_out(block)


@bp.post("/workforce/publish")
@roles_required(*STAFF)
@api_spec.validate(json=PublishIn, resp=Response(HTTP_200=PublishOut, **ERRORS), tags=TAGS)
def publish_week():
    """Plan every queue's week from the forecast and open its blocks for booking."""
    monday = parse_week(request.context.json.week)
    published = publishing.publish_week(session=db.session(), monday=monday, now=now())
    return PublishOut(week=week_label(monday), items=[PublishedOut(**vars(p)) for p in published])


@bp.put("/workforce/overrides")
@roles_required(*STAFF)
@api_spec.validate(json=OverrideIn, resp=Response(HTTP_200=OverrideOut, **ERRORS), tags=TAGS)
def put_override():
    """Replace one slot's forecast contacts (a campaign, a holiday)."""
    body: OverrideIn = request.context.json
    if body.start.tzinfo is None:
        abort(422, "give the slot start with its UTC offset")
    row = plan.set_override(session=db.session(), queue_id=body.queue, starts_at=body.start,
                            contacts=body.contacts, note=body.note, actor_id=current_user.id,
                            now=now())  # fmt: skip
    return OverrideOut(queue=row.queue_id, start=row.starts_at, contacts=row.contacts,
                       note=row.note)  # fmt: skip


@bp.put("/workforce/agents/<int:agent_id>/tier")
@roles_required(*STAFF)
@api_spec.validate(json=TierIn, resp=Response(HTTP_200=TierOut, **ERRORS), tags=TAGS)
def set_agent_tier(agent_id: int):
    """Set an agent's tier (weekly budget and booking window), with the reason; audited."""
    body: TierIn = request.context.json
    row = standing.set_tier(db.session(), agent_id, body.tier, body.reason,
                            actor_id=current_user.id, now=now())  # fmt: skip
    return TierOut(agent_id=row.agent_id, tier=row.tier, reason=row.tier_reason)


@bp.get("/workforce/adherence")
@roles_required(*ANY_ROLE)
@api_spec.validate(query=AdherenceQuery, resp=Response(HTTP_200=AdherenceOut, **ERRORS),
                   tags=TAGS)  # fmt: skip
def workforce_adherence():
    """Per booked block of the day: on time, minutes available vs booked, no-show; the day's
    adherence and the agent's reliability. Agents see only their own."""
    query: AdherenceQuery = request.context.query
    session = db.session()
    if current_user.role is Role.AGENT and query.agent_id != my_agent_id():
        abort(403, "agents see only their own adherence")
    roster.agent_or_raise(session=session, agent_id=query.agent_id)
    day = datetime(query.day.year, query.day.month, query.day.day, tzinfo=UTC)
    rows = adherence.day_adherence(session=session, agent_id=query.agent_id, day=day, now=now())
    return AdherenceOut(
        agent_id=query.agent_id, day=query.day.isoformat(),
        blocks=[BlockAdherenceOut(block_id=r.block.id, queue_id=r.block.queue_id,
                                  start=r.block.starts_at, end=r.block.ends_at,
                                  on_time=r.on_time, minutes_booked=r.minutes_booked,
                                  minutes_available=r.minutes_available, no_show=r.no_show)
                for r in rows],
        adherence=adherence.adherence_share(rows),
        reliability=adherence.reliability(session=session, agent_id=query.agent_id, now=now()),
    )  # fmt: skip
