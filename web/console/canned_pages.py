"""Canned responses: supervisors and admins manage each program's list (the page
`/console/canned` and `/api/v1/canned-responses`); agents read their programs' lists from the
console (`/console/api/canned`). Bad input: 422 naming each field, nothing written."""

from __future__ import annotations

from flask import abort, flash, jsonify, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from agents import audit, programs, roster
from agents.models import Role
from channels import canned
from channels.models import CannedResponse
from web import db
from web.access import STAFF, roles_required
from web.console.blueprint import bp


def _refused(status: int, message: str, fields: dict | None = None):
    abort(make_response(jsonify({"error": message, "fields": fields or {}}), status))


def _record(action: str, response: CannedResponse) -> None:
    audit.record(session=db.session(), actor_id=current_user.id, action=action,
                 entity_type="canned_response", entity_id=response.id,
                 after=canned.as_json(response))  # fmt: skip


def _write(work):
    try:
        return work()
    except canned.CannedError as error:
        db.session().rollback()
        _refused(422, str(error), error.fields)


@bp.get("/api/v1/canned-responses")
@roles_required(*STAFF)
def list_canned():
    """Every program's canned responses, or one program's (`?program_id=`)."""
    session = db.session()
    wanted = request.args.get("program_id")
    if wanted is not None and not wanted.isdigit():
        _refused(422, "program_id: a program id", {"program_id": "a program id"})
    ids = [int(wanted)] if wanted else [p.id for p in programs.list_programs(session=session)]
    found = canned.list_for(session=session, program_ids=ids)
    return {"items": [canned.as_json(r, code) for r, code in found]}


@bp.post("/api/v1/canned-responses")
@roles_required(*STAFF)
def create_canned():
    """{program_id, shortcut, title, body} → 201 with the response."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        _refused(422, "a JSON object is expected", {"payload": "a JSON object is expected"})
    response = _write(lambda: canned.create(session=db.session(), body=body))
    _record("canned.create", response)
    db.session().commit()
    return canned.as_json(response), 201


def _response_or_404(response_id: int) -> CannedResponse:
    response = db.session().get(CannedResponse, response_id)
    if response is None:
        _refused(404, "no such canned response")
    return response


@bp.patch("/api/v1/canned-responses/<int:response_id>")
@roles_required(*STAFF)
def update_canned(response_id: int):
    """Any of {program_id, shortcut, title, body}."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        _refused(422, "a JSON object is expected", {"payload": "a JSON object is expected"})
    response = _response_or_404(response_id)
    _write(lambda: canned.update(session=db.session(), response=response, body=body))
    _record("canned.update", response)
    db.session().commit()
    return canned.as_json(response)


@bp.delete("/api/v1/canned-responses/<int:response_id>")
@roles_required(*STAFF)
def delete_canned(response_id: int):
    response = _response_or_404(response_id)
    _record("canned.delete", response)
    db.session().delete(response)
    db.session().commit()
    return "", 204


@bp.get("/console/api/canned")
@roles_required(Role.AGENT)
def my_canned():
    """The canned responses of the agent's programs (the console filters by the task's)."""
    session = db.session()
    agent = roster.get_by_user(session=session, user_id=current_user.id)
    ids = [p.id for p in agent.programs] if agent is not None else []
    return {"items": [canned.as_json(r, code) for r, code in canned.list_for(
        session=session, program_ids=ids)]}  # fmt: skip


@bp.route("/console/canned", methods=["GET", "POST"])
@roles_required(*STAFF)
def canned_page():
    """The page: each program's responses, a form to add one, a button to delete each."""
    session = db.session()
    errors: dict[str, str] = {}
    form = {}
    if request.method == "POST":
        form = {k: request.form.get(k, "") for k in ("program_id", "shortcut", "title", "body")}
        body = {**form, "program_id": int(form["program_id"]) if form["program_id"].isdigit()
                else None}  # fmt: skip
        try:
            response = canned.create(session=session, body=body)
        except canned.CannedError as error:
            session.rollback()
            errors = error.fields
        else:
            _record("canned.create", response)
            session.commit()
            flash(f"Added /{response.shortcut}.", "info")
            return redirect(url_for("console.canned_page"))
    every = programs.list_programs(session=session)
    found = canned.list_for(session=session, program_ids=[p.id for p in every])
    return render_template("console/canned.html", programs=every, responses=found,
                           errors=errors, form=form), (422 if errors else 200)  # fmt: skip


@bp.post("/console/canned/<int:response_id>/delete")
@roles_required(*STAFF)
def delete_canned_page(response_id: int):
    response = db.session().get(CannedResponse, response_id)
    if response is None:
        abort(404)
    _record("canned.delete", response)
    db.session().delete(response)
    db.session().commit()
    flash(f"Deleted /{response.shortcut}.", "info")
    return redirect(url_for("console.canned_page"))
