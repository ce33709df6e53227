"""`crowdline training import PATH` and `crowdline training run-jobs`."""

from __future__ import annotations

from pathlib import Path

import click

from crowdline.cli.group import open_database
from database.engine import make_session_factory
from training import jobs
from training.errors import CourseFileError
from training.importer import import_path


@click.group("training")
def training_group():
    """Courses and certifications."""


@training_group.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the files and report; store nothing.")
def training_import(path: Path, dry_run: bool):
    """Import the course file(s) at PATH: a course.yaml, its folder, or a folder of courses.

    All or nothing: one bad file imports none. Unchanged courses stay as they are; a changed
    course becomes a new version.
    """
    _settings, engine = open_database()
    session = make_session_factory(engine)()
    try:
        results = import_path(session=session, path=path)
        for result in results:
            click.echo(result.describe())
        if dry_run:
            session.rollback()
            click.echo("Dry run: nothing stored.")
        else:
            session.commit()
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
