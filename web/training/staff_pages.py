"""Staff training pages: courses (import, edit, export), course reports, agent transcripts with
CSV export, and revoking a certification with a reason."""

from __future__ import annotations

from datetime import UTC, datetime, time

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from agents import roster
from agents.errors import RosterError
from agents.models import Role
from database.base import utcnow
from training import certification, courses, reports
from training.errors import CourseFileError
from training.impact import EligibilityLossUnconfirmed
from training.importer import Outcome, import_text
from web import db
from web.access import STAFF, roles_required
from web.forms import attach_error
from web.training.forms import CourseEditForm, CourseUploadForm, RevokeForm

bp = Blueprint("training_admin", __name__, url_prefix="/training/admin")
MAX_UPLOAD_CHARS = 900_000


@bp.get("/courses")
@roles_required(*STAFF)
def courses_index():
    return _render_index(CourseUploadForm())


def _render_index(form: CourseUploadForm, *, problems=(), status: int = 200, loss=None):
    found = courses.list_courses(session=db.session())
    return render_template(
        "training/admin_courses.html", courses=found, form=form, problems=problems, loss=loss
    ), status


@bp.post("/courses/import")
@roles_required(Role.ADMIN)
def import_course():
    """Upload a course file: the same importer as `crowdline training import`. A course newly
    required by a live program opens a dialog saying how many active agents would lose
    eligibility: import now (confirmed) or from a date, or cancel."""
    form = CourseUploadForm()
    if not form.validate_on_submit():
        return _render_index(form, status=400)
    text, name = _uploaded(form)
    if text is None:
        return _render_index(form, status=422)
    starts = form.required_from.data
    try:
        result = import_text(
            session=db.session(), text=text, file=name, actor_id=current_user.id,
            required_from=datetime.combine(starts, time(), UTC) if starts else None,
            confirm_eligibility_loss=form.confirm_eligibility_loss.data,
        )  # fmt: skip
    except CourseFileError as error:
        return _render_index(form, problems=[str(p) for p in error.problems], status=422)
    except EligibilityLossUnconfirmed as loss:
        db.session().rollback()
        form.course_text.data, form.file_name.data = text, name
        return _render_index(form, loss=loss, status=409)
    impact = result.impact.describe()
    flash(f"{result.describe()}." + (f" {impact}." if impact else ""), "info")
    return redirect(url_for("training_admin.courses_index"))


def _uploaded(form: CourseUploadForm) -> tuple[str | None, str]:
    """(text, file name) of the upload, or of the text the confirmation dialog re-posts."""
    if form.course_text.data and not form.course_file.data:
        return form.course_text.data[:MAX_UPLOAD_CHARS], form.file_name.data or "upload.yaml"
    upload = form.course_file.data
    if not upload or not upload.filename:
        form.course_file.errors = ["choose a course file to upload"]
        return None, ""
    try:
        text = upload.read(MAX_UPLOAD_CHARS + 1).decode("utf-8")
        if len(text) > MAX_UPLOAD_CHARS:
            raise ValueError
    except (UnicodeDecodeError, ValueError):
        form.course_file.errors = ["the file must be UTF-8 YAML under 900 KB"]
        return None, ""
    return text, upload.filename


@bp.route("/courses/<int:course_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit(course_id: int):
    session = db.session()
    course = courses.course_or_raise(session=session, course_id=course_id)
    current = course.current
    form = CourseEditForm()
    if not form.is_submitted():
        form.title.data, form.validity_days.data = current.title, current.validity_days
        form.pass_mark.data = min(m.pass_mark for m in current.modules)
    if form.validate_on_submit():
        changes = {
            "title": form.title.data,
            "validity_days": form.validity_days.data,
            "pass_mark": form.pass_mark.data,
        }
        try:
            result = courses.edit_course(
                session=session, course=course, changes=changes, actor_id=current_user.id
            )
        except RosterError as error:
            attach_error(form, error)
            return render_template("training/admin_edit.html", form=form, course=course), 422
        message = (
            "Nothing changed."
            if result.outcome is Outcome.UNCHANGED
            else f"Saved as version {result.version.version}."
        )
        flash(message, "info")
        return redirect(url_for("training_admin.courses_index"))
    status = 400 if form.errors else 200
    return render_template("training/admin_edit.html", form=form, course=course), status


@bp.get("/courses/<int:course_id>/export")
@roles_required(*STAFF)
def export(course_id: int):
    """The current version as a course file, to edit and upload again."""
    course = courses.course_or_raise(session=db.session(), course_id=course_id)
    name = f"{course.program.code}-{course.code}-v{course.current.version}.yaml"
    return Response(
        courses.export_course(course.current),
        mimetype="application/yaml",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/courses/<int:course_id>/report")
@roles_required(*STAFF)
def report(course_id: int):
    session = db.session()
    course = courses.course_or_raise(session=session, course_id=course_id)
    found = reports.course_report(session=session, course=course, at=utcnow())
    return render_template("training/report.html", report=found)


@bp.get("/courses/<int:course_id>/report.csv")
@roles_required(*STAFF)
def report_csv(course_id: int):
    session = db.session()
    course = courses.course_or_raise(session=session, course_id=course_id)
    found = reports.course_report(session=session, course=course, at=utcnow())
    return _csv(reports.course_report_csv(found), f"{course.code}-report.csv")


def _csv(text: str, name: str) -> Response:
    return Response(
        text,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/agents/<int:agent_id>")
@roles_required(*STAFF)
def transcript(agent_id: int):
    return _render_transcript(agent_id)


def _render_transcript(agent_id: int, *, form: RevokeForm | None = None, status: int = 200):
    session = db.session()
    agent = roster.agent_or_raise(session=session, agent_id=agent_id)
    record = reports.transcript(session=session, agent=agent)
    return render_template(
        "training/transcript.html",
        record=record,
        now=utcnow(),
        form=form or RevokeForm(),
    ), status


@bp.get("/agents/<int:agent_id>/transcript.csv")
@roles_required(*STAFF)
def transcript_csv(agent_id: int):
    session = db.session()
    agent = roster.agent_or_raise(session=session, agent_id=agent_id)
    record = reports.transcript(session=session, agent=agent)
    return _csv(reports.transcript_csv(record, at=utcnow()), f"transcript-agent-{agent.id}.csv")


@bp.post("/certifications/<int:certification_id>/revoke")
@roles_required(*STAFF)
def revoke(certification_id: int):
    session = db.session()
    found = certification.certification_or_raise(session=session, certification_id=certification_id)
    form = RevokeForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        certification.revoke(
            session=session, certification=found, actor=current_user, reason=form.reason.data
        )
    except RosterError as error:
        attach_error(form, error)
        return _render_transcript(found.agent_id, form=form, status=error.status)
    flash(f"Certification {found.id} revoked.", "info")
    return redirect(url_for("training_admin.transcript", agent_id=found.agent_id))
