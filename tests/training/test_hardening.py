"""Course files that would crash or fool the importer, revocations that stick, races between an
agent's own requests, and curriculum changes that reach the dispatcher."""

from __future__ import annotations

import random
import threading

import pytest
from sqlalchemy import func, select

from agents import roster
from agents.models import Stage
from tests import databases
from tests.factories import make_program, make_user
from training import attempts, certification, enrolments, events
from training.course_format import parse_course
from training.errors import CourseFileError, InvalidValue
from training.importer import import_definition, import_path
from training.models import Enrolment, TrainingEvent
from training.skills import skills_at

from .helpers import DEMO_COURSE, pass_course


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("title: first\ntitle: second\n", "the key 'title' appears twice"),
        ("a: &x [1, 2]\nb: *x\n", "aliases (*name) are not allowed"),
        ("d: " + "[" * 40 + "]" * 40 + "\n", "nested deeper than"),
    ],
)
def test_unsafe_yaml_is_refused_with_its_line(text, reason):
    with pytest.raises(CourseFileError) as refused:
        parse_course(text, file="bad.yaml")
    (problem,) = refused.value.problems
    assert reason in str(refused.value) and problem.line is not None


def test_control_characters_in_course_text_are_refused():
    text = (DEMO_COURSE / "course.yaml").read_text()
    tampered = text.replace("title: ", 'title: "\\0"  # ', 1)
    with pytest.raises(CourseFileError, match="control characters"):
        parse_course(tampered, file="course.yaml", base_dir=DEMO_COURSE)


def test_revoked_agent_trains_again_and_needs_a_supervisor_after_passing(
    db_session, agent, course, clock, users
):
    pass_course(db_session, agent, course, clock)
    roster.change_stage(
        session=db_session, actor=users["supervisor"], agent=agent, to_stage=Stage.ACTIVE
    )
    (cert,) = certification.list_certifications(session=db_session, agent_id=agent.id)
    certification.revoke(
        session=db_session,
        certification=cert,
        actor=users["supervisor"],
        reason="fraud",
        now=clock(),
    )
    assert agent.stage is Stage.TRAINING
    clock.advance(minutes=1)
    pass_course(db_session, agent, course, clock)
    assert agent.stage is Stage.CERTIFIED
    assert skills_at(session=db_session, agent_id=agent.id, at=clock()) == []


def test_a_question_id_must_be_ascii_digits(db_session, agent, course, clock):
    enrolments.enrol(session=db_session, agent=agent, course=course, now=clock())
    module = course.current.modules[0]
    attempt = attempts.start_attempt(
        session=db_session, agent=agent, module_id=module.id, now=clock(), rng=random.Random(1)
    )
    for raw in ("²", "٣"):
        with pytest.raises(InvalidValue, match="is not part of attempt"):
            attempts.submit_attempt(
                session=db_session,
                agent=agent,
                attempt_id=attempt.id,
                answers={raw: ["a"]},
                now=clock(),
            )


def test_a_new_required_course_is_announced_for_every_agent_of_the_program(
    db_session, agent, course
):
    before = db_session.scalar(select(func.count()).select_from(TrainingEvent))
    extra = (
        (DEMO_COURSE / "course.yaml")
        .read_text()
        .replace("code: claims-intake", "code: claims-advanced", 1)
    )
    assert "claims-advanced" in extra
    definition = parse_course(extra, file="advanced.yaml", base_dir=DEMO_COURSE)
    import_definition(session=db_session, definition=definition, file="advanced.yaml")
    db_session.flush()
    added = db_session.scalars(
        select(TrainingEvent).order_by(TrainingEvent.id).offset(before)
    ).all()
    assert [(e.kind, e.agent_id) for e in added] == [(events.PROFILE_CHANGED, agent.id)]


def test_simultaneous_enrolments_of_one_agent_make_one(tmp_path):
    with databases.fresh_database(tmp_path) as (_engine, sessions):
        with sessions.begin() as session:
            program = make_program(session, code="acme-claims", name="Claims")
            user = make_user(session, "agent")
            user.agent.programs = [program]
            (imported,) = import_path(session=session, path=DEMO_COURSE)
            agent_id, course_id = user.agent.id, imported.course.id
        errors = []

        def enrol_once():
            try:
                with sessions.begin() as session:
                    from agents.models import Agent
                    from training.models import Course

                    enrolments.enrol(
                        session=session,
                        agent=session.get(Agent, agent_id),
                        course=session.get(Course, course_id),
                    )
            except Exception as error:  # noqa: BLE001 - a race shows up as any error
                errors.append(repr(error))

        threads = [threading.Thread(target=enrol_once) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        with sessions() as session:
            count = session.scalar(select(func.count()).select_from(Enrolment))
    assert errors == [] and count == 1
