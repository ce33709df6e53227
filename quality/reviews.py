"""QA reviews: each week a random sample of N handled contacts per agent and program lands in
the review queue (N = the program's sample_per_agent; a job beside the active engine); a
reviewer scores it on the program's active scorecard, with the recording or transcript beside
the form; the agent sees it and acknowledges it. Calibration: several reviewers score the same
contact and the report shows the spread per question."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from random import Random

from sqlalchemy import select
from sqlalchemy.orm import Session

from agents.models import Role, User
from quality import access, scorecards, settings
from quality.errors import QualityError
from quality.models import Review, Scorecard

ANSWERS = ("yes", "no", "na")
MAX_COMMENT = 2000


@dataclass(frozen=True, slots=True)
class Handled:
    """A contact an agent handled (channels.handled gives them; quality cannot read channels)."""

    task_id: str
    agent_id: str
    program_id: int


HandledSource = Callable[[Session, datetime, datetime], list[Handled]]


def week_of(moment: datetime) -> tuple[str, datetime]:
    """("2026-W49", Monday 00:00 UTC of that ISO week)."""
    moment = moment.astimezone(UTC)
    year, week, weekday = moment.isocalendar()
    start = (moment - timedelta(days=weekday - 1)).replace(hour=0, minute=0, second=0,
                                                           microsecond=0)  # fmt: skip
    return f"{year}-W{week:02d}", start


def sample_week(*, session: Session, week_start: datetime, handled: HandledSource,
                rng: Random, now: datetime) -> int:  # fmt: skip
    """Queue up to sample_per_agent contacts per agent and program handled in the week from
    `week_start` (never a contact twice); programs without an active scorecard are skipped.
    Returns how many reviews were queued. Running it again tops the sample up to N."""
    week, start = week_of(week_start)
    per_agent: dict[tuple[int, str], list[str]] = defaultdict(list)
    for contact in handled(session, start, start + timedelta(days=7)):
        per_agent[(contact.program_id, contact.agent_id)].append(contact.task_id)
    reviewed = set(session.scalars(select(Review.task_id).where(Review.kind == "sample")))
    queued = 0
    for (program_id, agent_id), task_ids in sorted(per_agent.items()):
        card = scorecards.active(session=session, program_id=program_id)
        want = settings.get(session=session, program_id=program_id).sample_per_agent
        have = sum(t in reviewed for t in task_ids)
        fresh = sorted(t for t in task_ids if t not in reviewed)
        if card is None or want <= have or not fresh:
            continue
        for task_id in rng.sample(fresh, min(want - have, len(fresh))):
            session.add(Review(task_id=task_id, agent_id=agent_id, program_id=program_id,
                               scorecard_id=card.id, week=week, created_at=now))  # fmt: skip
            queued += 1
    session.flush()
    return queued


def visible(*, session: Session, user: User, agent_id: str | None = None,
            status: str | None = None) -> list[Review]:  # fmt: skip
    """Reviews `user` may see, newest first: an agent their own; staff their programs'."""
    query = select(Review).order_by(Review.created_at.desc(), Review.id.desc())
    if user.role is Role.AGENT:
        own = str(user.agent.id) if user.agent else ""
        if agent_id not in (None, own):
            raise QualityError("agent_id", "agents see only their own reviews", status=403)
        query = query.where(Review.agent_id == own, Review.status != "queued")
    else:
        programs = access.programs_of(session=session, user=user)
        if programs is not None:
            query = query.where(Review.program_id.in_(programs))
        if agent_id is not None:
            query = query.where(Review.agent_id == agent_id)
    if status is not None:
        query = query.where(Review.status == status)
    return list(session.scalars(query.limit(500)))


def get_or_raise(*, session: Session, review_id: int, user: User) -> Review:
    review = session.get(Review, review_id)
    if review is None:
        raise QualityError("review_id", "no such review", status=404)
    if user.role is Role.AGENT:
        if not user.agent or review.agent_id != str(user.agent.id) or review.status == "queued":
            raise QualityError("review_id", "not one of your reviews", status=403)
    else:
        access.staff_or_raise(session=session, user=user, program_id=review.program_id)
    return review


def score(*, session: Session, review_id: int, reviewer: User, answers, comment: str = "",
          now: datetime) -> Review:  # fmt: skip
    """Score a queued review (or a calibration review assigned to `reviewer`): every question
    answered yes, no or na. QualityError names the field; nothing is written."""
    review = get_or_raise(session=session, review_id=review_id, user=reviewer)
    if reviewer.role is Role.AGENT:
        raise QualityError("review_id", "agents do not score reviews", status=403)
    if review.status != "queued":
        raise QualityError("review_id", f"already {review.status}", status=409)
    if review.reviewer_user_id not in (None, reviewer.id):
        raise QualityError("review_id", "assigned to another reviewer", status=403)
    card = session.get(Scorecard, review.scorecard_id)
    clean = _answers(card, answers)
    if not isinstance(comment, str) or len(comment) > MAX_COMMENT:
        raise QualityError("comment", f"text of at most {MAX_COMMENT} characters")
    review.score, review.auto_failed = scorecards.score(card, clean)
    review.answers, review.comment = clean, comment.strip()
    review.reviewer_user_id, review.status, review.scored_at = reviewer.id, "scored", now
    session.flush()
    return review


def _answers(card: Scorecard, answers) -> dict:
    if not isinstance(answers, dict):
        raise QualityError("answers", "an object {question id: yes | no | na}")
    ids = [q["id"] for q in scorecards.questions(card)]
    unknown = sorted(set(answers) - set(ids))
    if unknown:
        raise QualityError(f"answers.{unknown[0]}", "not a question of this scorecard")
    for qid in ids:
        if answers.get(qid) not in ANSWERS:
            raise QualityError(f"answers.{qid}", "answer yes, no or na")
    return {qid: answers[qid] for qid in ids}


def acknowledge(*, session: Session, review_id: int, agent: User, now: datetime) -> Review:
    """The agent has read their scored review (once; again changes nothing)."""
    review = get_or_raise(session=session, review_id=review_id, user=agent)
    if agent.role is not Role.AGENT:
        raise QualityError("review_id", "only the reviewed agent acknowledges", status=403)
    if review.status == "scored":
        review.status, review.acknowledged_at = "acknowledged", now
        session.flush()
    return review


def as_dict(review: Review) -> dict:
    return {
        "id": review.id, "task_id": review.task_id, "agent_id": review.agent_id,
        "program_id": review.program_id, "scorecard_id": review.scorecard_id,
        "kind": review.kind, "week": review.week, "status": review.status,
        "reviewer_user_id": review.reviewer_user_id, "answers": review.answers or {},
        "score": review.score, "auto_failed": review.auto_failed, "comment": review.comment,
        "created_at": review.created_at.isoformat(),
        "scored_at": review.scored_at.isoformat() if review.scored_at else None,
        "acknowledged_at": review.acknowledged_at.isoformat() if review.acknowledged_at else None,
    }  # fmt: skip
