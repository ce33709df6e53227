"""`crowdline training import PATH` and `crowdline training run-jobs`."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path

import click

from crowdline.cli.group import open_database
from database.engine import make_session_factory
from training import jobs
from training.errors import CourseFileError
from training.impact import EligibilityLossUnconfirmed
from training.importer import import_path


@click.group("training")
def training_group():
    """Courses and certifications."""


@training_group.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the files and report; store nothing.")
@click.option("--required-from", type=click.DateTime(["%Y-%m-%d", "%Y-%m-%dT%H:%M"]),
              default=None, help="A requirement the import adds takes effect at this UTC date "
              "(or date and time), so agents can certify first. Default: at once.")  # fmt: skip
@click.option("--confirm-eligibility-loss", is_flag=True,
              help="Import even though active agents would lose eligibility at once.")  # fmt: skip
def training_import(path: Path, dry_run: bool, required_from, confirm_eligibility_loss: bool):
    """Import the course file(s) at PATH: a course.yaml, its folder, or a folder of courses.

    All or nothing: one bad file imports none. Unchanged courses stay as they are; a changed
    course becomes a new version. A course newly required by a live program would take the
    active agents without its certification out of routing: the import says how many and
    needs --confirm-eligibility-loss, or --required-from a later date.
    """
    _settings, engine = open_database()
    session = make_session_factory(engine)()
    try:
        results = import_path(
            session=session, path=path,
            confirm_eligibility_loss=confirm_eligibility_loss or dry_run,
            required_from=required_from.replace(tzinfo=UTC) if required_from else None,
        )  # fmt: skip
        for result in results:
            click.echo(result.describe())
        impact = results[0].impact if results else None
        if impact and impact.describe():
            click.echo(("Would be: " if dry_run else "") + impact.describe() + ".")
        if dry_run:
            session.rollback()
            click.echo("Dry run: nothing stored.")
        else:
            session.commit()
    except EligibilityLossUnconfirmed as error:
        session.rollback()
        raise click.ClickException(
            f"{error.message}. Nothing was imported; use --confirm-eligibility-loss or "
            "--required-from DATE."
        ) from None
    except CourseFileError as error:
        session.rollback()
        for problem in error.problems:
            click.echo(f"crowdline: {problem}", err=True)
        raise click.ClickException(
            f"{len(error.problems)} problem(s) found; nothing was imported"
        ) from None
    finally:
        session.close()


@training_group.command("run-jobs")
def training_run_jobs():
    """Run the expiry and reminder jobs once now (the scheduler runs them beside the engine)."""
    _settings, engine = open_database()
    sessions = make_session_factory(engine)
    expired = jobs.run_expiry(sessions)
    reminded = jobs.run_reminders(sessions)
    click.echo(f"{expired} certification(s) expired, {reminded} reminder(s) recorded.")
