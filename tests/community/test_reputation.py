"""Reputation on a real session: points for accepted answers, helpful votes and reviewed flags
(the documented formula), ranks, the top-1% super-user candidates, and the rank on the thread."""

from __future__ import annotations

from community import flags, moderation, posts, reputation
from tests.community.helpers import make_member, make_question
from tests.factories import make_user


def test_points_follow_the_documented_formula_and_give_ranks(db_session, program):
    asker, helper, flagger = (make_member(db_session, name=n) for n in ("Ann", "Hal", "Flo"))
    voters = [make_member(db_session) for _ in range(3)]
    question = make_question(db_session, program, asker)
    reply = posts.answer(session=db_session, question=question, author=helper, body="Reboot")
    posts.accept(session=db_session, question=question, reply=reply, member=asker)
    for voter in voters[:2]:
        posts.vote(session=db_session, post=reply, member=voter, value=1)
    posts.vote(session=db_session, post=reply, member=voters[2], value=-1)
    spam = posts.answer(session=db_session, question=question, author=voters[0], body="Buy")
    wrong_flag = posts.answer(session=db_session, question=question, author=voters[1], body="Ok")
    staff = make_user(db_session, "admin")
    for post, action in ((spam, "hide"), (wrong_flag, "restore")):
        flags.flag(session=db_session, post=post, author=flagger, reason="spam")
        moderation.moderate(session=db_session, post=post, actor=staff, action=action,
                            reason="reviewed")  # fmt: skip
    found = reputation.points(session=db_session)
    assert found[helper.id] == 15 + 2 * 2 - 1
    assert found.get(flagger.id, 0) == 0  # 3 upheld − 3 dismissed
    assert reputation.rank_for(found[helper.id]) == "regular"
    assert reputation.ranks(session=db_session, member_ids=[helper.id, asker.id]) == {
        helper.id: "regular", asker.id: "newcomer"}  # fmt: skip
    assert [reputation.rank_for(p) for p in (0, 9, 10, 50, 199, 200)] == [
        "newcomer", "newcomer", "regular", "helper", "helper", "expert"]  # fmt: skip


def test_top_one_percent_with_enough_points_are_super_user_candidates(db_session, program):
    asker = make_member(db_session)
    stars = [make_member(db_session, name=f"Star {n}") for n in range(2)]
    for star, accepted in zip(stars, (4, 3), strict=True):  # 60 and 45 points
        for _ in range(accepted):
            question = make_question(db_session, program, asker)
            reply = posts.answer(session=db_session, question=question, author=star, body="Yes")
            posts.accept(session=db_session, question=question, reply=reply, member=asker)
    assert reputation.super_user_candidates(session=db_session) == [(stars[0].id, 60)]
    stars[0].is_super_user = True
    assert reputation.super_user_candidates(session=db_session) == []  # the other has < 50


def test_the_thread_shows_each_members_rank(client, db_session, program):
    asker, helper = make_member(db_session, name="Ann"), make_member(db_session, name="Hal")
    question = make_question(db_session, program, asker)
    reply = posts.answer(session=db_session, question=question, author=helper, body="Reboot")
    posts.accept(session=db_session, question=question, reply=reply, member=asker)
    db_session.commit()
    html = client.get(f"/community/{program.code}/questions/{question.id}").get_data(as_text=True)
    assert 'Hal (member) <span class="badge rank">regular</span>' in html
    assert 'Ann (member) <span class="badge rank">newcomer</span>' in html
