"""Quality API: QA reviews (list, score, acknowledge), a program's scorecard and settings,
performance scores (read, recompute) and calibration. Agents see only their own reviews and
scores; supervisors those of the programs they have a duty in; admins all."""

from __future__ import annotations

from flask import abort, request
from flask_login import current_user
from spectree import Response
from sqlalchemy import select

from agents.models import Program, Role, User
from channels.models import Contact
from database.base import utcnow
from quality import access, calibration, performance, reviews, scorecards
from quality import settings as quality_settings
from quality.errors import QualityError
from quality.jobs import recompute
from quality.models import PerformanceScore
from web import db
from web.access import ANY_ROLE, STAFF, roles_required
from web.api.blueprint import bp
from web.api.errors import error_response
from web.api.quality_schemas import (
    CalibrationIn,
    CalibrationOut,
    CalibrationQuery,
    RecomputeOut,
    ReviewList,
    ReviewOut,
    ReviewQuery,
    ScorecardIn,
    ScorecardOut,
    ScoreIn,
    ScoreList,
    ScoreQuery,
    SettingsIn,
    SettingsOut,
)  # fmt: skip
from web.api.schemas import ErrorOut
from web.api.spec import api_spec

TAGS = ["quality"]
ERRORS = {"HTTP_401": ErrorOut, "HTTP_403": ErrorOut, "HTTP_404": ErrorOut,
          "HTTP_409": ErrorOut, "HTTP_422": ErrorOut}  # fmt: skip


def _fail(error: QualityError):
    db.session().rollback()
    abort(error_response(error.status, f"{error.field}: {error.message}",
                         {error.field: error.message}))  # fmt: skip


def _program_or_404(program_id: int) -> Program:
    program = db.session().get(Program, program_id)
    if program is None:
        abort(error_response(404, "no such program", {"program_id": "unknown"}))
    return program


@bp.get("/quality/reviews")
@roles_required(*ANY_ROLE)
@api_spec.validate(query=ReviewQuery, resp=Response(HTTP_200=ReviewList, **ERRORS), tags=TAGS)
def list_reviews():
    """QA reviews, newest first: an agent's own scored ones, or staff's programs' (any)."""
    q = request.context.query
    try:
        found = reviews.visible(session=db.session(), user=current_user, agent_id=q.agent_id,
                                status=q.status)  # fmt: skip
    except QualityError as error:
        _fail(error)
    return ReviewList(reviews=[reviews.as_dict(r) for r in found])


@bp.post("/quality/reviews/<int:review_id>/score")
@roles_required(*STAFF)
@api_spec.validate(json=ScoreIn, resp=Response(HTTP_200=ReviewOut, **ERRORS), tags=TAGS)
def score_review(review_id: int):
    """Score a queued review: every question of its scorecard answered yes, no or na."""
    body: ScoreIn = request.context.json
    try:
        review = reviews.score(session=db.session(), review_id=review_id,
                               reviewer=current_user, answers=body.answers,
                               comment=body.comment, now=utcnow())  # fmt: skip
    except QualityError as error:
        _fail(error)
    return ReviewOut(**reviews.as_dict(review))


@bp.post("/quality/reviews/<int:review_id>/acknowledge")
@roles_required(Role.AGENT)
@api_spec.validate(resp=Response(HTTP_200=ReviewOut, **ERRORS), tags=TAGS)
def acknowledge_review(review_id: int):
    """The reviewed agent has read their review (again: no change)."""
    try:
        review = reviews.acknowledge(session=db.session(), review_id=review_id,
                                     agent=current_user, now=utcnow())  # fmt: skip
    except QualityError as error:
        _fail(error)
    return ReviewOut(**reviews.as_dict(review))


@bp.put("/quality/programs/<int:program_id>/scorecard")
@roles_required(*STAFF)
@api_spec.validate(json=ScorecardIn, resp=Response(HTTP_200=ScorecardOut, **ERRORS), tags=TAGS)
def save_scorecard(program_id: int):
    """A new version of the program's QA form (weights summing to 100); it becomes active."""
    _program_or_404(program_id)
    body: ScorecardIn = request.context.json
    try:
        access.staff_or_raise(session=db.session(), user=current_user, program_id=program_id)
        card = scorecards.save(session=db.session(), program_id=program_id, name=body.name,
                               sections=[s.model_dump() for s in body.sections])  # fmt: skip
    except QualityError as error:
        _fail(error)
    return ScorecardOut(id=card.id, program_id=program_id, name=card.name, version=card.version,
                        sections=card.sections, is_active=card.is_active)  # fmt: skip


