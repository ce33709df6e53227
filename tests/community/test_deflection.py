"""Deflection: answered questions suggested before a chat or a post, verdicts recorded, the
rate and the self-service score per program on the dashboard's read model."""

from __future__ import annotations

import time

import pytest

from channels.community_view import community_today
from channels.models import Contact, EntryPoint
from community import deflection, posts
from community.errors import InvalidValue
from tests.community.helpers import make_member, make_question


@pytest.fixture
def answered(db_session, program):
    asker, helper = make_member(db_session), make_member(db_session)
    question = make_question(
        db_session, program, asker, title="Claim status page is blank", body="Nothing loads."
    )
    posts.answer(session=db_session, question=question, author=helper, body="Clear the cache.")
    make_question(db_session, program, asker, title="Claim status unknown", body="No answer yet")
    db_session.commit()
    return question


def test_only_answered_questions_are_suggested(db_session, program, answered):
    hits = deflection.suggest(session=db_session, program_id=program.id, query="claim status")
    assert [h.question_id for h in hits] == [answered.id]


def test_verdicts_make_the_rate_and_the_self_service_score(db_session, program, answered):
    for outcome in ("solved", "solved", "solved", "need_help"):
        deflection.record(
            session=db_session,
            program_id=program.id,
            source="chat",
            outcome=outcome,
            question_id=answered.id if outcome == "solved" else None,
        )
    point = EntryPoint(address="web:claims", program_id=program.id, queue_id="claims")
    db_session.add(point)
    db_session.flush()
    db_session.add(Contact(task_id="WC1", channel="chat", entry_point_id=point.id, enqueued=True))
    db_session.flush()
    row = next(
        r
        for r in community_today(session=db_session, now=time.time())
        if r["program"] == program.code
    )
    assert (row["solved"], row["need_help"], row["contacts"]) == (3, 1, 1)
    assert row["deflection_rate"] == 0.75 and row["self_service_score"] == 0.75


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"source": "email"}, "source"),
        ({"outcome": "maybe"}, "outcome"),
        ({"question_id": 999999}, "question_id"),
        ({"query": "q" * 201}, "query"),
    ],
)
def test_a_bad_verdict_is_refused_naming_the_field(db_session, program, change, field):
    values = {"source": "ask", "outcome": "need_help", "query": "x", **change}
    with pytest.raises(InvalidValue) as error:
        deflection.record(session=db_session, program_id=program.id, **values)
    assert error.value.field == field


def test_anyone_records_a_verdict_through_the_api(client, db_session, program, answered):
    body = {
        "program": program.code,
        "source": "chat",
        "outcome": "solved",
        "question_id": answered.id,
        "query": "claim status",
    }
    response = client.post("/api/v1/community/deflections", json=body)
    assert response.status_code == 201, response.get_json()
    bad = client.post("/api/v1/community/deflections", json={**body, "outcome": "meh"})
    assert bad.status_code == 422 and "outcome" in bad.get_json()["fields"]
