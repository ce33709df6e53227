"""The `crowdline` command: every command is added here, explicitly, in one list."""

from __future__ import annotations

import click

from crowdline.cli import (
    benchmarks,
    carrier,
    db,
    demo,
    pay,
    quality,
    serve,
    training,
    users,
    workforce,
)
from crowdline.cli.group import CrowdlineGroup, StartupError, create_configured_app

__all__ = ["StartupError", "cli", "main"]


@click.group(
    cls=CrowdlineGroup,
    create_app=create_configured_app,
    add_default_commands=False,
    add_version_option=False,
    load_dotenv=False,
    set_debug_flag=False,
)
def cli():
    """Crowdline: a virtual contact center for a crowd of home-based agents."""


for command in (
    serve.run_command,
    serve.engine_command,
    demo.demo_command,
    carrier.carrier_command,
    db.db_group,
    users.users_group,
    users.tokens_group,
    training.training_group,
    workforce.workforce_group,
    pay.pay_group,
    quality.quality_group,
    benchmarks.bench,
):
    cli.add_command(command)


def main() -> None:
    cli.main(prog_name="crowdline")
