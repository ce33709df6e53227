"""`crowdline quality score`: recompute every performance score now (as the nightly job does),
hand the routing engine each agent's score (set_score commands) and set the schedule's tiers;
`crowdline quality sample`: queue this week's QA sample now."""

from __future__ import annotations

import random

import click

from channels.handled import handled_contacts
from crowdline.cli.group import open_database
from database.clock import utcnow
from database.engine import make_session_factory
from quality import reviews
from quality.jobs import recompute


@click.group("quality")
def quality_group():
    """Performance scores and QA samples on demand."""


@quality_group.command("score")
def score_command():
    """Recompute the performance scores and feed them to routing and tiers."""
    _settings, engine = open_database()
    with make_session_factory(engine).begin() as session:
        scores = recompute(session=session)
    for agent_id, score in sorted(scores.items()):
        click.echo(f"agent {agent_id}: {score:.1f}")
    click.echo(f"{len(scores)} agents scored; their routing scores were sent to the engine")


@quality_group.command("sample")
def sample_command():
    """Queue this week's random QA sample (N contacts per agent and program)."""
    _settings, engine = open_database()
    with make_session_factory(engine).begin() as session:
        queued = reviews.sample_week(session=session, week_start=utcnow(),
                                     handled=handled_contacts, rng=random.Random(),
                                     now=utcnow())  # fmt: skip
    click.echo(f"{queued} reviews queued")
