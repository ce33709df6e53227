"""Roster API: agents (list, create, read, edit, stage, history) and the agent's own profile."""

from __future__ import annotations

from flask import abort, request
from flask_login import current_user
from spectree import Response

from agents import audit, roster, users
from agents.models import Agent, Role
from web import db
from web.access import STAFF, roles_required
from web.api.blueprint import bp
from web.api.schemas import (
    AgentCreate,
    AgentOut,
    AgentPage,
    AgentQuery,
    AgentUpdate,
    AuditOut,
    AuditPage,
    AuditQuery,
    ErrorOut,
    ProfileUpdate,
    StageChangeIn,
    StageChangeOut,
    StageHistory,
)
from web.api.spec import api_spec

TAGS = ["roster"]
ERRORS = {"HTTP_401": ErrorOut, "HTTP_403": ErrorOut, "HTTP_404": ErrorOut, "HTTP_422": ErrorOut}


def agent_out(agent: Agent) -> AgentOut:
    values = roster.snapshot(agent)
    return AgentOut(
        id=agent.id,
        user_id=agent.user_id,
        stage_changed_at=agent.stage_changed_at,
        **{**values, "pay_rate_per_minute": agent.pay_rate_per_minute},
    )


@bp.get("/agents")
@roles_required(*STAFF)
@api_spec.validate(query=AgentQuery, resp=Response(HTTP_200=AgentPage, **ERRORS), tags=TAGS)
def list_agents():
    """Search the roster (name, email or phone), filter by stage, program and language."""
    query: AgentQuery = request.context.query
    filters = roster.RosterFilter(
        q=query.q,
        stage=query.stage,
        program=query.program,
        language=(query.language or "").lower() or None,
        page=query.page,
        per_page=query.per_page,
    )
    agents, total = roster.list_agents(session=db.session(), filters=filters)
    return AgentPage(
        items=[agent_out(a) for a in agents], total=total, page=query.page, per_page=query.per_page
    )


@bp.post("/agents")
@roles_required(*STAFF)
@api_spec.validate(
    json=AgentCreate, resp=Response(HTTP_201=AgentOut, HTTP_409=ErrorOut, **ERRORS), tags=TAGS
)
def create_agent():
    """Add a contractor at the applicant stage, with an initial password; without a pay rate
    (only admins may give one) the agent gets their programs' rate."""
    body: AgentCreate = request.context.json
    session = db.session()
    user = users.create_user(
        session=session,
        email=body.email,
        display_name=body.display_name,
        password=body.password,
        role=Role.AGENT,
        actor_id=current_user.id,
    )
    changes = body.model_dump(include={"phone", "languages", "timezone", "programs"})
    if body.pay_rate_per_minute is not None:
        changes["pay_rate_per_minute"] = body.pay_rate_per_minute
    roster.update_agent(session=session, actor=current_user, agent=user.agent, changes=changes)
    if body.pay_rate_per_minute is None:
        roster.set_default_pay_rate(session=session, actor=current_user, agent=user.agent)
    return agent_out(user.agent), 201


@bp.get("/agents/<int:agent_id>")
@roles_required(*STAFF)
@api_spec.validate(resp=Response(HTTP_200=AgentOut, **ERRORS), tags=TAGS)
def get_agent(agent_id: int):
    return agent_out(roster.agent_or_raise(session=db.session(), agent_id=agent_id))


@bp.patch("/agents/<int:agent_id>")
@roles_required(*STAFF)
@api_spec.validate(json=AgentUpdate, resp=Response(HTTP_200=AgentOut, **ERRORS), tags=TAGS)
def update_agent(agent_id: int):
    """Change profile fields; pay_rate_per_minute needs the admin role."""
    session = db.session()
    agent = roster.agent_or_raise(session=session, agent_id=agent_id)
    changes = request.context.json.model_dump(exclude_unset=True)
    roster.update_agent(session=session, actor=current_user, agent=agent, changes=changes)
    return agent_out(agent)


@bp.post("/agents/<int:agent_id>/stage")
@roles_required(*STAFF)
@api_spec.validate(
    json=StageChangeIn, resp=Response(HTTP_200=AgentOut, HTTP_409=ErrorOut, **ERRORS), tags=TAGS
)
def change_stage(agent_id: int):
    """Move along onboarding (applicant → training → certified → active), suspend with a reason,
    or reactivate (back to the stage held when suspended)."""
    session = db.session()
    agent = roster.agent_or_raise(session=session, agent_id=agent_id)
    body: StageChangeIn = request.context.json
    roster.change_stage(
        session=session, actor=current_user, agent=agent, to_stage=body.stage, reason=body.reason
    )
    return agent_out(agent)


@bp.get("/agents/<int:agent_id>/history")
@roles_required(*STAFF)
@api_spec.validate(resp=Response(HTTP_200=StageHistory, **ERRORS), tags=TAGS)
def stage_history(agent_id: int):
    session = db.session()
    agent = roster.agent_or_raise(session=session, agent_id=agent_id)
    changes = roster.stage_history(session=session, agent=agent)
    return StageHistory(
        items=[StageChangeOut.model_validate(c, from_attributes=True) for c in changes]
    )


@bp.get("/me")
@roles_required(Role.AGENT)
@api_spec.validate(resp=Response(HTTP_200=AgentOut, **ERRORS), tags=TAGS)
def get_me():
    """The calling agent's own profile."""
    return agent_out(_my_agent())


@bp.patch("/me")
@roles_required(Role.AGENT)
@api_spec.validate(json=ProfileUpdate, resp=Response(HTTP_200=AgentOut, **ERRORS), tags=TAGS)
def update_me():
    """An agent edits their own name, phone, languages and time zone (not role, stage or pay)."""
    agent = _my_agent()
    roster.update_agent(
        session=db.session(),
        actor=current_user,
        agent=agent,
        changes=request.context.json.model_dump(exclude_unset=True),
    )
    return agent_out(agent)


@bp.get("/audit")
@roles_required(*STAFF)
@api_spec.validate(query=AuditQuery, resp=Response(HTTP_200=AuditPage, **ERRORS), tags=["audit"])
def list_audit():
    """Newest first; ?entity_type=agent&entity_id=3&limit=50&offset=0."""
    query: AuditQuery = request.context.query
    entries, total = audit.list_entries(
        session=db.session(), entity_type=query.entity_type, entity_id=query.entity_id,
        limit=query.limit, offset=query.offset,
    )  # fmt: skip
    return AuditPage(
        items=[AuditOut.model_validate(e, from_attributes=True) for e in entries], total=total
    )


def _my_agent() -> Agent:
    agent = roster.get_by_user(session=db.session(), user_id=current_user.id)
    if agent is None:
        abort(404)
    return agent
