"""CSAT: a survey offered once per contact when its conversation ends (a call's IVR question,
the chat widget's rating, an SMS question), answered at most once with a rating 1–5, and the
figures read from the answers: response rate = answered / offered, average rating, and CSAT =
the share of answers rated 4 or 5 (the "top two boxes"), per agent, queue and program."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from agents.models import Program
from quality import settings
from quality.errors import QualityError
from quality.models import Survey

MAX_COMMENT = 1000
SATISFIED = 4  # a rating of 4 or 5 counts as satisfied


@dataclass(frozen=True, slots=True)
class Response:
    """One answered survey, as ROI and the performance score read it."""

    task_id: str
    program_id: int
    queue_id: str | None
    agent_id: str | None
    channel: str
    rating: int
    answered_at: datetime


def wanted(*, session: Session, contact) -> bool:
    """The contact's program surveys its channel, and an agent had the contact."""
    if not contact.agent_id or contact.entry_point is None:
        return False
    found = settings.get(session=session, program_id=contact.entry_point.program_id)
    return found.voice_survey if contact.channel == "voice" else found.chat_survey


def offer(*, session: Session, contact, now: datetime) -> Survey | None:
    """Offer the contact's survey (once); None when the program does not survey it or it was
    offered before."""
    if not wanted(session=session, contact=contact):
        return None
    survey = Survey(
        task_id=contact.task_id, program_id=contact.entry_point.program_id,
        queue_id=contact.queue_id, agent_id=contact.agent_id, channel=contact.channel,
        offered_at=now,
    )  # fmt: skip
    try:
        with session.begin_nested():
            session.add(survey)
            session.flush()
    except IntegrityError:
        return None
    return survey


def get(*, session: Session, task_id: str) -> Survey | None:
    return session.get(Survey, task_id)


def parse_rating(raw) -> int:
    """A rating 1–5 from JSON (an integer) or a keypad / SMS ("4"); QualityError otherwise."""
    if isinstance(raw, bool):
        raise QualityError("rating", "a whole number from 1 to 5")
    if isinstance(raw, str) and raw.strip().isdigit():
        raw = int(raw.strip())
    if not isinstance(raw, int) or not 1 <= raw <= 5:
        raise QualityError("rating", "a whole number from 1 to 5")
    return raw


def answer(*, session: Session, task_id: str, rating, comment: str = "",
           now: datetime) -> Survey:  # fmt: skip
    """Record the answer of the contact's survey. QualityError (nothing written): `rating` not
    1–5, `comment` too long, `task_id` with no survey offered (404) or already answered (409;
    a double click or a replayed keypress changes nothing)."""
    rating = parse_rating(rating)
    comment = (comment or "").strip() if isinstance(comment, str) else None
    if comment is None or len(comment) > MAX_COMMENT:
        raise QualityError("comment", f"text of at most {MAX_COMMENT} characters")
    if session.get(Survey, task_id) is None:
        raise QualityError("task_id", "no survey was offered for this contact", status=404)
    done = session.execute(
        update(Survey).where(Survey.task_id == task_id, Survey.rating.is_(None))
        .values(rating=rating, comment=comment, answered_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount  # fmt: skip
    if not done:
        raise QualityError("task_id", "this contact's survey is already answered", status=409)
    survey = session.get(Survey, task_id)
    session.refresh(survey)
    return survey


def responses(session: Session, program_id: int | None, start: datetime,
              end: datetime) -> list[Response]:  # fmt: skip
    """Answers given in [start, end), of one program (None: every program), oldest first."""
    query = select(Survey).where(
        Survey.rating.is_not(None), Survey.answered_at >= start, Survey.answered_at < end
    )
    if program_id is not None:
        query = query.where(Survey.program_id == program_id)
    return [
        Response(s.task_id, s.program_id, s.queue_id, s.agent_id, s.channel, s.rating,
                 s.answered_at)
        for s in session.scalars(query.order_by(Survey.answered_at, Survey.task_id))
    ]  # fmt: skip


def offered(session: Session, program_id: int | None, start: datetime,
            end: datetime) -> list[Survey]:  # fmt: skip
    """Surveys offered in [start, end) (answered or not)."""
    query = select(Survey).where(Survey.offered_at >= start, Survey.offered_at < end)
    if program_id is not None:
        query = query.where(Survey.program_id == program_id)
    return list(session.scalars(query))


def figures(ratings: list[int], offered_count: int) -> dict:
    """{offered, answered, response_rate, average, csat} of a group (None where nothing to
    divide by)."""
    answered = len(ratings)
    return {
        "offered": offered_count,
        "answered": answered,
        "response_rate": answered / offered_count if offered_count else None,
        "average": sum(ratings) / answered if answered else None,
        "csat": sum(r >= SATISFIED for r in ratings) / answered if answered else None,
    }


def board(*, session: Session, start: datetime, end: datetime) -> dict:
    """The wallboard's CSAT per program, queue and agent for surveys offered in [start, end)."""
    groups: dict[tuple[str, str], list[Survey]] = defaultdict(list)
    for survey in offered(session, None, start, end):
        groups[("program", str(survey.program_id))].append(survey)
        groups[("queue", survey.queue_id or "")].append(survey)
        groups[("agent", survey.agent_id or "")].append(survey)
    codes = dict(session.execute(select(Program.id, Program.code)).all())
    result: dict[str, list] = {"programs": [], "queues": [], "agents": []}
    for (kind, key), rows in sorted(groups.items()):
        ratings = [s.rating for s in rows if s.rating is not None]
        name = codes.get(int(key), key) if kind == "program" else key
        result[f"{kind}s"].append({"id": name, **figures(ratings, len(rows))})
    return result
