"""Community moderation pages for staff and super users: the review queue (flagged posts and
posts held for review) with the audit log, and hide / restore with a reason."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for

from community import moderation, posts
from community.errors import CommunityError
from web import db
from web.community.blueprint import bp, writer
from web.community.forms import ModerateForm


def _moderator():
    """The signed-in super user or staff user; others are sent to sign in (anonymous,
    agents) or refused (members)."""
    actor = writer()
    if not posts.can_moderate(actor):
        abort(403)
    return actor


@bp.get("/review")
def review():
    """Staff and super users: posts waiting for review, oldest first, and the audit log."""
    _moderator()
    session, program = db.session(), g.community_program
    return render_template(
        "community/review.html", program=program,
        items=moderation.review_queue(session=session, program_id=program.id),
        log=moderation.audit_log(session=session, program_id=program.id),
        figures=moderation.review_figures(session=session, program_id=program.id),
        form=ModerateForm(formdata=None),
    )  # fmt: skip


@bp.post("/posts/<int:post_id>/moderate")
def moderate(post_id: int):
    """Staff and super users: hide or restore (release) a post, with a reason."""
    actor = _moderator()
    post = posts.post_or_raise(session=db.session(), post_id=post_id,
                               program_id=g.community_program.id)  # fmt: skip
    form = ModerateForm()
    if not form.validate_on_submit():
        flash("Give a reason for the audit log.", "error")
        return redirect(url_for("community.review"))
    try:
        entry = moderation.moderate(session=db.session(), post=post, actor=actor,
                                    action=request.form.get("action", ""),
                                    reason=form.reason.data)  # fmt: skip
    except CommunityError as error:
        flash(error.message, "error")
        return redirect(url_for("community.review"))
    done = "hidden" if entry.action.value == "hide" else "visible again"
    flash(f"Post {post.id} is {done}.", "ok")
    return redirect(url_for("community.review"))
