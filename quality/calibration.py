"""Calibration: several reviewers score the same contact on the same scorecard version; the
report shows, per question, the points each reviewer gave (the weight for yes, 0 for no,
nothing for na) and the spread = highest − lowest, and the spread of the total scores."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from agents.models import Role, User
from quality import access, scorecards
from quality.errors import QualityError
from quality.models import Review, Scorecard
from quality.reviews import week_of


def assign(*, session: Session, task_id: str, agent_id: str, program_id: int,
           reviewers: list[User], now: datetime) -> list[Review]:  # fmt: skip
    """A calibration review of the contact for each reviewer (staff of the program)."""
    card = scorecards.active(session=session, program_id=program_id)
    if card is None:
        raise QualityError("program_id", "the program has no active scorecard")
    if len({r.id for r in reviewers}) < 2:
        raise QualityError("reviewer_ids", "at least two different reviewers")
    made = []
    for reviewer in reviewers:
        if reviewer.role is Role.AGENT:
            raise QualityError("reviewer_ids", f"user {reviewer.id} is not staff")
        access.staff_or_raise(session=session, user=reviewer, program_id=program_id)
        made.append(Review(task_id=task_id, agent_id=agent_id, program_id=program_id,
                           scorecard_id=card.id, kind="calibration", week=week_of(now)[0],
                           reviewer_user_id=reviewer.id, created_at=now))  # fmt: skip
    session.add_all(made)
    session.flush()
    return made


def report(*, session: Session, task_id: str) -> dict:
    """{task_id, reviewers, scores, score_spread, questions: [{id, text, weight, points:
    {reviewer id: points | None}, spread}]} over the contact's scored calibration reviews."""
    scored = session.scalars(
        select(Review).where(Review.task_id == task_id, Review.kind == "calibration",
                             Review.status != "queued").order_by(Review.reviewer_user_id)
    ).all()  # fmt: skip
    if not scored:
        return {"task_id": task_id, "reviewers": [], "scores": {}, "score_spread": None,
                "questions": []}  # fmt: skip
    card = session.get(Scorecard, scored[0].scorecard_id)
    questions = []
    for q in scorecards.questions(card):
        points = {str(r.reviewer_user_id): _points(q, r.answers.get(q["id"])) for r in scored}
        given = [p for p in points.values() if p is not None]
        questions.append({"id": q["id"], "text": q["text"], "weight": q["weight"],
                          "points": points,
                          "spread": max(given) - min(given) if given else None})  # fmt: skip
    scores = {str(r.reviewer_user_id): r.score for r in scored}
    return {"task_id": task_id, "reviewers": [r.reviewer_user_id for r in scored],
            "scores": scores, "score_spread": max(scores.values()) - min(scores.values()),
            "questions": questions}  # fmt: skip


def _points(question: dict, answer: str | None) -> int | None:
    return {"yes": question["weight"], "no": 0}.get(answer)
