"""The community API: search, questions, answers and flags; bad input is a 4xx naming the
field and writes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from community.models import Flag, Post
from tests.community.helpers import PASSWORD, make_member, make_question
from tests.web_client import csrf_token

API = "/api/v1/community"


def _count(db_session, model=Post) -> int:
    db_session.expire_all()
    return db_session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def member_client(app, db_session, program):
    """A signed-in verified member's client and the CSRF header its API writes need."""
    member = make_member(db_session, name="Api Member")
    db_session.commit()
    client = app.test_client()
    token = csrf_token(client, "/community/acme-claims/signin")
    client.post(
        "/community/acme-claims/signin",
        data={"csrf_token": token, "email": member.email, "password": PASSWORD},
    )
    headers = {"X-CSRFToken": csrf_token(client, "/community/acme-claims/ask")}
    return client, headers, member


def test_anyone_searches_a_public_community_and_hits_are_ranked(client, db_session, program):
    member = make_member(db_session)
    best = make_question(
        db_session,
        program,
        member,
        title="Claim form upload fails",
        body="The claim form will not upload.",
    )
    make_question(
        db_session, program, member, title="Where do I send photos?", body="For my claim."
    )
    db_session.commit()
    response = client.get(f"{API}/search", query_string={"program": "acme-claims", "q": "claim"})
    assert response.status_code == 200
    items = response.get_json()["items"]
    assert items[0]["question_id"] == best.id and len(items) == 2
    assert items[0]["rank"] >= items[1]["rank"]
    assert items[0]["url"] == f"/community/acme-claims/questions/{best.id}"
    missing = client.get(f"{API}/search", query_string={"program": "nope-nope", "q": "x"})
    assert missing.status_code == 404 and missing.get_json()["fields"] == {
        "program": missing.get_json()["error"]
    }


def test_a_member_asks_and_answers_through_the_api_with_the_csrf_header(member_client):
    client, headers, _member = member_client
    body = {"program": "acme-claims", "title": "How long does a claim take?", "body": "Days?"}
    assert client.post(f"{API}/questions", json=body).status_code == 400  # no CSRF header
    response = client.post(f"{API}/questions", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    question = response.get_json()
    assert question["author"] == "Api Member" and question["author_kind"] == "member"
    answer = client.post(
        f"{API}/questions/{question['id']}/answers", json={"body": "About 5 days."}, headers=headers
    )
    assert answer.status_code == 201 and answer.get_json()["thread_id"] == question["id"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"program": "acme-claims", "title": "x" * 201, "body": "ok"}, "title"),
        ({"program": "acme-claims", "title": "Short", "body": "ok"}, "title"),
        ({"program": "acme-claims", "title": "A fine title", "body": "   "}, "body"),
        ({"program": "acme-claims", "title": "A fine title", "body": "y" * 20_001}, "body"),
        (
            {
                "program": "acme-claims",
                "title": "A fine title",
                "body": "see https://a.example and https://b.example",
            },
            "body",
        ),
        ({"title": "A fine title", "body": "ok"}, "program"),
    ],
)
def test_a_bad_question_is_refused_naming_the_field_and_nothing_is_written(
    member_client, db_session, body, field
):
    client, headers, _member = member_client
    before = _count(db_session)
    response = client.post(f"{API}/questions", json=body, headers=headers)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["fields"]
    assert _count(db_session) == before


def test_who_may_write_anonymous_401_agents_answer_only_staff_ask(
    client, as_role, db_session, program
):
    member = make_member(db_session)
    question = make_question(db_session, program, member)
    db_session.commit()
    ask = {"program": "acme-claims", "title": "A staff announcement", "body": "Read this."}
    assert client.post(f"{API}/questions", json=ask).status_code == 401
    agent = as_role("agent")
    headers = {"X-CSRFToken": csrf_token(agent, "/me")}
    assert agent.post(f"{API}/questions", json=ask, headers=headers).status_code == 403
    paid = agent.post(
        f"{API}/questions/{question.id}/answers", json={"body": "Agent here."}, headers=headers
    )
    assert paid.status_code == 201 and paid.get_json()["author_kind"] == "agent"
    staff = as_role("admin")
    headers = {"X-CSRFToken": csrf_token(staff, "/community/acme-claims/ask")}
    assert staff.post(f"{API}/questions", json=ask, headers=headers).status_code == 201


def test_a_post_is_flagged_once_per_member_and_bad_reasons_are_named(
    member_client, db_session, program
):
    client, headers, member = member_client
    other = make_member(db_session)
    question = make_question(db_session, program, other, title="Buy cheap watches here")
    db_session.commit()
    url = f"{API}/posts/{question.id}/flags"
    bad = client.post(url, json={"reason": "ugly"}, headers=headers)
    assert bad.status_code == 422 and "reason" in bad.get_json()["fields"]
    made = client.post(url, json={"reason": "spam", "note": "watch ads"}, headers=headers)
    assert made.status_code == 201 and made.get_json()["status"] == "open"
    again = client.post(url, json={"reason": "spam"}, headers=headers)
    assert again.status_code == 409 and "post_id" in again.get_json()["fields"]
    assert _count(db_session, Flag) == 1
