"""Training API: courses, enrolments, attempts (served without answers, graded on the server),
certifications, an agent's routing skills and course reports."""

from __future__ import annotations

from datetime import UTC

from flask import request
from flask_login import current_user
from spectree import Response

from agents import roster
from agents.models import Role
from database.base import utcnow
from training import attempts, certification, courses, enrolments, reports, skills
from training.errors import Forbidden
from training.importer import import_text
from web import db
from web.access import ANY_ROLE, STAFF, roles_required
from web.api import training_schemas as s
from web.api.blueprint import bp
from web.api.schemas import ErrorOut
from web.api.spec import api_spec

TAGS = ["training"]
ERRORS = {"HTTP_401": ErrorOut, "HTTP_403": ErrorOut, "HTTP_404": ErrorOut, "HTTP_422": ErrorOut}
REFUSALS = {**ERRORS, "HTTP_409": ErrorOut}


def course_out(course) -> s.CourseOut:
    v = course.current
    return s.CourseOut(
        id=course.id, program_code=course.program.code, code=course.code, version=v.version,
        version_id=v.id, title=v.title, description=v.description,
        validity_days=v.validity_days, reminder_days=v.reminder_days, required=v.required,
        reveal_answers=v.reveal_answers,
        modules=[
            s.ModuleOut(
                id=m.id, position=m.position, key=m.key, title=m.title, pass_mark=m.pass_mark,
                attempt_limit=m.attempt_limit, cooldown_minutes=m.cooldown_minutes,
                time_limit_minutes=m.time_limit_minutes, question_pool=len(m.questions),
                questions_served=m.sample_size or len(m.questions),
            )
            for m in v.modules
        ],
    )  # fmt: skip


def _me():
    if current_user.agent is None:
        raise Forbidden("this account has no agent profile", field="agent_id")
    return current_user.agent


def _agent_scope(agent_id: int | None) -> int | None:
    """Agents see only their own records, whatever they ask for; staff may filter."""
    return _me().id if current_user.role is Role.AGENT else agent_id


@bp.get("/courses")
@roles_required(*ANY_ROLE)
@api_spec.validate(resp=Response(HTTP_200=s.CourseList, **ERRORS), tags=TAGS)
def list_courses():
    """Staff: every course; agents: the courses of their programs."""
    session = db.session()
    if current_user.role is Role.AGENT:
        found = courses.courses_for_agent(session=session, agent=_me())
    else:
        found = courses.list_courses(session=session)
    return s.CourseList(items=[course_out(c) for c in found])


@bp.get("/courses/<int:course_id>")
@roles_required(*ANY_ROLE)
@api_spec.validate(resp=Response(HTTP_200=s.CourseOut, **ERRORS), tags=TAGS)
def get_course(course_id: int):
    course = courses.course_or_raise(session=db.session(), course_id=course_id)
    if current_user.role is Role.AGENT:
        enrolments.check_may_train(_me(), course)
    return course_out(course)


@bp.patch("/courses/<int:course_id>")
@roles_required(Role.ADMIN)
@api_spec.validate(json=s.CourseUpdate, resp=Response(HTTP_200=s.CourseOut, **ERRORS), tags=TAGS)
def update_course(course_id: int):
    """Change title, validity or pass mark: a new version when anything really changes."""
    session = db.session()
    course = courses.course_or_raise(session=session, course_id=course_id)
    changes = request.context.json.model_dump(exclude_unset=True, exclude_none=True)
    courses.edit_course(session=session, course=course, changes=changes, actor_id=current_user.id)
    return course_out(course)


