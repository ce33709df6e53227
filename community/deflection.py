"""Deflection: suggestions shown before a customer chats or posts, and their verdicts.

deflection rate = solved / (solved + need_help) verdicts of the period;
self-service score = solved verdicts / (solved verdicts + contacts that reached an agent
queue) of the period: the share of help-seeking that ended in self-service (Zendesk's
self-service score, with recorded verdicts standing in for help-centre views)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from agents.validation import validate_text
from community.errors import InvalidValue
from community.models import Deflection, DeflectionOutcome, Post, PostKind
from community.search import search
from database.clock import SYSTEM, Clock, utcnow

SOURCES = ("chat", "ask")


def suggest(*, session: Session, program_id: int, query: str, limit: int = 5):
    """Answered questions matching `query`, best first (what the widget and the ask form show)."""
    return [hit for hit in search(session=session, program_id=program_id, query=query,
                                  limit=limit * 2, any_word=True)
            if hit.answered][:limit]  # fmt: skip


def record(*, session: Session, program_id: int, source: str, outcome: str, query: str = "",
           question_id: int | None = None, clock: Clock = SYSTEM) -> Deflection:  # fmt: skip
    """Record a verdict; `question_id` (the suggestion that solved it) must be the program's."""
    if source not in SOURCES:
        raise InvalidValue(f"source must be one of: {', '.join(SOURCES)}", field="source")
    try:
        verdict = DeflectionOutcome(outcome)
    except ValueError:
        raise InvalidValue("outcome must be solved or need_help", field="outcome") from None
    query = validate_text(query or "", field="query", max_length=200, required=False)
    if question_id is not None:
        post = session.get(Post, question_id)
        if post is None or post.program_id != program_id or post.kind is not PostKind.QUESTION:
            raise InvalidValue(f"no question {question_id} in this community",
                               field="question_id")  # fmt: skip
    made = Deflection(program_id=program_id, source=source, query=query, outcome=verdict,
                      question_id=question_id, created_at=utcnow(clock))  # fmt: skip
    session.add(made)
    session.flush()
    return made


@dataclass(frozen=True)
class DeflectionCounts:
    solved: int
    need_help: int

    @property
    def rate(self) -> float | None:
        total = self.solved + self.need_help
        return self.solved / total if total else None


def counts(*, session: Session, since: datetime, until: datetime) -> dict[int, DeflectionCounts]:
    """Verdicts per program id in [since, until)."""
    rows = session.execute(
        select(Deflection.program_id, Deflection.outcome, func.count(Deflection.id))
        .where(Deflection.created_at >= since, Deflection.created_at < until)
        .group_by(Deflection.program_id, Deflection.outcome)
    )
    tally: dict[int, dict[str, int]] = {}
    for program_id, outcome, n in rows:
        tally.setdefault(program_id, {})[DeflectionOutcome(outcome).value] = n
    return {
        p: DeflectionCounts(t.get("solved", 0), t.get("need_help", 0)) for p, t in tally.items()
    }


def self_service_score(solved: int, contacts: int) -> float | None:
    total = solved + contacts
    return solved / total if total else None
