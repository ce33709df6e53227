"""The performance score of an agent in a program, 0–100, over the last WINDOW_DAYS:

    score = Σ weight_c × value_c / Σ weight_c   over the components c that have data

with each component a value 0–100:
- qa          the mean score of the agent's scored QA reviews in the program;
- csat        the share of their surveys in the program rated 4 or 5, × 100;
- acceptance  offers accepted / offers that ended (accepted, rejected, timed out), × 100 —
              the agent's, across their queues, from the routing event log;
- adherence   the schedule's adherence × 100: minutes available / minutes booked over the
              agent's booked blocks of the program in the window (workforce.adherence); an
              agent who booked no block has no data here, so its weight counts 0 (the
              breakdown says so);
- handle_time 100 × min(1, target / AHT): at or under the program's handle_time_target 100,
              twice the target 50 (AHT from the event log, across the agent's queues).
Weights are the program's (percent, summing to 100); a component without data is left out
and the others' weights are scaled up to fill its share. An agent with no data at all gets no
score. The routing score of an agent (the `performance` strategy) is the mean of their
programs' scores."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from agents.models import AgentProgram, Program
from dispatcher.statistics import agent_time_between
from quality import csat, settings
from quality.models import PerformanceScore, Review

WINDOW_DAYS = 28
COMPONENTS = ("qa", "csat", "acceptance", "adherence", "handle_time")
#: (session, agent_id, program_id, start, end) → adherence 0–1, or None without data.
AdherenceSource = Callable[[Session, str, int, datetime, datetime], float | None]


@dataclass(frozen=True, slots=True)
class Inputs:
    """An agent's raw figures in a program (None: no data)."""

    qa: float | None = None  # mean review score 0–100
    csat: float | None = None  # share rated 4–5, 0–1
    acceptance: float | None = None  # 0–1
    adherence: float | None = None  # 0–1
    aht: float | None = None  # seconds


def values(inputs: Inputs, target_seconds: float) -> dict[str, float | None]:
    """Each component 0–100 (None without data)."""
    percent = lambda share: None if share is None else 100.0 * share  # noqa: E731
    handle = None if not inputs.aht else 100.0 * min(1.0, target_seconds / inputs.aht)
    return {"qa": inputs.qa, "csat": percent(inputs.csat),
            "acceptance": percent(inputs.acceptance), "adherence": percent(inputs.adherence),
            "handle_time": handle}  # fmt: skip


def combine(parts: dict[str, float | None], weights: dict[str, int]) -> tuple[float | None, dict]:
    """(score, breakdown) — breakdown[c] = {value, weight, effective_weight, points}."""
    present = sum(weights.get(c, 0) for c in COMPONENTS if parts[c] is not None)
    breakdown, score = {}, 0.0
    for c in COMPONENTS:
        weight = weights.get(c, 0)
        effective = 100.0 * weight / present if present and parts[c] is not None else 0.0
        points = parts[c] * effective / 100.0 if parts[c] is not None else 0.0
        score += points
        breakdown[c] = {"value": parts[c], "weight": weight, "points": round(points, 2),
                        "effective_weight": round(effective, 2)}  # fmt: skip
    return (round(score, 2) if present else None), breakdown


def compute(*, session: Session, now: datetime,
            adherence: AdherenceSource | None = None) -> list[PerformanceScore]:  # fmt: skip
    """Recompute every agent's score in every program they serve (upserted), over the window
    ending `now`. Without an adherence source the breakdown notes it."""
    start = now - timedelta(days=WINDOW_DAYS)
    work = agent_time_between(session.connection(), start.timestamp(), now.timestamp()).work
    members = session.execute(select(AgentProgram.agent_id, AgentProgram.program_id)).all()
    qa = _qa_means(session, start, now)
    rated = _csat_shares(session, start, now)
    saved = []
    for agent_pk, program_id in members:
        agent_id = str(agent_pk)
        figures = work.get(agent_id)
        inputs = Inputs(
            qa=qa.get((agent_id, program_id)), csat=rated.get((agent_id, program_id)),
            acceptance=figures.acceptance if figures else None,
            adherence=adherence(session, agent_id, program_id, start, now) if adherence else None,
            aht=figures.aht if figures else None,
        )  # fmt: skip
        found = settings.get(session=session, program_id=program_id)
        score, breakdown = combine(values(inputs, found.handle_time_target), found.weights)
        if score is None:
            continue
        breakdown["window_days"] = WINDOW_DAYS
        if inputs.adherence is None:
            breakdown["note"] = "adherence: no booked block in the window, weight counted 0"
        saved.append(_upsert(session, agent_id, program_id, score, breakdown, now))
    session.flush()
    return saved


def _qa_means(session: Session, start: datetime, end: datetime) -> dict:
    scores = defaultdict(list)
    for r in session.scalars(select(Review).where(
            Review.status.in_(("scored", "acknowledged")), Review.kind == "sample",
            Review.scored_at >= start, Review.scored_at < end)):  # fmt: skip
        scores[(r.agent_id, r.program_id)].append(r.score)
    return {key: sum(v) / len(v) for key, v in scores.items()}


def _csat_shares(session: Session, start: datetime, end: datetime) -> dict:
    ratings = defaultdict(list)
    for r in csat.responses(session, None, start, end):
        ratings[(r.agent_id, r.program_id)].append(r.rating)
    return {k: sum(x >= csat.SATISFIED for x in v) / len(v) for k, v in ratings.items()}


def _upsert(session, agent_id, program_id, score, breakdown, now) -> PerformanceScore:
    row = session.scalar(select(PerformanceScore).where(
        PerformanceScore.agent_id == agent_id,
        PerformanceScore.program_id == program_id))  # fmt: skip
    if row is None:
        row = PerformanceScore(agent_id=agent_id, program_id=program_id)
        session.add(row)
    row.score, row.breakdown, row.computed_at = score, breakdown, now
    return row


def routing_scores(*, session: Session) -> dict[str, float]:
    """agent_id → the mean of their programs' scores (what the performance strategy sorts)."""
    by_agent = defaultdict(list)
    for row in session.scalars(select(PerformanceScore)):
        by_agent[row.agent_id].append(row.score)
    return {agent: round(sum(v) / len(v), 2) for agent, v in by_agent.items()}


def for_agent(*, session: Session, agent_id: str) -> list[dict]:
    rows = session.execute(
        select(PerformanceScore, Program.code)
        .join(Program, Program.id == PerformanceScore.program_id)
        .where(PerformanceScore.agent_id == agent_id).order_by(Program.code)
    ).all()  # fmt: skip
    return [as_dict(row, code) for row, code in rows]


def as_dict(row: PerformanceScore, program_code: str) -> dict:
    return {"agent_id": row.agent_id, "program_id": row.program_id, "program": program_code,
            "score": row.score, "breakdown": row.breakdown,
            "computed_at": row.computed_at.isoformat()}  # fmt: skip