@bp.post("/courses/import")
@roles_required(Role.ADMIN)
@api_spec.validate(
    json=s.CourseImport, resp=Response(HTTP_200=s.CourseImported, **REFUSALS), tags=TAGS
)
def import_course():
    """Import one course file (YAML with lessons inline); malformed files name each problem.
    A course newly required by a live program is refused (409, `confirm_eligibility_loss`)
    while active agents would lose eligibility at once, unless confirmed or dated."""
    body: s.CourseImport = request.context.json
    starts = body.required_from
    if starts is not None and starts.tzinfo is None:
        starts = starts.replace(tzinfo=UTC)
    result = import_text(
        session=db.session(), text=body.yaml, file=body.file_name, actor_id=current_user.id,
        required_from=starts, confirm_eligibility_loss=body.confirm_eligibility_loss,
    )  # fmt: skip
    return s.CourseImported(
        outcome=result.outcome.value, course=course_out(result.course),
        losing_eligibility_now=result.impact.losing_now,
        losing_eligibility_later=result.impact.losing_later,
        required_from=result.version.required_from if result.version.required else None,
    )  # fmt: skip


@bp.get("/courses/<int:course_id>/report")
@roles_required(*STAFF)
@api_spec.validate(resp=Response(HTTP_200=s.CourseReportOut, **ERRORS), tags=TAGS)
def course_report(course_id: int):
    session = db.session()
    course = courses.course_or_raise(session=session, course_id=course_id)
    found = reports.course_report(session=session, course=course, at=utcnow())
    return s.CourseReportOut(
        course_id=course.id, enrolled=found.enrolled, certified=found.certified,
        pass_rate=found.pass_rate, mean_attempts=found.mean_attempts,
        mean_score=found.mean_score,
        hardest=[
            s.HardQuestionOut(
                module_key=h.module_key, question_key=h.question_key, prompt=h.prompt,
                answered=h.answered, right_rate=h.right_rate,
            )
            for h in found.hardest
        ],
    )  # fmt: skip


def enrolment_out(e) -> s.EnrolmentOut:
    return s.EnrolmentOut(
        id=e.id, agent_id=e.agent_id, course_id=e.version.course_id, version=e.version.version,
        enrolled_at=e.enrolled_at, completed_at=e.completed_at,
    )  # fmt: skip


@bp.get("/enrolments")
@roles_required(*ANY_ROLE)
@api_spec.validate(
    query=s.AgentFilter, resp=Response(HTTP_200=s.EnrolmentList, **ERRORS), tags=TAGS
)
def list_enrolments():
    agent_id = _agent_scope(request.context.query.agent_id)
    found = enrolments.list_enrolments(session=db.session(), agent_id=agent_id)
    return s.EnrolmentList(items=[enrolment_out(e) for e in found])


@bp.post("/enrolments")
@roles_required(Role.AGENT)
@api_spec.validate(
    json=s.EnrolmentIn, resp=Response(HTTP_201=s.EnrolmentOut, **REFUSALS), tags=TAGS
)
def create_enrolment():
    """Enrol in the current version of a course (the open enrolment if there is one)."""
    session = db.session()
    course = courses.course_or_raise(session=session, course_id=request.context.json.course_id)
    return enrolment_out(enrolments.enrol(session=session, agent=_me(), course=course)), 201


def attempt_out(attempt) -> s.AttemptOut:
    session = db.session()
    submitted = attempt.submitted_at is not None
    served = [] if submitted else attempts.served_questions(session=session, attempt=attempt)
    graded = attempts.graded_questions(session=session, attempt=attempt) if submitted else []
    return s.AttemptOut(
        id=attempt.id, agent_id=attempt.agent_id, module_id=attempt.module_id,
        number=attempt.number, started_at=attempt.started_at, expires_at=attempt.expires_at,
        submitted_at=attempt.submitted_at, score=attempt.score, passed=attempt.passed,
        questions=[s.QuestionOut(id=q.id, kind=q.kind, prompt=q.prompt, choices=q.choices)
                   for q in served],
        results=[s.GradedOut(**g.__dict__) for g in graded],
    )  # fmt: skip


@bp.get("/attempts")
@roles_required(*ANY_ROLE)
@api_spec.validate(query=s.AgentFilter, resp=Response(HTTP_200=s.AttemptList, **ERRORS), tags=TAGS)
def list_attempts():
    """Newest first; an agent sees only their own attempts."""
    agent_id = _agent_scope(request.context.query.agent_id)
    found = attempts.list_attempts(session=db.session(), agent_id=agent_id)
    return s.AttemptList(
        items=[s.AttemptSummary.model_validate(a, from_attributes=True) for a in found]
    )


