"""Quiz attempts: start (limit, cool-down, order of modules), submit once, grade on the server.

An attempt belongs to the agent who started it, serves a fixed paper, and expires
time_limit_minutes after it started. Cool-down: a new attempt may start cooldown_minutes after
the previous one ended (its submission, or its expiry when never submitted). Every attempt
started counts against attempt_limit, submitted or not.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from agents.models import Agent, Role, User
from database.base import utcnow
from training import certification, grading
from training.answers import checked_answers, record_grade
from training.courses import module_or_raise, questions_by_id
from training.enrolments import attempts_of, check_may_train, lock_agent, open_enrolment
from training.errors import AttemptRefused, Forbidden, NotFound
from training.models import Attempt, Enrolment, Module

_SYSTEM_RANDOM = random.SystemRandom()


@dataclass(frozen=True)
class ServedQuestion:
    """A question as the agent sees it before submission: never its correct keys."""

    id: int
    kind: str
    prompt: str
    choices: list[dict]  # [{"key", "text"}] in served order


@dataclass(frozen=True)
class GradedQuestion:
    id: int
    kind: str
    prompt: str
    choices: list[dict]
    chosen: list[str]
    is_correct: bool
    correct: list[str] | None  # None unless the course reveals answers
    explanation: str | None


def attempt_or_raise(*, session: Session, attempt_id: int) -> Attempt:
    attempt = session.get(Attempt, attempt_id)
    if attempt is None:
        raise NotFound(f"no attempt with id {attempt_id}", field="attempt_id")
    return attempt


def attempt_for(*, session: Session, user: User, attempt_id: int) -> Attempt:
    """The attempt if `user` may see it: its own agent, or staff."""
    attempt = attempt_or_raise(session=session, attempt_id=attempt_id)
    if user.role is Role.AGENT and (user.agent is None or attempt.agent_id != user.agent.id):
        raise Forbidden(f"attempt {attempt_id} belongs to another agent", field="attempt_id")
    return attempt


def list_attempts(
    *, session: Session, agent_id: int | None = None, limit: int = 200
) -> list[Attempt]:
    query = select(Attempt).order_by(Attempt.id.desc()).limit(limit)
    if agent_id is not None:
        query = query.where(Attempt.agent_id == agent_id)
    return list(session.scalars(query))


def start_attempt(
    *,
    session: Session,
    agent: Agent,
    module_id: int,
    now: datetime | None = None,
    rng: random.Random | None = None,
) -> Attempt:
    """A new attempt at the module's quiz, or the agent's open one for it."""
    now = now or utcnow()
    lock_agent(session, agent.id)
    module = module_or_raise(session=session, module_id=module_id)
    course = module.version.course
    check_may_train(agent, course)
    enrolment = open_enrolment(session=session, agent_id=agent.id, course_id=course.id)
    if enrolment is None or enrolment.version_id != module.version_id:
        raise AttemptRefused(
            f"you are not enrolled in version {module.version.version} of {course.code}",
            field="module_id",
        )
    _check_order(session, enrolment, module)
    attempts = attempts_of(session, enrolment, module)
    if any(a.passed for a in attempts):
        raise AttemptRefused(f"module '{module.title}' is already passed", field="module_id")
    for attempt in attempts:
        if attempt.submitted_at is None and attempt.expires_at > now:
            return attempt
    _check_limit_and_cooldown(module, attempts, now)
    return _new_attempt(session, enrolment, module, len(attempts) + 1, now, rng or _SYSTEM_RANDOM)


def start_refusal(
    *, session: Session, enrolment: Enrolment, module: Module, now: datetime
) -> str | None:
    """Why a new attempt at `module` cannot start now (order, limit, cool-down), or None: the
    same rules as start_attempt, so a page offers "Take quiz" only when it would work."""
    try:
        _check_order(session, enrolment, module)
        _check_limit_and_cooldown(module, attempts_of(session, enrolment, module), now)
    except AttemptRefused as refused:
        return refused.message
    return None


def _check_order(session: Session, enrolment: Enrolment, module: Module) -> None:
    for earlier in enrolment.version.modules:
        if earlier.position >= module.position:
            break
        if not any(a.passed for a in attempts_of(session, enrolment, earlier)):
            raise AttemptRefused(
                f"pass module {earlier.position} '{earlier.title}' first", field="module_id"
            )


def next_allowed_at(module: Module, attempts: list[Attempt]) -> datetime | None:
    """When the cool-down after the last attempt ends (None: no attempt yet)."""
    if not attempts:
        return None
    last = attempts[-1]
    ended = last.submitted_at or last.expires_at
    return ended + timedelta(minutes=module.cooldown_minutes)


def _check_limit_and_cooldown(module: Module, attempts: list[Attempt], now: datetime) -> None:
    if module.attempt_limit is not None and len(attempts) >= module.attempt_limit:
        raise AttemptRefused(
            f"no attempts left at '{module.title}' (limit {module.attempt_limit}); "
            "ask a supervisor",
            field="module_id",
        )
    allowed = next_allowed_at(module, attempts)
    if allowed is not None and now < allowed:
        raise AttemptRefused(
            f"cool-down: your next attempt at '{module.title}' opens at "
            f"{allowed:%Y-%m-%d %H:%M} UTC",
            field="module_id",
        )


def _new_attempt(session, enrolment, module, number, now, rng) -> Attempt:
    paper = grading.build_paper(
        [(q.id, [c["key"] for c in q.choices]) for q in module.questions],
        sample=module.sample_size,
        shuffle=module.shuffle,
        rng=rng,
    )
    attempt = Attempt(
        enrolment_id=enrolment.id,
        agent_id=enrolment.agent_id,
        module_id=module.id,
        number=number,
        paper=paper,
        started_at=now,
        expires_at=now + timedelta(minutes=module.time_limit_minutes),
        question_count=len(paper),
    )
    session.add(attempt)
    session.flush()
    return attempt


def served_questions(*, session: Session, attempt: Attempt) -> list[ServedQuestion]:
    """The paper as shown before submission: prompts and choices, no answer keys."""
    questions = questions_by_id(session=session, ids=[p["question_id"] for p in attempt.paper])
    served = []
    for item in attempt.paper:
        question = questions[item["question_id"]]
        texts = {c["key"]: c["text"] for c in question.choices}
        choices = [{"key": key, "text": texts[key]} for key in item["choices"]]
        served.append(ServedQuestion(question.id, question.kind, question.prompt, choices))
    return served


def submit_attempt(
    *,
    session: Session,
    agent: Agent,
    attempt_id: int,
    answers: Mapping,
    now: datetime | None = None,
) -> Attempt:
    """Grade the agent's answers (question id → choice keys) once; refused changes nothing."""
    now = now or utcnow()
    attempt = attempt_or_raise(session=session, attempt_id=attempt_id)
    if attempt.agent_id != agent.id:
        raise Forbidden(f"attempt {attempt_id} belongs to another agent", field="attempt_id")
    if attempt.submitted_at is not None:
        raise AttemptRefused(f"attempt {attempt_id} was already submitted", field="attempt_id")
    if now >= attempt.expires_at:
        raise AttemptRefused(
            f"attempt {attempt_id} expired at {attempt.expires_at:%Y-%m-%d %H:%M} UTC; "
            "start a new one",
            field="attempt_id",
        )
    questions = questions_by_id(session=session, ids=[p["question_id"] for p in attempt.paper])
    chosen = checked_answers(attempt, questions, answers)
    # Claim the attempt with a guarded UPDATE so two racing submissions cannot both count.
    claimed = session.execute(
        update(Attempt)
        .where(Attempt.id == attempt.id, Attempt.submitted_at.is_(None))
        .values(submitted_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise AttemptRefused(f"attempt {attempt_id} was already submitted", field="attempt_id")
    record_grade(session, attempt, questions, chosen, now)
    if attempt.passed:
        certification.complete_if_done(session=session, enrolment=attempt.enrolment, now=now)
    return attempt


def graded_questions(*, session: Session, attempt: Attempt) -> list[GradedQuestion]:
    """The submitted paper with what was chosen and right; correct keys and explanations only
    when the course version reveals answers."""
    reveal = attempt.module.version.reveal_answers
    served = {s.id: s for s in served_questions(session=session, attempt=attempt)}
    answers = {a.question_id: a for a in attempt.answers}
    questions = questions_by_id(session=session, ids=list(served))
    out = []
    for question_id, item in served.items():
        answer = answers.get(question_id)
        out.append(
            GradedQuestion(
                id=question_id,
                kind=item.kind,
                prompt=item.prompt,
                choices=item.choices,
                chosen=answer.chosen if answer else [],
                is_correct=bool(answer and answer.is_correct),
                correct=list(questions[question_id].correct) if reveal else None,
                explanation=(questions[question_id].explanation or None) if reveal else None,
            )
        )
    return out
