"""Community analytics (`GET /api/v1/community/stats`): the pyramid, answers and who gave them,
moderation, deflection and the cost avoided (configured figure when the ROI report has none),
on a real database; bad input is a 4xx naming the field."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from community import deflection, flags, moderation, posts
from community.models import CommunitySettings
from tests.community.helpers import make_member, make_question
from tests.factories import make_user

API = "/api/v1/community/stats"


def _community(db_session, program):
    """1 super user, 2 contributors, 3 readers; 3 questions: one answered by the crowd (a
    member, then a super user) after 10 minutes, one by a paid agent after 30 (escalated), one
    unanswered; a flagged answer hidden (not counted)."""
    super_user = make_member(db_session, name="Sue", super_user=True)
    ann, bob = make_member(db_session, name="Ann"), make_member(db_session, name="Bob")
    for _ in range(3):
        make_member(db_session)
    make_member(db_session, verified=False)  # not counted: email not confirmed
    agent = make_user(db_session, "agent", display_name="Paid")
    staff = make_user(db_session, "admin")
    crowd_q, agent_q, open_q = (make_question(db_session, program, ann, title=t)
                                for t in ("Crowd answers this", "An agent answers this",
                                          "Nobody answered yet"))  # fmt: skip
    posts.answer(session=db_session, question=crowd_q, author=bob, body="Reboot")
    crowd_q.first_answered_at = crowd_q.created_at + timedelta(minutes=10)
    posts.answer(session=db_session, question=agent_q, author=agent, body="Done for you")
    agent_q.first_answered_at = agent_q.created_at + timedelta(minutes=30)
    agent_q.escalated_at = agent_q.created_at
    posts.answer(session=db_session, question=crowd_q, author=super_user, body="Or unplug it")
    hidden = posts.answer(session=db_session, question=crowd_q, author=bob, body="Buy a new one")
    flags.flag(session=db_session, post=hidden, author=ann, reason="wrong")
    moderation.moderate(session=db_session, post=hidden, actor=staff, action="hide",
                        reason="wrong answer")  # fmt: skip
    for outcome in ("solved", "solved", "solved", "need_help"):
        deflection.record(session=db_session, program_id=program.id, source="chat",
                          outcome=outcome)  # fmt: skip
    db_session.add(CommunitySettings(program_id=program.id, cost_per_contact=Decimal("4.50")))
    db_session.commit()


def test_stats_answer_the_four_questions_for_a_program(as_role, db_session, program):
    _community(db_session, program)
    response = as_role("supervisor").get(API, query_string={"program": program.code, "days": 7})
    assert response.status_code == 200, response.get_json()
    stats = response.get_json()
    assert stats["program"] == program.code and stats["days"] == 7
    assert stats["pyramid"] == {"readers": 3, "contributors": 2, "super_users": 1,
                                "reader_share": 0.5, "contributor_share": 2 / 6,
                                "super_user_share": 1 / 6}  # fmt: skip
    assert stats["questions"]["asked"] == 3 and stats["questions"]["escalated"] == 1
    assert stats["questions"]["answer_rate"] == 2 / 3
    assert stats["questions"]["median_first_answer_seconds"] == 20 * 60
    by = stats["answered_by"]
    assert (by["members"], by["super_users"], by["agents"], by["staff"]) == (1, 1, 1, 0)
    assert by["crowd_share"] == 2 / 3 and by["agent_share"] == 1 / 3
    assert stats["moderation"]["backlog"] == 0 and stats["moderation"]["flags_reviewed"] == 1
    assert stats["deflection"] == {"solved": 3, "need_help": 1, "rate": 0.75}
    assert stats["cost_source"] == "configured" and stats["cost_per_contact"] == "4.50"
    assert stats["cost_avoided"] == "13.50"


def test_without_a_cost_figure_the_cost_avoided_is_unknown(as_role, db_session, program):
    deflection.record(session=db_session, program_id=program.id, source="ask", outcome="solved")
    db_session.commit()
    stats = as_role("admin").get(API, query_string={"program": program.code}).get_json()
    assert stats["days"] == 30 and stats["deflection"]["solved"] == 1
    assert stats["cost_source"] is None and stats["cost_avoided"] is None
    assert stats["pyramid"]["readers"] == 0 and stats["pyramid"]["reader_share"] is None
    assert stats["questions"]["answer_rate"] is None


def test_stats_refuse_bad_input_and_non_staff(as_role, client, program):
    staff = as_role("supervisor")
    for query, field in (({"program": program.code, "days": 0}, "days"),
                         ({"program": program.code, "days": 93}, "days"),
                         ({"program": program.code, "when": "x"}, "when"),
                         ({}, "program")):  # fmt: skip
        response = staff.get(API, query_string=query)
        assert response.status_code == 422, query
        assert field in response.get_data(as_text=True)
    assert staff.get(API, query_string={"program": "no-such"}).status_code == 404
    assert as_role("agent").get(API, query_string={"program": program.code}).status_code == 403
    assert client.get(API, query_string={"program": program.code}).status_code == 401
