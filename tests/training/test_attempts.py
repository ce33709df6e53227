"""Attempts: order of modules, resubmission, limits, cool-down, expiry, tampering; passing the
course issues a certification and moves the agent from training to certified."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import func, select

from agents.models import Stage
from tests.factories import make_user
from training import attempts, enrolments, events
from training.errors import AttemptRefused, Forbidden, InvalidValue
from training.models import Answer, Attempt, Certification, TrainingEvent

from .helpers import pass_course, right_answers, wrong_answers


def _start(session, agent, module, clock):
    return attempts.start_attempt(
        session=session, agent=agent, module_id=module.id, now=clock(), rng=random.Random(1)
    )


def _recorded(session) -> tuple[int, int, int]:
    session.expire_all()
    return (
        session.scalar(select(func.count(Answer.id))),
        session.scalar(select(func.count(Attempt.id)).where(Attempt.submitted_at.is_not(None))),
        session.scalar(select(func.count(Certification.id))),
    )


@pytest.fixture
def first_module(db_session, agent, course, clock):
    enrolments.enrol(session=db_session, agent=agent, course=course, now=clock())
    return course.current.modules[0]


def test_passing_every_module_certifies_and_moves_the_agent_to_certified(
    db_session, agent, course, clock
):
    already = len(events.list_events(session=db_session, agent_id=agent.id))  # course import
    pass_course(db_session, agent, course, clock)
    (certification,) = db_session.scalars(select(Certification)).all()
    assert certification.score == 100.0 and certification.proficiency == 5
    assert certification.version_id == course.current.id
    assert (certification.expires_at - certification.issued_at).days == 365
    assert agent.stage is Stage.CERTIFIED
    kinds = [e.kind for e in events.list_events(session=db_session, agent_id=agent.id)][already:]
    assert kinds == [events.ISSUED, events.PROFILE_CHANGED, events.AGENT_CERTIFIED]


def test_proficiency_reflects_a_weaker_first_module(db_session, agent, course, clock):
    pass_course(db_session, agent, course, clock, wrong_in_first=1)
    certification = db_session.scalar(select(Certification))
    # module 1 scored 80% (4 of 5), the other three 100%: mean 95 → proficiency 5 floor holds
    assert certification.score == 95.0 and certification.proficiency == 5


def test_modules_are_taken_in_order(db_session, agent, course, first_module, clock):
    second = course.current.modules[1]
    with pytest.raises(AttemptRefused, match="pass module 1"):
        _start(db_session, agent, second, clock)


def test_an_attempt_is_submitted_once(db_session, agent, first_module, clock):
    attempt = _start(db_session, agent, first_module, clock)
    answers = wrong_answers(db_session, attempt)
    attempts.submit_attempt(
        session=db_session, agent=agent, attempt_id=attempt.id, answers=answers, now=clock()
    )
    before = _recorded(db_session)
    with pytest.raises(AttemptRefused, match="already submitted"):
        attempts.submit_attempt(
            session=db_session, agent=agent, attempt_id=attempt.id,
            answers=right_answers(db_session, attempt), now=clock(),
        )  # fmt: skip
    assert _recorded(db_session) == before


def test_cool_down_then_attempt_limit(db_session, agent, first_module, clock):
    for number in (1, 2, 3):
        attempt = _start(db_session, agent, first_module, clock)
        assert attempt.number == number
        attempts.submit_attempt(
            session=db_session, agent=agent, attempt_id=attempt.id,
            answers=wrong_answers(db_session, attempt), now=clock(),
        )  # fmt: skip
        assert attempt.passed is False
        clock.advance(minutes=29)
        with pytest.raises(AttemptRefused, match="cool-down" if number < 3 else "no attempts"):
            _start(db_session, agent, first_module, clock)
        clock.advance(minutes=1)
    with pytest.raises(AttemptRefused, match="no attempts left"):
        _start(db_session, agent, first_module, clock)


def test_an_open_attempt_is_resumed_not_duplicated(db_session, agent, first_module, clock):
    first = _start(db_session, agent, first_module, clock)
    clock.advance(minutes=10)
    assert _start(db_session, agent, first_module, clock).id == first.id


def test_an_expired_attempt_is_refused_and_counts_toward_the_limit(
    db_session, agent, first_module, clock
):
    attempt = _start(db_session, agent, first_module, clock)
    clock.advance(minutes=first_module.time_limit_minutes)
    before = _recorded(db_session)
    with pytest.raises(AttemptRefused, match="expired"):
        attempts.submit_attempt(
            session=db_session, agent=agent, attempt_id=attempt.id,
            answers=right_answers(db_session, attempt), now=clock(),
        )  # fmt: skip
    assert _recorded(db_session) == before
    clock.advance(minutes=first_module.cooldown_minutes)
    assert _start(db_session, agent, first_module, clock).number == 2


def test_unknown_question_ids_and_choices_are_refused_and_nothing_recorded(
    db_session, agent, course, first_module, clock
):
    attempt = _start(db_session, agent, first_module, clock)
    other_question = course.current.modules[1].questions[0]
    good = right_answers(db_session, attempt)
    first_id = next(iter(good))
    tampered = [
        {**good, str(other_question.id): list(other_question.correct)},
        {**good, "999999": ["a"]},
        {**good, "abc": ["a"]},
        {**good, first_id: ["z"]},
        {**good, first_id: ["a", "a"]},
        {**good, first_id: "not-a-list-of-keys" and 5},
    ]
    before = _recorded(db_session)
    for answers in tampered:
        with pytest.raises(InvalidValue) as caught:
            attempts.submit_attempt(
                session=db_session, agent=agent, attempt_id=attempt.id, answers=answers,
                now=clock(),
            )  # fmt: skip
        assert caught.value.field.startswith("answers")
    assert _recorded(db_session) == before
    assert attempt.submitted_at is None


def test_an_attempt_belongs_to_one_agent(db_session, agent, program, first_module, clock):
    attempt = _start(db_session, agent, first_module, clock)
    intruder = make_user(db_session, "agent").agent
    intruder.programs = [program]
    with pytest.raises(Forbidden):
        attempts.submit_attempt(
            session=db_session, agent=intruder, attempt_id=attempt.id,
            answers=right_answers(db_session, attempt), now=clock(),
        )  # fmt: skip
    assert attempt.submitted_at is None


def test_an_agent_outside_the_program_cannot_enrol(db_session, course, clock):
    outsider = make_user(db_session, "agent").agent
    with pytest.raises(Forbidden, match="not assigned"):
        enrolments.enrol(session=db_session, agent=outsider, course=course, now=clock())


def test_an_applicant_who_enrols_moves_to_training(db_session, users, course, clock):
    agent = users["agent"].agent
    assert agent.stage is Stage.APPLICANT
    enrolments.enrol(session=db_session, agent=agent, course=course, now=clock())
    assert agent.stage is Stage.TRAINING


def test_recertification_opens_only_in_the_reminder_window(db_session, agent, course, clock):
    pass_course(db_session, agent, course, clock)
    with pytest.raises(AttemptRefused, match="recertification opens"):
        enrolments.enrol(session=db_session, agent=agent, course=course, now=clock())
    clock.advance(days=340)
    again = enrolments.enrol(session=db_session, agent=agent, course=course, now=clock())
    assert again.completed_at is None


def test_old_attempts_and_certifications_keep_their_version(db_session, agent, course, clock):
    from training.courses import edit_course

    pass_course(db_session, agent, course, clock)
    old_version = course.current
    result = edit_course(
        session=db_session, course=course, changes={"pass_mark": 90}, actor_id=None
    )
    assert result.version.version == 2
    certification = db_session.scalar(select(Certification))
    assert certification.version_id == old_version.id
    assert {a.module.version_id for a in db_session.scalars(select(Attempt))} == {old_version.id}
    kinds = list(db_session.scalars(select(TrainingEvent.kind)))
    # The edit issues or revokes nothing; it only tells the dispatcher to re-read skills.
    assert kinds.count("certification.issued") == 1 and "certification.revoked" not in kinds
    assert kinds[-1] == "agent.profile_changed"
