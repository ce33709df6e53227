"""Asking, answering, voting, accepting and official answers, on a real database session."""

from __future__ import annotations

import pytest

from community import members, posts
from community.errors import Duplicate, Forbidden, InvalidValue
from community.search import search
from tests.community.helpers import PASSWORD, make_member, make_question
from tests.factories import make_program, make_user


@pytest.fixture
def program(db_session):
    return make_program(db_session, code="acme-net", name="Acme Internet")


def test_a_member_signs_up_unverified_and_the_emailed_token_verifies_once(db_session):
    member, token = members.sign_up(
        session=db_session, email="Ann@Example.org", display_name="Ann", password=PASSWORD
    )
    assert member.email == "ann@example.org" and not member.is_verified
    assert member.verify_token_hash != token  # only the hash is stored
    assert members.verify(session=db_session, token=token) is member
    assert member.is_verified
    with pytest.raises(InvalidValue):
        members.verify(session=db_session, token=token)
    assert (
        members.authenticate(session=db_session, email="ann@example.org", password=PASSWORD)
        is member
    )
    assert members.authenticate(session=db_session, email="ann@example.org", password="x") is None


def test_the_same_email_cannot_join_twice(db_session):
    make_member(db_session)
    existing = db_session.scalars(__import__("sqlalchemy").select(members.Member)).first()
    with pytest.raises(Duplicate) as error:
        members.sign_up(
            session=db_session, email=existing.email, display_name="X", password=PASSWORD
        )
    assert error.value.field == "email"


def test_an_unverified_member_cannot_post(db_session, program):
    member = make_member(db_session, verified=False)
    with pytest.raises(Forbidden):
        make_question(db_session, program, member)


@pytest.mark.parametrize(
    ("title", "body", "field"),
    [
        ("short", "body", "title"),
        ("A good title here", "   ", "body"),
        ("x" * 201, "body", "title"),
        ("A good title here", "y" * 20_001, "body"),
    ],
)
def test_a_bad_question_is_refused_naming_the_field_and_nothing_is_written(
    db_session, program, title, body, field
):
    member = make_member(db_session)
    with pytest.raises(InvalidValue) as error:
        posts.ask(session=db_session, program=program, author=member, title=title, body=body)
    assert error.value.field == field
    assert posts.list_questions(session=db_session, program_id=program.id) == []


def test_answers_votes_accept_and_official_shape_the_thread(db_session, program):
    asker, helper, other = (make_member(db_session) for _ in range(3))
    question = make_question(db_session, program, asker)
    first = posts.answer(session=db_session, question=question, author=helper, body="Unplug it.")
    second = posts.answer(session=db_session, question=question, author=other, body="Call us.")
    assert question.first_answered_at == first.created_at
    assert posts.vote(session=db_session, post=second, member=asker, value=1) == 1
    assert posts.vote(session=db_session, post=second, member=helper, value=1) == 2
    assert posts.vote(session=db_session, post=second, member=helper, value=-1) == 0  # changed
    with pytest.raises(Forbidden):
        posts.vote(session=db_session, post=second, member=other, value=1)  # own post
    posts.accept(session=db_session, question=question, reply=first, member=asker)
    with pytest.raises(Forbidden):
        posts.accept(session=db_session, question=question, reply=second, member=helper)
    with pytest.raises(Forbidden):
        posts.mark_official(session=db_session, reply=second, actor=helper)
    staff = make_user(db_session, "supervisor")
    posts.mark_official(session=db_session, reply=second, actor=staff)
    posts.comment(session=db_session, parent=first, author=other, body="Worked for me too")
    thread = posts.thread(session=db_session, question=question)
    assert [a.id for a in thread.answers] == [first.id, second.id]  # accepted first
    assert second.is_official and thread.comments[first.id][0].body == "Worked for me too"
    rows = posts.list_questions(session=db_session, program_id=program.id)
    assert [(r.question.id, r.answers) for r in rows] == [(question.id, 2)]


def test_a_super_user_may_mark_official_answers(db_session, program):
    asker, expert = make_member(db_session), make_member(db_session, super_user=True)
    question = make_question(db_session, program, asker)
    reply = posts.answer(session=db_session, question=question, author=asker, body="Solved it.")
    posts.mark_official(session=db_session, reply=reply, actor=expert)
    assert reply.is_official


def test_search_ranks_matching_questions_and_finds_them_through_answers(db_session, program):
    member = make_member(db_session)
    router = make_question(
        db_session,
        program,
        member,
        title="Router keeps rebooting at night",
        body="Every night the router restarts.",
    )
    billing = make_question(
        db_session, program, member, title="Billing date changed", body="My invoice arrives late."
    )
    posts.answer(
        session=db_session,
        question=billing,
        author=member,
        body="The router firmware has nothing to do with invoices.",
    )
    elsewhere = make_program(db_session, code="other-co")
    make_question(db_session, elsewhere, member, title="Router on another program")
    db_session.flush()
    hits = search(session=db_session, program_id=program.id, query="router")
    assert [h.question_id for h in hits] == [router.id, billing.id]  # title outranks an answer
    assert hits[0].rank > hits[1].rank
    assert [
        h.question_id for h in search(session=db_session, program_id=program.id, query="invoi")
    ] == [billing.id]  # prefix
    assert search(session=db_session, program_id=program.id, query='") OR * NEAR(') == []
    assert search(session=db_session, program_id=program.id, query="   ") == []
    tagged = make_question(db_session, program, member, title="Modem <script> blinks orange")
    db_session.flush()  # markup-looking text is words to the index (PostgreSQL's parser too)
    assert [
        h.question_id
        for h in search(session=db_session, program_id=program.id, query="blinks orange")
    ] == [tagged.id]
    with pytest.raises(InvalidValue):
        search(session=db_session, program_id=program.id, query="x" * 201)
