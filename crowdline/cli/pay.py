"""`crowdline pay verify --from D --to D`: the ledger recounted from the event log."""

from __future__ import annotations

from datetime import datetime

import click

from crowdline.cli.group import open_database
from crowdline.wiring import bonus_source
from pay.periods import PayError, range_bounds
from pay.verify import verify


@click.group("pay")
def pay_group():
    """The pay ledger: per-contact talk time, statements and payouts."""


@pay_group.command("verify")
@click.option("--from", "start", required=True, type=click.DateTime(["%Y-%m-%d"]),
              help="First UTC day (YYYY-MM-DD).")
@click.option("--to", "end", required=True, type=click.DateTime(["%Y-%m-%d"]),
              help="Last UTC day, included.")  # fmt: skip
def pay_verify(start: datetime, end: datetime):
    """Recompute every talk entry of the days from the event log and print each difference;
    exit status 0 when there is none (to the cent), 1 otherwise."""
    try:
        since, until = range_bounds(start.date(), end.date())
    except PayError as bad:
        raise click.BadParameter(bad.message, param_hint=f"--{bad.field}") from None
    _settings, engine = open_database(auto_migrate=False)
    try:
        with engine.connect() as connection:
            report = verify(connection, since, until, bonus=bonus_source())
    finally:
        engine.dispose()
    for line in report.differences:
        click.echo(line)
    click.echo(f"{report.talks} talks in the event log, {report.entries} ledger entries, "
               f"ledger total {report.ledger_total}, recomputed {report.recomputed_total}: "
               f"{len(report.differences)} differences")  # fmt: skip
    if report.differences:
        raise SystemExit(1)
