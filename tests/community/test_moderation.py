"""Moderation on a real session: the review queue, hide / restore with a reason, flags upheld
or dismissed, the audit log, held first posts, and the median time from flag to review."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from channels.community_view import community_today
from community import flags, moderation, posts
from community.errors import Forbidden, InvalidValue
from community.models import (
    CommunitySettings,
    FlagStatus,
    ModerationEntry,
    PostStatus,
)
from database.clock import utcnow
from tests.community.helpers import make_member, make_question
from tests.factories import make_program, make_user


class Frozen:
    """A clock at a chosen instant (epoch seconds)."""

    def __init__(self, at):
        self.at = at

    def now(self) -> float:
        return self.at.timestamp()


@pytest.fixture
def program(db_session):
    return make_program(db_session, code="acme-net", name="Acme Internet")


@pytest.fixture
def flagged(db_session, program):
    """A question by one member, an answer by another, flagged as spam by a third."""
    asker, spammer, reader = (make_member(db_session, name=n) for n in ("Ann", "Sam", "Rea"))
    question = make_question(db_session, program, asker)
    reply = posts.answer(session=db_session, question=question, author=spammer, body="Buy now")
    flags.flag(session=db_session, post=reply, author=reader, reason="spam", note="an ad")
    return question, reply


def test_hiding_a_flagged_post_upholds_its_flags_and_is_logged(db_session, program, flagged):
    question, reply = flagged
    super_user = make_member(db_session, name="Sue", super_user=True)
    (item,) = moderation.review_queue(session=db_session, program_id=program.id)
    assert item.post is reply and [f.reason.value for f in item.flags] == ["spam"]
    entry = moderation.moderate(session=db_session, post=reply, actor=super_user, action="hide",
                                reason="advertising")  # fmt: skip
    assert reply.status is PostStatus.HIDDEN and entry.moderator == "Sue"
    assert [f.status for f in item.flags] == [FlagStatus.UPHELD]
    assert posts.thread(session=db_session, question=question).answers == []
    assert moderation.review_queue(session=db_session, program_id=program.id) == []
    (logged,) = moderation.audit_log(session=db_session, program_id=program.id)
    assert (logged.action.value, logged.reason, logged.post_id) == ("hide", "advertising", reply.id)


def test_restoring_dismisses_the_flags_and_brings_the_post_back(db_session, program, flagged):
    question, reply = flagged
    staff = make_user(db_session, "supervisor", display_name="Stef")
    moderation.moderate(session=db_session, post=reply, actor=staff, action="hide", reason="spam?")
    flags.flag(session=db_session, post=reply, author=make_member(db_session), reason="wrong")
    moderation.moderate(session=db_session, post=reply, actor=staff, action="restore",
                        reason="a real answer after all")  # fmt: skip
    assert reply.status is PostStatus.VISIBLE
    assert posts.thread(session=db_session, question=question).answers == [reply]
    log = moderation.audit_log(session=db_session, program_id=program.id)
    assert [(e.action.value, e.moderator) for e in log] == [("restore", "Stef"), ("hide", "Stef")]


def test_bad_moderation_is_refused_naming_the_field_and_writes_nothing(
    db_session, program, flagged
):
    _question, reply = flagged
    super_user = make_member(db_session, super_user=True)
    for action, reason, field in (("hide", "", "reason"), ("hide", "x" * 501, "reason"),
                                  ("delete", "because", "action")):  # fmt: skip
        with pytest.raises(InvalidValue) as error:
            moderation.moderate(session=db_session, post=reply, actor=super_user, action=action,
                                reason=reason)  # fmt: skip
        assert error.value.field == field
    for actor in (make_member(db_session), make_user(db_session, "agent")):
        with pytest.raises(Forbidden):
            moderation.moderate(session=db_session, post=reply, actor=actor, action="hide",
                                reason="not mine to judge")  # fmt: skip
    assert reply.status is PostStatus.VISIBLE
    assert db_session.scalar(select(func.count(ModerationEntry.id))) == 0


def test_first_posts_of_new_members_are_held_until_a_moderator_releases_one(db_session, program):
    db_session.add(CommunitySettings(program_id=program.id, hold_first_posts=True))
    db_session.flush()
    asker, newcomer = make_member(db_session), make_member(db_session, name="Nia")
    question = make_question(db_session, program, asker)
    assert question.status is PostStatus.HELD
    staff = make_user(db_session, "admin")
    moderation.moderate(session=db_session, post=question, actor=staff, action="restore",
                        reason="looks fine")  # fmt: skip
    reply = posts.answer(session=db_session, question=question, author=newcomer, body="Reboot.")
    assert reply.status is PostStatus.HELD and question.first_answered_at is None
    (item,) = moderation.review_queue(session=db_session, program_id=program.id)
    assert item.held and item.post is reply
    moderation.moderate(session=db_session, post=reply, actor=staff, action="restore",
                        reason="helpful")  # fmt: skip
    assert question.first_answered_at is not None
    again = posts.answer(session=db_session, question=question, author=newcomer, body="Or this.")
    assert again.status is PostStatus.VISIBLE  # released once: no longer held
    staff_answer = posts.answer(session=db_session, question=question, author=staff, body="Ok")
    super_user = make_member(db_session, super_user=True)
    moderator_answer = posts.answer(session=db_session, question=question, author=super_user,
                                    body="Yes")  # fmt: skip
    assert staff_answer.status is moderator_answer.status is PostStatus.VISIBLE


def test_median_time_from_flag_to_review_and_the_backlog(db_session, program, flagged):
    _question, reply = flagged
    staff = make_user(db_session, "supervisor")
    start = utcnow()
    others = []
    for minutes in (10, 30, 50):
        other = posts.answer(session=db_session, question=_question, author=make_member(db_session),
                             body="Maybe")  # fmt: skip
        flags.flag(session=db_session, post=other, author=make_member(db_session), reason="wrong",
                   clock=Frozen(start))  # fmt: skip
        others.append((other, minutes))
    assert moderation.review_figures(session=db_session, program_id=program.id).backlog == 4
    for other, minutes in others:
        moderation.moderate(session=db_session, post=other, actor=staff, action="hide",
                            reason="wrong answer",
                            clock=Frozen(start + timedelta(minutes=minutes)))  # fmt: skip
    figures = moderation.review_figures(session=db_session, program_id=program.id)
    assert figures.backlog == 1 and figures.flags_reviewed == 3
    assert figures.median_review_seconds == 30 * 60


def test_the_wallboard_card_shows_the_backlog_and_todays_median_review(
    db_session, program, flagged
):
    _question, reply = flagged
    (row,) = [r for r in community_today(session=db_session, now=time.time())
              if r["program"] == program.code]  # fmt: skip
    assert row["review_backlog"] == 1 and row["median_review_seconds"] is None
    moderation.moderate(session=db_session, post=reply, actor=make_user(db_session, "admin"),
                        action="hide", reason="spam")  # fmt: skip
    (row,) = [r for r in community_today(session=db_session, now=time.time())
              if r["program"] == program.code]  # fmt: skip
    assert row["review_backlog"] == 0 and row["median_review_seconds"] >= 0
