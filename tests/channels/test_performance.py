"""The performance score end to end: CSAT answers of two agents → the score (breakdown shown to
the agent only) → `set_score` through the engine's command path → the `performance` strategy
offers the next call to the better agent; the schedule's tier follows the score."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from agents.models import Program
from channels import entry_points
from channels.links import conference_name
from channels.models import Contact
from database.base import utcnow
from dispatcher.core.codec import encode
from dispatcher.core.model import Queue, Strategy
from dispatcher.tables import RoutingAgent
from quality.jobs import recompute
from quality.models import Survey
from tests.channels.helpers import CLAIMS_OFFER_SECONDS, NUMBER
from tests.waiting import wait_until
from workforce import standing


def _rated(center, name: str, ratings: list[int]) -> None:
    agent_id = center.agents[name][0]
    now = utcnow()
    with center.sessions.begin() as session:
        entry = entry_points.get_by_address(session=session, address=NUMBER)
        for n, rating in enumerate(ratings):
            task_id = f"CA{name}{n}"
            session.add(
                Contact(
                    task_id=task_id,
                    channel="voice",
                    entry_point_id=entry.id,
                    agent_id=agent_id,
                    outcome="answered",
                    queue_id="claims",
                )
            )
            session.flush()
            session.add(
                Survey(
                    task_id=task_id,
                    program_id=entry.program_id,
                    queue_id="claims",
                    agent_id=agent_id,
                    channel="voice",
                    rating=rating,
                    offered_at=now - timedelta(hours=1),
                    answered_at=now,
                )
            )


def _routing_score(center, name: str):
    with center.sessions() as session:
        row = session.get(RoutingAgent, center.agents[name][0])
        return row.data.get("score") if row else None


def test_the_score_reaches_the_performance_strategy_and_the_tier(center):
    center.command(
        "configure_queue",
        queue=encode(
            Queue(
                "claims",
                program="acme",
                reservation_timeout=CLAIMS_OFFER_SECONDS,
                wrapup_seconds=0.3,
                strategy=Strategy.PERFORMANCE,
            )
        ),
    )
    center.available("bob")  # bob has been idle longest: longest-idle would offer him first
    center.available("ann")
    _rated(center, "ann", [5, 5, 4])
    _rated(center, "bob", [1, 2, 3])
    with center.sessions.begin() as session:
        scores = recompute(session=session)
    ann, bob = center.agents["ann"][0], center.agents["bob"][0]
    assert scores[ann] == 100.0 and scores[bob] == 0.0  # only CSAT has data: it counts 100%
    wait_until(lambda: _routing_score(center, "ann") == 100.0)
    wait_until(lambda: _routing_score(center, "bob") == 0.0)
    with center.sessions() as session:
        assert standing.tier_of(session=session, agent_id=int(ann)).code == "elite"
        assert standing.tier_of(session=session, agent_id=int(bob)).code == "new"

    call_sid = center.carrier.place_call(from_="+15557770099", to=NUMBER, digits="1")
    wait_until(lambda: center.carrier.bridged(conference_name(call_sid)))
    with center.sessions() as session:
        assert session.get(Contact, call_sid).agent_id == ann

    mine = center.logged_in("ann").get("/api/v1/quality/scores").get_json()["scores"]
    assert [(s["program"], s["score"]) for s in mine] == [("acme", 100.0)]
    breakdown = mine[0]["breakdown"]
    assert breakdown["csat"]["effective_weight"] == 100.0 and breakdown["qa"]["value"] is None
    assert "adherence" in breakdown["note"]
    refused = center.logged_in("ann").get(f"/api/v1/quality/scores?agent_id={bob}")
    assert refused.status_code == 403
    page = center.logged_in("ann").get("/quality/me")
    assert page.status_code == 200 and b"100.0 / 100" in page.data


def test_weights_per_program_change_the_score(center):
    _rated(center, "ann", [5, 1])  # CSAT 50 %
    with center.sessions.begin() as session:
        program = session.scalar(select(Program).where(Program.code == "acme"))
        from quality import settings as quality_settings

        quality_settings.save(
            session=session,
            program_id=program.id,
            values={
                "weights": {"qa": 0, "csat": 100, "acceptance": 0, "adherence": 0, "handle_time": 0}
            },
        )
        scores = recompute(session=session)
    assert scores[center.agents["ann"][0]] == 50.0