@bp.post("/attempts")
@roles_required(Role.AGENT)
@api_spec.validate(json=s.AttemptIn, resp=Response(HTTP_201=s.AttemptOut, **REFUSALS), tags=TAGS)
def start_attempt():
    """Start (or resume) the quiz of a module: the served paper, without answer keys."""
    found = attempts.start_attempt(
        session=db.session(), agent=_me(), module_id=request.context.json.module_id
    )
    return attempt_out(found), 201


@bp.get("/attempts/<int:attempt_id>")
@roles_required(*ANY_ROLE)
@api_spec.validate(resp=Response(HTTP_200=s.AttemptOut, **ERRORS), tags=TAGS)
def get_attempt(attempt_id: int):
    found = attempts.attempt_for(session=db.session(), user=current_user, attempt_id=attempt_id)
    return attempt_out(found)


@bp.post("/attempts/<int:attempt_id>/submission")
@roles_required(Role.AGENT)
@api_spec.validate(json=s.SubmissionIn, resp=Response(HTTP_200=s.AttemptOut, **REFUSALS), tags=TAGS)
def submit_attempt(attempt_id: int):
    """Submit once; graded on the server. Refusals (409/422/403) record nothing."""
    found = attempts.submit_attempt(
        session=db.session(),
        agent=_me(),
        attempt_id=attempt_id,
        answers=request.context.json.answers,
    )
    return attempt_out(found)


def certification_out(c, now) -> s.CertificationOut:
    course = c.version.course
    return s.CertificationOut(
        id=c.id, agent_id=c.agent_id, course_id=course.id, course_code=course.code,
        program_code=course.program.code, version=c.version.version, score=c.score,
        proficiency=c.proficiency, issued_at=c.issued_at, expires_at=c.expires_at,
        status=c.status_at(now), revoked_at=c.revoked_at, revoke_reason=c.revoke_reason,
    )  # fmt: skip


@bp.get("/certifications")
@roles_required(*ANY_ROLE)
@api_spec.validate(
    query=s.CertificationFilter, resp=Response(HTTP_200=s.CertificationList, **ERRORS), tags=TAGS
)
def list_certifications():
    query: s.CertificationFilter = request.context.query
    found = certification.list_certifications(
        session=db.session(), agent_id=_agent_scope(query.agent_id), course_id=query.course_id
    )
    now = utcnow()
    return s.CertificationList(items=[certification_out(c, now) for c in found])


@bp.post("/certifications/<int:certification_id>/revoke")
@roles_required(*STAFF)
@api_spec.validate(
    json=s.RevokeIn, resp=Response(HTTP_200=s.CertificationOut, **REFUSALS), tags=TAGS
)
def revoke_certification(certification_id: int):
    """Withdraw at once, with a reason (audited); the agent loses the program's skill."""
    session = db.session()
    found = certification.certification_or_raise(session=session, certification_id=certification_id)
    certification.revoke(
        session=session, certification=found, actor=current_user,
        reason=request.context.json.reason,
    )  # fmt: skip
    return certification_out(found, utcnow())


@bp.get("/agents/<int:agent_id>/skills")
@roles_required(*STAFF)
@api_spec.validate(query=s.SkillQuery, resp=Response(HTTP_200=s.SkillList, **ERRORS), tags=TAGS)
def agent_skills(agent_id: int):
    """The routing skills the agent holds at `at` (default now), from training.skills."""
    session = db.session()
    roster.agent_or_raise(session=session, agent_id=agent_id)
    at = request.context.query.at or utcnow()
    at = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    found = skills.skills_at(session=session, agent_id=agent_id, at=at)
    return s.SkillList(
        agent_id=agent_id,
        at=at,
        items=[
            s.SkillOut(code=k.code, proficiency=k.proficiency, languages=sorted(k.languages),
                       expires_at=k.expires_at)
            for k in found
        ],
    )  # fmt: skip
