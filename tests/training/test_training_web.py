"""Training over HTTP: answers never reach the browser before submission, tampered submissions
are refused with a 4xx and record nothing, agents see only their own attempts, staff revoke,
report, export and edit."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from agents.models import AuditEntry
from tests.factories import make_user
from tests.web_client import csrf_token, login
from training import enrolments
from training.models import Answer, Attempt, Certification, CourseVersion

from .helpers import right_answers


def _recorded(session) -> tuple[int, int]:
    session.expire_all()
    return (
        session.scalar(select(func.count(Answer.id))),
        session.scalar(select(func.count(Attempt.id)).where(Attempt.submitted_at.is_not(None))),
    )


@pytest.fixture
def agent_api(as_role, agent, course):
    client = as_role("agent")
    client.environ_base["HTTP_X_CSRFTOKEN"] = csrf_token(client, "/me")
    return client


@pytest.fixture
def staff_api(as_role):
    client = as_role("supervisor")
    client.environ_base["HTTP_X_CSRFTOKEN"] = csrf_token(client, "/roster/new")
    return client


def _start(client, course, position=0):
    enrolled = client.post("/api/v1/enrolments", json={"course_id": course.id})
    assert enrolled.status_code == 201, enrolled.get_json()
    module_id = course.current.modules[position].id
    response = client.post("/api/v1/attempts", json={"module_id": module_id})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_a_served_paper_carries_no_answer_key(agent_api, course):
    paper = _start(agent_api, course)
    assert paper["questions"] and paper["results"] == []
    text = str(paper).lower()
    assert "correct" not in text and "explanation" not in text


def test_the_quiz_page_shows_prompts_and_choices_but_no_answers(as_role, agent, course):
    client = as_role("agent")
    page = client.get(f"/training/courses/{course.id}").get_data(as_text=True)
    client.post(f"/training/courses/{course.id}/enrol", data={"csrf_token": _token(page)})
    module = course.current.modules[0]
    started = client.post(
        f"/training/modules/{module.id}/attempts", data={"csrf_token": _token(page)}
    )
    assert started.status_code == 302
    html = client.get(started.headers["Location"]).get_data(as_text=True)
    assert module.questions[0].prompt.split()[0] in html
    assert "correct" not in html.lower()
    assert all(q.explanation not in html for q in module.questions if q.explanation)


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def test_passing_through_the_api_reveals_results_only_after_submission(
    agent_api, db_session, course
):
    paper = _start(agent_api, course)
    attempt = db_session.get(Attempt, paper["id"])
    response = agent_api.post(
        f"/api/v1/attempts/{paper['id']}/submission",
        json={"answers": right_answers(db_session, attempt)},
    )
    body = response.get_json()
    assert response.status_code == 200 and body["passed"] is True and body["score"] == 100.0
    assert body["questions"] == [] and all(r["correct"] for r in body["results"])


def test_tampered_submissions_are_refused_and_record_nothing(
    agent_api, db_session, course, program
):
    paper = _start(agent_api, course)
    attempt = db_session.get(Attempt, paper["id"])
    good = right_answers(db_session, attempt)
    url = f"/api/v1/attempts/{paper['id']}/submission"
    before = _recorded(db_session)
    for answers, status in [
        ({**good, "999999": ["a"]}, 422),
        ({**good, next(iter(good)): ["zz"]}, 422),
        ({**good, "not-an-id": ["a"]}, 422),
    ]:
        response = agent_api.post(url, json={"answers": answers})
        assert response.status_code == status, response.get_json()
        assert response.get_json()["fields"]
    assert (
        agent_api.post("/api/v1/attempts/424242/submission", json={"answers": {}}).status_code
        == 404
    )
    assert _recorded(db_session) == before

    assert agent_api.post(url, json={"answers": good}).status_code == 200
    after_first = _recorded(db_session)
    resubmitted = agent_api.post(url, json={"answers": good})
    assert resubmitted.status_code == 409 and "already submitted" in resubmitted.get_json()["error"]
    assert _recorded(db_session) == after_first


def test_another_agents_attempt_is_refused(agent_api, app, db_session, course, program):
    paper = _start(agent_api, course)
    other = make_user(db_session, "agent")
    other.agent.programs = [program]
    db_session.commit()
    intruder = app.test_client()
    login(intruder, other.email)
    intruder.environ_base["HTTP_X_CSRFTOKEN"] = csrf_token(intruder, "/me")
    before = _recorded(db_session)
    attempt = db_session.get(Attempt, paper["id"])
    submitted = intruder.post(
        f"/api/v1/attempts/{paper['id']}/submission",
        json={"answers": right_answers(db_session, attempt)},
    )
    assert submitted.status_code == 403
    assert intruder.get(f"/api/v1/attempts/{paper['id']}").status_code == 403
    assert intruder.get(f"/training/attempts/{paper['id']}").status_code == 403
    assert intruder.get("/api/v1/attempts").get_json()["items"] == []
    assert intruder.get(f"/api/v1/attempts?agent_id={attempt.agent_id}").get_json()["items"] == []
    assert _recorded(db_session) == before


def test_expired_attempt_cool_down_and_limit_are_refused_with_409(agent_api, db_session, course):
    paper = _start(agent_api, course)
    attempt = db_session.get(Attempt, paper["id"])
    answers = right_answers(db_session, attempt)
    attempt.started_at -= timedelta(hours=2)
    attempt.expires_at -= timedelta(hours=2)
    db_session.commit()
    before = _recorded(db_session)
    url = f"/api/v1/attempts/{paper['id']}/submission"
    expired = agent_api.post(url, json={"answers": answers})
    assert expired.status_code == 409 and "expired" in expired.get_json()["error"]
    assert _recorded(db_session) == before

    module_id = course.current.modules[0].id
    attempt.expires_at = attempt.started_at + timedelta(minutes=70)  # ended 50 minutes ago
    db_session.commit()
    for number in (2, 3):
        started = agent_api.post("/api/v1/attempts", json={"module_id": module_id})
        assert started.status_code == 201 and started.get_json()["number"] == number
        agent_api.post(f"/api/v1/attempts/{started.get_json()['id']}/submission",
                       json={"answers": {}})  # fmt: skip
        if number == 2:
            cooling = agent_api.post("/api/v1/attempts", json={"module_id": module_id})
            assert cooling.status_code == 409 and "cool-down" in cooling.get_json()["error"]
            _rewind(db_session, minutes=31)
    over = agent_api.post("/api/v1/attempts", json={"module_id": module_id})
    assert over.status_code == 409 and "no attempts left" in over.get_json()["error"]


def _rewind(session, *, minutes: int):
    """Move every attempt into the past, as if the cool-down had elapsed."""
    for attempt in session.scalars(select(Attempt)):
        attempt.started_at -= timedelta(minutes=minutes)
        attempt.expires_at -= timedelta(minutes=minutes)
        if attempt.submitted_at:
            attempt.submitted_at -= timedelta(minutes=minutes)
    session.commit()


def test_results_page_marks_wrong_questions_and_reveals_only_if_allowed(
    as_role, db_session, agent, course
):
    client = as_role("agent")
    enrolments.enrol(session=db_session, agent=agent, course=course)
    db_session.commit()
    module = course.current.modules[0]
    page = client.get(f"/training/modules/{module.id}").get_data(as_text=True)
    started = client.post(
        f"/training/modules/{module.id}/attempts", data={"csrf_token": _token(page)}
    )
    quiz = client.get(started.headers["Location"]).get_data(as_text=True)
    submitted = client.post(started.headers["Location"], data={"csrf_token": _token(quiz)})
    html = client.get(submitted.headers["Location"]).get_data(as_text=True)
    assert "Not passed" in html and html.count('class="wrong"') == len(module.questions)
    assert "✓ correct" in html  # the demo course reveals answers

    course.current.reveal_answers = False
    db_session.commit()
    hidden = client.get(submitted.headers["Location"]).get_data(as_text=True)
    assert "✓ correct" not in hidden and "does not reveal" in hidden


def test_staff_revoke_from_the_transcript_and_the_audit_names_the_reason(
    as_role, db_session, agent, course, clock, users
):
    from .helpers import pass_course

    pass_course(db_session, agent, course, clock)
    db_session.commit()
    cert = db_session.scalar(select(Certification))
    client = as_role("supervisor")
    page = client.get(f"/training/admin/agents/{agent.id}").get_data(as_text=True)
    assert "Acme Insurance" in page
    refused = client.post(
        f"/training/admin/certifications/{cert.id}/revoke",
        data={"csrf_token": _token(page), "reason": ""},
    )
    assert refused.status_code == 422 and "reason is required" in refused.get_data(as_text=True)
    done = client.post(
        f"/training/admin/certifications/{cert.id}/revoke",
        data={"csrf_token": _token(page), "reason": "Mis-sold a policy"},
    )
    assert done.status_code == 302
    db_session.expire_all()
    assert db_session.get(Certification, cert.id).revoke_reason == "Mis-sold a policy"
    assert db_session.scalar(select(AuditEntry).where(AuditEntry.reason == "Mis-sold a policy"))
    csv_text = client.get(f"/training/admin/agents/{agent.id}/transcript.csv").get_data(
        as_text=True
    )
    assert csv_text.startswith("record,course,version,module") and "revoked" in csv_text


def test_course_report_and_csv(as_role, db_session, agent, course, clock):
    from .helpers import pass_course

    pass_course(db_session, agent, course, clock, wrong_in_first=1)
    db_session.commit()
    client = as_role("supervisor")
    html = client.get(f"/training/admin/courses/{course.id}/report").get_data(as_text=True)
    assert "Pass rate" in html and "100.0%" in html
    body = client.get(f"/api/v1/courses/{course.id}/report").get_json()
    assert body["enrolled"] == 1 and body["certified"] == 1 and body["pass_rate"] == 100.0
    assert body["hardest"][0]["right_rate"] == 0.0
    csv_text = client.get(f"/training/admin/courses/{course.id}/report.csv").get_data(as_text=True)
    assert csv_text.splitlines()[0].startswith("agent,email,version")
    assert agent.user.email in csv_text and "valid" in csv_text


def test_admin_edits_a_course_into_a_new_version(as_role, db_session, course):
    client = as_role("admin")
    url = f"/training/admin/courses/{course.id}/edit"
    page = client.get(url).get_data(as_text=True)
    bad = client.post(url, data={"csrf_token": _token(page), "title": "X", "validity_days": "0",
                                 "pass_mark": "80"})  # fmt: skip
    assert bad.status_code == 400
    saved = client.post(url, data={"csrf_token": _token(page), "title": "Claims intake 2027",
                                   "validity_days": "180", "pass_mark": "85"})  # fmt: skip
    assert saved.status_code == 302
    db_session.expire_all()
    latest = db_session.scalar(select(CourseVersion).order_by(CourseVersion.version.desc()))
    assert (latest.version, latest.title, latest.validity_days) == (2, "Claims intake 2027", 180)
    assert {m.pass_mark for m in latest.modules} == {85}


def test_admin_uploads_a_course_file_through_the_importer(as_role, db_session, course):
    client = as_role("admin")
    exported = client.get(f"/training/admin/courses/{course.id}/export").get_data(as_text=True)
    page = client.get("/training/admin/courses").get_data(as_text=True)
    changed = exported.replace("validity_days: 365", "validity_days: 200")
    ok = client.post(
        "/training/admin/courses/import",
        data={"csrf_token": _token(page), "course_file": (io.BytesIO(changed.encode()), "c.yaml")},
        content_type="multipart/form-data",
    )
    assert ok.status_code == 302
    broken = exported.replace("pass_mark: 80", "pass_mark: eighty", 1)
    refused = client.post(
        "/training/admin/courses/import",
        data={"csrf_token": _token(page), "course_file": (io.BytesIO(broken.encode()), "b.yaml")},
        content_type="multipart/form-data",
    )
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "b.yaml:" in html and "pass_mark" in html
    db_session.expire_all()
    assert db_session.scalar(select(func.count(CourseVersion.id))) == 2


def test_api_import_and_skills_appear_in_the_openapi_document(
    client, staff_api, db_session, course
):
    document = client.get("/api/openapi.json").get_json()
    for path in ("/api/v1/courses", "/api/v1/enrolments", "/api/v1/attempts",
                 "/api/v1/attempts/{attempt_id}/submission", "/api/v1/certifications",
                 "/api/v1/agents/{agent_id}/skills"):  # fmt: skip
        assert path in document["paths"], path
    assert staff_api.get(f"/api/v1/agents/{course.id}/skills").status_code in (200, 404)