@bp.put("/quality/programs/<int:program_id>/settings")
@roles_required(Role.ADMIN)
@api_spec.validate(json=SettingsIn, resp=Response(HTTP_200=SettingsOut, **ERRORS), tags=TAGS)
def save_settings(program_id: int):
    """The program's surveys, recording, retention, QA sample, handle time target, weights."""
    _program_or_404(program_id)
    values = request.context.json.model_dump(exclude_none=True)
    try:
        row = quality_settings.save(session=db.session(), program_id=program_id, values=values)
    except QualityError as error:
        _fail(error)
    return SettingsOut(program_id=program_id, **quality_settings.as_dict(row))


@bp.get("/quality/scores")
@roles_required(*ANY_ROLE)
@api_spec.validate(query=ScoreQuery, resp=Response(HTTP_200=ScoreList, **ERRORS), tags=TAGS)
def list_scores():
    """Performance scores with their breakdown: an agent's own; staff their programs'."""
    session, wanted = db.session(), request.context.query.agent_id
    if current_user.role is Role.AGENT:
        own = str(current_user.agent.id) if current_user.agent else ""
        if wanted not in (None, own):
            abort(error_response(403, "agents see only their own score", {"agent_id": "not you"}))
        return ScoreList(scores=performance.for_agent(session=session, agent_id=own))
    programs = access.programs_of(session=session, user=current_user)
    query = select(PerformanceScore, Program.code).join(
        Program, Program.id == PerformanceScore.program_id)  # fmt: skip
    if wanted is not None:
        query = query.where(PerformanceScore.agent_id == wanted)
    if programs is not None:
        query = query.where(PerformanceScore.program_id.in_(programs))
    rows = session.execute(query.order_by(PerformanceScore.agent_id, Program.code).limit(1000))
    return ScoreList(scores=[performance.as_dict(row, code) for row, code in rows])


@bp.post("/quality/scores/recompute")
@roles_required(Role.ADMIN)
@api_spec.validate(resp=Response(HTTP_200=RecomputeOut, **ERRORS), tags=TAGS)
def recompute_scores():
    """Recompute every score now (as the nightly job does) and hand them to routing."""
    return RecomputeOut(routing_scores=recompute(session=db.session()))


@bp.get("/quality/calibration")
@roles_required(*STAFF)
@api_spec.validate(query=CalibrationQuery, resp=Response(HTTP_200=CalibrationOut, **ERRORS),
                   tags=TAGS)  # fmt: skip
def calibration_report():
    """Spread per question among the reviewers who scored the contact for calibration."""
    contact = _contact_or_404(request.context.query.task_id)
    return CalibrationOut(**calibration.report(session=db.session(), task_id=contact.task_id))


@bp.post("/quality/calibration")
@roles_required(*STAFF)
@api_spec.validate(json=CalibrationIn, resp=Response(HTTP_200=ReviewList, **ERRORS), tags=TAGS)
def assign_calibration():
    """Several reviewers (staff of the contact's program) each get the contact to score."""
    body: CalibrationIn = request.context.json
    session = db.session()
    contact = _contact_or_404(body.task_id)
    users = [session.get(User, uid) for uid in dict.fromkeys(body.reviewer_ids)]
    if any(u is None for u in users):
        abort(error_response(422, "unknown reviewer", {"reviewer_ids": "unknown user"}))
    program_id = contact.entry_point.program_id
    try:
        access.staff_or_raise(session=session, user=current_user, program_id=program_id)
        made = calibration.assign(session=session, task_id=contact.task_id,
                                  agent_id=contact.agent_id, program_id=program_id,
                                  reviewers=users, now=utcnow())  # fmt: skip
    except QualityError as error:
        _fail(error)
    return ReviewList(reviews=[reviews.as_dict(r) for r in made])


def _contact_or_404(task_id: str) -> Contact:
    contact = db.session().get(Contact, task_id)
    if contact is None or contact.entry_point is None or not contact.agent_id:
        abort(error_response(404, "no such handled contact", {"task_id": "unknown"}))
    return contact
