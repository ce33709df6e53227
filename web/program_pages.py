"""Client program pages: staff see the list, admins create and edit."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from agents import programs
from agents.errors import RosterError
from agents.models import Role
from web import db
from web.access import STAFF, roles_required
from web.forms import ProgramForm, attach_error

bp = Blueprint("programs", __name__, url_prefix="/programs")


@bp.get("/")
@roles_required(*STAFF)
def index():
    return render_template(
        "programs/index.html", programs=programs.list_programs(session=db.session())
    )


@bp.route("/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def new():
    form = ProgramForm()
    if form.validate_on_submit():
        try:
            program = programs.create_program(
                session=db.session(),
                actor_id=current_user.id,
                code=form.code.data or "",
                name=form.name.data or "",
                client_name=form.client_name.data or "",
                description=form.description.data or "",
                pay_rate_per_minute=(form.pay_rate_per_minute.data or "0").strip() or "0",
            )
        except RosterError as error:
            attach_error(form, error)
            return render_template("programs/form.html", form=form, program=None), 422
        flash(f"Created program {program.name}.", "info")
        return redirect(url_for("programs.index"))
    return render_template("programs/form.html", form=form, program=None), (
        400 if form.errors else 200
    )


@bp.route("/<int:program_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit(program_id: int):
    session = db.session()
    try:
        program = programs.program_or_raise(session=session, program_id=program_id)
    except RosterError:
        abort(404)
    form = ProgramForm(obj=program)
    del form.code  # the code is the program's stable key; it never changes
    if form.validate_on_submit():
        names = ("name", "client_name", "description", "is_active", "pay_rate_per_minute")
        changes = {n: form[n].data for n in names}
        try:
            programs.update_program(
                session=session, actor_id=current_user.id, program=program, changes=changes
            )
        except RosterError as error:
            attach_error(form, error)
            return render_template("programs/form.html", form=form, program=program), 422
        flash(f"Saved program {program.name}.", "info")
        return redirect(url_for("programs.index"))
    return render_template("programs/form.html", form=form, program=program), (
        400 if form.errors else 200
    )
