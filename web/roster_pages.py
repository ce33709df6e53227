"""Supervisor and admin pages for the contractor roster: list, detail, edit, new, stage moves."""

from __future__ import annotations

import math

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import SelectChoice

from agents import audit, programs, roster, users
from agents.errors import RosterError
from agents.models import Role, Stage
from web import db
from web.access import STAFF, roles_required
from web.forms import (
    FilterForm,
    NewAgentForm,
    ProfileForm,
    StageForm,
    attach_error,
    fill_profile,
    keep_fields,
)
from web.guards import int_arg

bp = Blueprint("roster", __name__, url_prefix="/roster")


@bp.get("/")
@roles_required(*STAFF)
def index():
    session = db.session()
    form = FilterForm(request.args)
    all_programs = programs.list_programs(session=session)
    form.program.choices = [SelectChoice("", "Any program")] + [
        SelectChoice(p.code, p.name) for p in all_programs
    ]
    stage = request.args.get("stage") or None
    filters = roster.RosterFilter(
        q=request.args.get("q", ""),
        stage=Stage(stage) if stage in Stage._value2member_map_ else None,
        program=request.args.get("program") or None,
        language=(request.args.get("language") or "").strip().lower() or None,
        page=int_arg("page", 1),
        per_page=int_arg("per_page", 25, maximum=roster.MAX_PER_PAGE),
    )
    agents, total = roster.list_agents(session=session, filters=filters)
    pages = max(1, math.ceil(total / max(1, min(filters.per_page, roster.MAX_PER_PAGE))))
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template(
        "roster/index.html",
        form=form,
        agents=agents,
        total=total,
        page=filters.page,
        pages=pages,
        args=args,
    )


@bp.get("/<int:agent_id>")
@roles_required(*STAFF)
def detail(agent_id: int):
    return _render_detail(_agent_or_404(agent_id))


def _render_detail(agent, *, status: int = 200, error: str | None = None):
    session = db.session()
    entries, _ = audit.list_entries(session=session, entity_type="agent", entity_id=agent.id)
    suspended = agent.stage is Stage.SUSPENDED
    return render_template(
        "roster/detail.html",
        agent=agent,
        stage_form=StageForm(),
        error=error,
        history=roster.stage_history(session=session, agent=agent),
        audit_entries=entries,
        next_stage=roster.FORWARD.get(agent.stage),
        resume_stage=roster.stage_before_suspension(session=session, agent=agent)
        if suspended
        else None,
    ), status


@bp.route("/<int:agent_id>/edit", methods=["GET", "POST"])
@roles_required(*STAFF)
def edit(agent_id: int):
    session = db.session()
    agent = _agent_or_404(agent_id)
    editable = roster.editable_fields(current_user, agent)
    form = _with_program_choices(keep_fields(ProfileForm(), set(editable)))
    if form.validate_on_submit():
        changes = {name: form[name].data for name in editable}
        try:
            roster.update_agent(session=session, actor=current_user, agent=agent, changes=changes)
        except RosterError as error:
            attach_error(form, error)
            return render_template("roster/form.html", form=form, agent=agent), 422
        flash(f"Saved {agent.user.display_name}.", "info")
        return redirect(url_for("roster.detail", agent_id=agent.id))
    if not form.is_submitted():
        fill_profile(form, agent)
    return render_template("roster/form.html", form=form, agent=agent), 400 if form.errors else 200


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*STAFF)
def new():
    session = db.session()
    editable = (
        roster.ADMIN_EDITABLE if current_user.role is Role.ADMIN else roster.SUPERVISOR_EDITABLE
    )
    form = _with_program_choices(keep_fields(NewAgentForm(), set(editable)))
    if form.validate_on_submit():
        try:
            user = users.create_user(
                session=session,
                email=form.email.data or "",
                display_name=form.display_name.data or "",
                password=form.password.data or "",
                role=Role.AGENT,
                actor_id=current_user.id,
            )
            changes = {n: form[n].data for n in editable if n != "display_name"}
            rate_given = bool((changes.pop("pay_rate_per_minute", None) or "").strip())
            if rate_given:
                changes["pay_rate_per_minute"] = form.pay_rate_per_minute.data
            roster.update_agent(
                session=session, actor=current_user, agent=user.agent, changes=changes
            )
            if not rate_given:  # blank: the program's rate
                roster.set_default_pay_rate(session=session, actor=current_user, agent=user.agent)
        except RosterError as error:
            attach_error(form, error)
            return render_template("roster/form.html", form=form, agent=None), 422
        flash(f"Added {user.display_name} as an applicant.", "info")
        return redirect(url_for("roster.detail", agent_id=user.agent.id))
    if not form.is_submitted():
        form.timezone.data = "UTC"
    return render_template("roster/form.html", form=form, agent=None), 400 if form.errors else 200


@bp.post("/<int:agent_id>/stage")
@roles_required(*STAFF)
def change_stage(agent_id: int):
    session = db.session()
    agent = _agent_or_404(agent_id)
    form = StageForm()
    if not form.validate_on_submit():
        abort(400)
    if form.to_stage.data not in Stage._value2member_map_:
        return _render_detail(agent, status=400, error=f"Unknown stage '{form.to_stage.data}'.")
    try:
        roster.change_stage(
            session=session,
            actor=current_user,
            agent=agent,
            to_stage=Stage(form.to_stage.data),
            reason=form.reason.data or "",
        )
    except RosterError as error:
        session.rollback()
        return _render_detail(_agent_or_404(agent_id), status=error.status, error=error.message)
    flash(f"{agent.user.display_name} is now {agent.stage.value}.", "info")
    return redirect(url_for("roster.detail", agent_id=agent.id))


def _agent_or_404(agent_id: int):
    try:
        return roster.agent_or_raise(session=db.session(), agent_id=agent_id)
    except RosterError:
        abort(404)


def _with_program_choices(form):
    if "programs" in form:
        form.programs.choices = [
            (p.code, f"{p.name} ({p.client_name})")
            for p in programs.list_programs(session=db.session())
        ]
    return form
