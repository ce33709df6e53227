"""Quality pages: `/quality/reviews` (staff: the review queue of their programs),
`/quality/reviews/<id>` (the scorecard form beside the contact's recording or chat transcript;
POST scores it), `/quality/me` (an agent: their performance score's breakdown and their
reviews, each acknowledged with a button)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from agents.models import Agent, Role, User
from channels import contacts
from channels.models import Contact
from database.base import utcnow
from quality import performance, recordings, reviews, scorecards
from quality.errors import QualityError
from quality.models import Scorecard
from web import db
from web.access import STAFF, roles_required
from web.quality.blueprint import bp


@bp.get("/quality/reviews")
@roles_required(*STAFF)
def review_queue():
    """Queued reviews first, then the latest scored ones, of the programs the user reviews."""
    session = db.session()
    queued = reviews.visible(session=session, user=current_user, status="queued")
    done = [r for r in reviews.visible(session=session, user=current_user)
            if r.status != "queued"][:50]  # fmt: skip
    return render_template("quality/queue.html", queued=queued, done=done,
                           names=_agent_names(queued + done))  # fmt: skip


def _agent_names(rows) -> dict[str, str]:
    """Roster agent id (as the reviews hold it) → the agent's display name."""
    ids = {int(r.agent_id) for r in rows if str(r.agent_id or "").isdigit()}
    found = db.session().execute(select(Agent.id, User.display_name)
                                 .join(User, User.id == Agent.user_id).where(Agent.id.in_(ids)))
    return {str(agent_id): name for agent_id, name in found}


@bp.route("/quality/reviews/<int:review_id>", methods=["GET", "POST"])
@roles_required(*STAFF)
def review_page(review_id: int):
    """The form beside the recording or transcript; POST {answer-<id>: yes|no|na, comment}."""
    session = db.session()
    try:
        review = reviews.get_or_raise(session=session, review_id=review_id, user=current_user)
    except QualityError as error:
        return render_template("error.html", status=error.status,
                               message=error.message), error.status
    errors = {}
    if request.method == "POST":
        card = session.get(Scorecard, review.scorecard_id)
        asked = scorecards.questions(card)
        answers = {q["id"]: request.form.get(f"answer-{q['id']}") for q in asked}
        try:
            reviews.score(session=session, review_id=review_id, reviewer=current_user,
                          answers=answers, comment=request.form.get("comment", ""),
                          now=utcnow())  # fmt: skip
        except QualityError as error:
            session.rollback()
            errors[error.field] = error.message
        else:
            session.commit()
            flash(f"Review scored: {review.score:.0f} / 100.", "success")
            return redirect(url_for("quality.review_queue"))
    return _form(review, errors), (422 if errors else 200)


def _form(review, errors: dict):
    session = db.session()
    contact = session.get(Contact, review.task_id)
    return render_template(
        "quality/review.html", review=review, contact=contact, errors=errors,
        card=session.get(Scorecard, review.scorecard_id),
        recordings=recordings.for_task(session=session, task_id=review.task_id),
        transcript=contacts.transcript(session=session, task_id=review.task_id),
        posted=request.form if request.method == "POST" else {},
    )  # fmt: skip


@bp.get("/quality/me")
@roles_required(Role.AGENT)
def my_quality():
    """The agent's score (per program, with each component) and their scored reviews."""
    session = db.session()
    agent_id = str(current_user.agent.id) if current_user.agent else ""
    return render_template(
        "quality/me.html", scores=performance.for_agent(session=session, agent_id=agent_id),
        reviews=reviews.visible(session=session, user=current_user),
        components=performance.COMPONENTS,
    )  # fmt: skip


@bp.post("/quality/me/reviews/<int:review_id>/acknowledge")
@roles_required(Role.AGENT)
def acknowledge(review_id: int):
    try:
        reviews.acknowledge(session=db.session(), review_id=review_id, agent=current_user,
                            now=utcnow())  # fmt: skip
    except QualityError as error:
        flash(error.message, "error")
        return redirect(url_for("quality.my_quality")), 303
    db.session().commit()
    flash("Review acknowledged.", "success")
    return redirect(url_for("quality.my_quality"), 303)
