"""Training test helpers: the demo course's path, a manual clock, answering and passing."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from agents.models import Stage
from tests.factories import make_program, make_user
from training import attempts, enrolments
from training.importer import import_path

DEMO_COURSE = Path(__file__).resolve().parents[2] / "training" / "courses" / "acme-claims"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class Clock:
    """A manual clock: tests move time forward explicitly; nothing sleeps."""

    def __init__(self, now: datetime = T0):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> datetime:
        self.now += timedelta(**delta)
        return self.now



def seed_trainee(session, email: str = "ana@example.com"):
    """Program acme-claims with the demo course imported, and Ana Silva, an agent in training
    who works it; the user."""
    program = make_program(session, code="acme-claims", name="Claims intake")
    import_path(session=session, path=DEMO_COURSE)
    user = make_user(session, "agent", email=email, display_name="Ana Silva")
    user.agent.programs = [program]
    user.agent.stage = Stage.TRAINING
    return user


def right_answers(session, attempt) -> dict[str, list[str]]:
    """The correct keys of every served question (what a well-trained agent would choose)."""
    served = attempts.served_questions(session=session, attempt=attempt)
    by_id = {q.id: q for q in attempt.module.questions}
    return {str(q.id): list(by_id[q.id].correct) for q in served}


def wrong_answers(session, attempt) -> dict[str, list[str]]:
    served = attempts.served_questions(session=session, attempt=attempt)
    by_id = {q.id: q for q in attempt.module.questions}
    out = {}
    for q in served:
        wrong = [c["key"] for c in q.choices if c["key"] not in by_id[q.id].correct]
        out[str(q.id)] = wrong[:1]
    return out


def pass_course(session, agent, course, clock, *, wrong_in_first: int = 0):
    """Enrol and pass every module at the clock's time; returns the enrolment."""
    enrolment = enrolments.enrol(session=session, agent=agent, course=course, now=clock())
    for module in enrolment.version.modules:
        attempt = attempts.start_attempt(
            session=session, agent=agent, module_id=module.id, now=clock(), rng=random.Random(7)
        )
        answers = right_answers(session, attempt)
        for key in list(answers)[:wrong_in_first] if module.position == 1 else []:
            answers[key] = []
        attempts.submit_attempt(
            session=session, agent=agent, attempt_id=attempt.id, answers=answers, now=clock()
        )
        clock.advance(minutes=5)
    return enrolment
