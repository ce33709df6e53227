"""The agent's training pages: my courses, enrol, lessons, quizzes, results, my certificates.

Quiz pages carry prompts and choices only; grading and the correct keys stay on the server.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from agents.errors import RosterError
from agents.models import Role
from database.base import utcnow
from training import attempts, certification, courses, enrolments
from training.lessons import render_lesson
from training.models import Attempt
from web import db
from web.access import ANY_ROLE, roles_required
from web.training.forms import ActionForm

bp = Blueprint("training", __name__, url_prefix="/training")


def _me():
    agent = current_user.agent
    if agent is None:
        abort(403)
    return agent


@bp.get("/")
@roles_required(Role.AGENT)
def my_courses():
    session, agent, now = db.session(), _me(), utcnow()
    rows = []
    for course in courses.courses_for_agent(session=session, agent=agent):
        enrolment = enrolments.open_enrolment(
            session=session, agent_id=agent.id, course_id=course.id
        )
        progress = (
            enrolments.progress(session=session, enrolment=enrolment, now=now)
            if (enrolment)
            else []
        )
        held = [
            c
            for c in certification.list_certifications(
                session=session, agent_id=agent.id, course_id=course.id
            )
            if c.superseded_at is None
        ]
        rows.append(
            {
                "course": course,
                "enrolment": enrolment,
                "passed": sum(1 for p in progress if p.passed),
                "certification": held[0] if held else None,
                "closed": None if enrolment else enrolments.enrol_refusal(
                    session=session, agent_id=agent.id, course=course, now=now),
            }
        )  # fmt: skip
    return render_template("training/my_courses.html", rows=rows, now=now, form=ActionForm())


@bp.post("/courses/<int:course_id>/enrol")
@roles_required(Role.AGENT)
def enrol(course_id: int):
    session = db.session()
    course = courses.course_or_raise(session=session, course_id=course_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        enrolments.enrol(session=session, agent=_me(), course=course)
    except RosterError as error:  # e.g. recertification not open yet: say so on the page
        return _render_course(course.id, error=error.message, status=error.status)
    flash(f"You are enrolled in {course.current.title}.", "info")
    return redirect(url_for("training.course", course_id=course.id))


@bp.get("/courses/<int:course_id>")
@roles_required(Role.AGENT)
def course(course_id: int):
    return _render_course(course_id)


def _render_course(course_id: int, *, error: str | None = None, status: int = 200):
    session, agent, now = db.session(), _me(), utcnow()
    found = courses.course_or_raise(session=session, course_id=course_id)
    enrolments.check_may_train(agent, found)
    enrolment = enrolments.open_enrolment(session=session, agent_id=agent.id, course_id=found.id)
    rows = []
    if enrolment is not None:
        for item in enrolments.progress(session=session, enrolment=enrolment, now=now):
            tried = enrolments.attempts_of(session, enrolment, item.module)
            closed = None if item.passed or item.open_attempt else attempts.start_refusal(
                session=session, enrolment=enrolment, module=item.module, now=now)  # fmt: skip
            rows.append((item, attempts.next_allowed_at(item.module, tried), closed))
    held = certification.list_certifications(session=session, agent_id=agent.id, course_id=found.id)
    return render_template(
        "training/course.html",
        course=found,
        version=enrolment.version if enrolment else found.current,
        enrolment=enrolment,
        rows=rows,
        certification=held[0] if held else None,
        enrol_closed=None if enrolment else enrolments.enrol_refusal(
            session=session, agent_id=agent.id, course=found, now=now),
        error=error,
        now=now,
        form=ActionForm(),
    ), status


@bp.get("/modules/<int:module_id>")
@roles_required(*ANY_ROLE)
def lesson(module_id: int):
    """The lesson, rendered from Markdown and sanitised; staff see it as a preview."""
    module = courses.module_or_raise(session=db.session(), module_id=module_id)
    if current_user.role is Role.AGENT:
        enrolments.check_may_train(_me(), module.version.course)
    html = Markup(render_lesson(module.lesson_markdown))  # noqa: S704  (sanitised by nh3)
    return render_template("training/lesson.html", module=module, html=html, form=ActionForm())


@bp.post("/modules/<int:module_id>/attempts")
@roles_required(Role.AGENT)
def start_attempt(module_id: int):
    session = db.session()
    module = courses.module_or_raise(session=session, module_id=module_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        attempt = attempts.start_attempt(session=session, agent=_me(), module_id=module.id)
    except RosterError as error:
        return _render_course(module.version.course_id, error=error.message, status=error.status)
    return redirect(url_for("training.attempt", attempt_id=attempt.id))


@bp.get("/attempts/<int:attempt_id>")
@roles_required(*ANY_ROLE)
def attempt(attempt_id: int):
    """An open attempt shows the quiz (to its agent); a submitted one shows the result."""
    session = db.session()
    found = attempts.attempt_for(session=session, user=current_user, attempt_id=attempt_id)
    if found.submitted_at is None:
        if current_user.role is not Role.AGENT:
            return render_template("training/result.html", attempt=found, graded=[], open=True)
        return _render_quiz(found)
    graded = attempts.graded_questions(session=session, attempt=found)
    return render_template("training/result.html", attempt=found, graded=graded, open=False)


def _render_quiz(found: Attempt, *, error: str | None = None, status: int = 200):
    served = attempts.served_questions(session=db.session(), attempt=found)
    return render_template(
        "training/quiz.html",
        attempt=found,
        questions=served,
        error=error,
        now=utcnow(),
        form=ActionForm(),
    ), status


@bp.post("/attempts/<int:attempt_id>")
@roles_required(Role.AGENT)
def submit(attempt_id: int):
    session = db.session()
    if not ActionForm().validate_on_submit():
        abort(400)
    answers = {
        name[2:]: request.form.getlist(name) for name in request.form if name.startswith("q-")
    }
    # A refusal (tampered ids, resubmission, expiry) raises: a 4xx page, the request rolled back.
    found = attempts.submit_attempt(
        session=session, agent=_me(), attempt_id=attempt_id, answers=answers
    )
    if found.passed:
        flash(f"Passed with {found.score}%.", "info")
    return redirect(url_for("training.attempt", attempt_id=found.id))


@bp.get("/certificates")
@roles_required(Role.AGENT)
def my_certificates():
    session = db.session()
    held = certification.list_certifications(session=session, agent_id=_me().id)
    return render_template("training/certificates.html", certifications=held, now=utcnow())
