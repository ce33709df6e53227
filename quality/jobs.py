"""Quality's periodic jobs, registered on the active engine's APScheduler by the composition
root (crowdline.wiring), so none runs twice in a deployment: the recordings purge (hourly),
the weekly QA sample (Mondays 01:00 UTC, of the week before; also topped up hourly for the
current week) and the nightly performance scores (02:00 UTC), which feed the routing engine
(`set_score` commands) and the schedule's tiers."""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select

from database.clock import SYSTEM, Clock, utcnow
from dispatcher import commands
from dispatcher.tables import RoutingAgent
from quality import performance, recordings, reviews
from workforce import standing
from workforce.adherence import program_adherence

log = logging.getLogger(__name__)
PURGE_EVERY_SECONDS = 3600
COMMON = {"replace_existing": True, "coalesce": True, "max_instances": 1}
#: The schedule's tier for a score (the first whose floor the score reaches).
TIER_FLOORS = (("elite", 85.0), ("preferred", 70.0), ("standard", 50.0), ("new", 0.0))


def tier_for(score: float) -> str:
    return next(code for code, floor in TIER_FLOORS if score >= floor)


class QualityJobs:
    """`register(scheduler)` is one of the engine runner's job callables. `handled` lists the
    contacts agents handled (channels.handled); `adherence` is the schedule's
    (workforce.adherence; None leaves it out of every score); `tiers`: the nightly score sets
    the schedule's tiers (workforce.standing)."""

    def __init__(self, *, sessions, delete_media: Callable, handled=None,
                 adherence=program_adherence, tiers: bool = True, clock: Clock = SYSTEM,
                 rng: random.Random | None = None) -> None:  # fmt: skip
        self.sessions = sessions
        self.delete_media = delete_media
        self.handled = handled
        self.adherence = adherence
        self.tiers = tiers
        self.clock = clock
        self.rng = rng or random.Random()

    def register(self, scheduler) -> None:
        scheduler.add_job(self.purge, "interval", seconds=PURGE_EVERY_SECONDS,
                          id="quality-purge-recordings", **COMMON)  # fmt: skip
        if self.handled is not None:
            scheduler.add_job(self.sample_last_week, "cron", day_of_week="mon", hour=1,
                              id="quality-weekly-sample", **COMMON)  # fmt: skip
            scheduler.add_job(self.sample_this_week, "interval", seconds=PURGE_EVERY_SECONDS,
                              id="quality-sample-this-week", **COMMON)  # fmt: skip
        scheduler.add_job(self.score, "cron", hour=2, id="quality-nightly-scores", **COMMON)

    def purge(self) -> int:
        with self.sessions.begin() as session:
            purged = recordings.purge_expired(session=session, now=utcnow(self.clock),
                                              delete_media=self.delete_media)  # fmt: skip
        if purged:
            log.info("purged %d recordings past their program's retention", purged)
        return purged

    def sample_last_week(self) -> int:
        return self._sample(utcnow(self.clock) - timedelta(days=7))

    def sample_this_week(self) -> int:
        return self._sample(utcnow(self.clock))

    def _sample(self, moment) -> int:
        with self.sessions.begin() as session:
            return reviews.sample_week(session=session, week_start=moment, handled=self.handled,
                                       rng=self.rng, now=utcnow(self.clock))  # fmt: skip

    def score(self) -> dict[str, float]:
        """Recompute every score, hand the engine each agent's routing score, set tiers."""
        with self.sessions.begin() as session:
            return recompute(session=session, clock=self.clock, adherence=self.adherence,
                             tiers=self.tiers)  # fmt: skip


def recompute(*, session, clock: Clock = SYSTEM, adherence=program_adherence,
              tiers: bool = True) -> dict:
    """The nightly work, also on demand (CLI, API): scores, routing scores through the engine's
    command path (`set_score` for agents the engine knows), tiers. Returns agent → score."""
    now = utcnow(clock)
    performance.compute(session=session, now=now, adherence=adherence)
    scores = performance.routing_scores(session=session)
    known = set(session.scalars(select(RoutingAgent.agent_id)))
    for agent_id, score in sorted(scores.items()):
        if agent_id in known:
            commands.submit(session, "set_score", {"agent_id": agent_id, "score": score},
                            now=clock.now())  # fmt: skip
        if tiers and agent_id.isdigit():
            _set_tier(session, int(agent_id), tier_for(score), score)
    return scores


def _set_tier(session, agent_id: int, tier: str, score: float) -> None:
    """The schedule's tier from the score (audited by workforce; only when it changes)."""
    if standing.tier_of(session=session, agent_id=agent_id).code != tier:
        standing.set_tier(session, agent_id, tier, f"performance score {score:.1f}")
