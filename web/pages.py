"""Landing, health check and the agent's own profile page."""

from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from agents import roster
from agents.errors import RosterError
from agents.models import Role
from web import db
from web.access import ANY_ROLE, roles_required
from web.auth import home_for
from web.forms import ProfileForm, attach_error, fill_profile, keep_fields

bp = Blueprint("pages", __name__)


@bp.get("/favicon.ico")
def favicon():
    """Public: the icon for browsers that ask for /favicon.ico (pages link the SVG)."""
    return redirect(url_for("static", filename="favicon.svg"), code=301)


@bp.get("/healthz")
def healthz():
    """200 when the database answers, 503 otherwise; public, for load balancers."""
    try:
        db.session().execute(text("SELECT 1"))
    except SQLAlchemyError:
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok", database="ok")


@bp.get("/")
@roles_required(*ANY_ROLE)
def home():
    return redirect(home_for(current_user.role))


@bp.route("/me", methods=["GET", "POST"])
@roles_required(Role.AGENT)
def my_profile():
    session = db.session()
    agent = roster.get_by_user(session=session, user_id=current_user.id)
    form = keep_fields(ProfileForm(), set(roster.SELF_EDITABLE))
    if form.validate_on_submit():
        try:
            roster.update_agent(
                session=session,
                actor=current_user,
                agent=agent,
                changes={name: form[name].data for name in roster.SELF_EDITABLE},
            )
        except RosterError as error:
            attach_error(form, error)
            return render_template("profile.html", form=form, agent=agent), 422
        flash("Your profile is saved.", "info")
        return redirect(url_for("pages.my_profile"))
    if not form.is_submitted():
        fill_profile(form, agent)
    return render_template("profile.html", form=form, agent=agent), 400 if form.errors else 200
