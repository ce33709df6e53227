"""`crowdline workforce forecast --queue Q --week YYYY-Www` and `crowdline workforce publish`."""

from __future__ import annotations

from datetime import timedelta

import click

from crowdline.cli.group import open_database
from database.base import utcnow
from database.engine import make_session_factory
from workforce import plan, publishing
from workforce.errors import WorkforceError
from workforce.weeks import parse_week, week_label, week_of

WEEK_HELP = "ISO week, YYYY-Www (default: next week)."


@click.group("workforce")
def workforce_group():
    """The schedule: forecast, staffing and blocks."""


def _monday(week: str | None):
    if week is None:
        return week_of(utcnow()) + timedelta(days=7)
    try:
        return parse_week(week)
    except WorkforceError as error:
        raise click.BadParameter(error.message, param_hint="--week") from None


@workforce_group.command("forecast")
@click.option("--queue", required=True, help="The routing queue id, e.g. claims.")
@click.option("--week", default=None, help=WEEK_HELP)
def forecast_command(queue: str, week: str | None):
    """Contacts, handle time and agents needed per 30-minute slot, and the backtest MAPE."""
    monday = _monday(week)
    _settings, engine = open_database()
    with make_session_factory(engine)() as session:
        try:
            result = plan.forecast_week(session=session, queue_id=queue, monday=monday,
                                        now=utcnow())  # fmt: skip
        except WorkforceError as error:
            raise click.ClickException(error.message) from None
        session.rollback()
    mapes = ", ".join(f"{k} {'n/a' if v is None else f'{v:.1%}'}"
                      for k, v in sorted(result.mapes.items()))  # fmt: skip
    click.echo(f"Queue {queue}, week {week_label(monday)}: method {result.method} "
               f"(backtest MAPE: {mapes})")  # fmt: skip
    click.echo(f"{'start (UTC)':<17} {'contacts':>9} {'aht s':>7} {'agents':>7}")
    for slot in result.slots:
        if slot.open and slot.contacts > 0:
            click.echo(f"{slot.start:%a %m-%d %H:%M} {slot.contacts:>9.1f} "
                       f"{slot.aht_seconds:>7.0f} {slot.agents_needed:>7d}"
                       + ("  (override)" if slot.overridden else ""))  # fmt: skip
    total = sum(s.contacts for s in result.slots)
    click.echo(f"Week total: {total:.0f} contacts, "
               f"{sum(s.agents_needed for s in result.slots) / 2:.0f} agent-hours")  # fmt: skip


@workforce_group.command("publish")
@click.option("--week", default=None, help=WEEK_HELP)
def publish_command(week: str | None):
    """Plan every queue's week from the forecast and open its blocks for booking."""
    monday = _monday(week)
    _settings, engine = open_database()
    with make_session_factory(engine)() as session:
        published = publishing.publish_week(session=session, monday=monday, now=utcnow())
        session.commit()
    for line in published:
        click.echo(f"{line.queue_id}: {line.blocks} blocks, {line.seats} seats ({line.method})")
    click.echo(f"Published week {week_label(monday)}: {sum(p.blocks for p in published)} blocks.")
