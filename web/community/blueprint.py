"""The community blueprint under /community/<program>, and what its pages share: the program
looked up from the URL, private communities closed to anonymous readers, who is writing."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, request, url_for
from markupsafe import Markup

from community import posts
from community.rendering import render_post
from web import db
from web.community.forms import ActionForm
from web.community.identity import current_member, staff_user

bp = Blueprint("community", __name__, url_prefix="/community/<program>")


@bp.url_value_preprocessor
def _load_program(_endpoint, values):
    code = values.pop("program", "")
    g.community_program = posts.program_by_code_or_raise(session=db.session(), code=code)
    g.community_settings = posts.settings_for(
        session=db.session(), program_id=g.community_program.id
    )


@bp.url_defaults
def _add_program(endpoint, values):
    if "program" not in values and "community_program" in g:
        values["program"] = g.community_program.code


@bp.before_request
def _private_needs_a_member():
    if g.community_settings.is_public or current_member() or staff_user():
        return None
    if request.endpoint in ("community.join", "community.signin", "community.verify"):
        return None
    return redirect(url_for("community.signin", next=request.path))


@bp.app_context_processor
def _community_globals():
    return {"render_post": lambda body: Markup(render_post(body)),  # noqa: S704  (nh3)
            "community_member": current_member, "action_form": ActionForm}  # fmt: skip


def writer():
    """The member (verified) or staff user posting; anyone else is sent to sign in (None)."""
    member = current_member()
    if member is not None:
        if not member.is_verified:
            flash("Confirm your email address first: follow the link we sent you.", "error")
            abort(redirect(url_for("community.index")))
        return member
    staff = staff_user()
    if staff is not None:
        return staff
    abort(redirect(url_for("community.signin", next=request.path)))
