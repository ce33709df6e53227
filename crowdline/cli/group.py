"""The `crowdline` command group: one clear line for a startup error, never a traceback."""

from __future__ import annotations

import click
from alembic.util.exc import CommandError as AlembicError
from flask.cli import FlaskGroup
from sqlalchemy.exc import OperationalError

from crowdline.schema import SchemaNotReady, ensure_schema
from crowdline.settings import ConfigError, load_settings
from database.engine import make_engine
from web.app import create_app


class StartupError(click.ClickException):
    """One clear line on stderr and exit status 2; never a traceback."""

    exit_code = 2

    def show(self, file=None):
        click.echo(f"crowdline: {self.format_message()}", err=True, file=file)


def startup_error(error: Exception) -> StartupError | None:
    """The one-line StartupError for a configuration, schema or database failure, else None."""
    if isinstance(error, ConfigError):
        return StartupError(f"configuration error: {error}")
    if isinstance(error, SchemaNotReady):
        return StartupError(str(error))
    if isinstance(error, AlembicError):
        return StartupError(f"migration: {error}")
    if isinstance(error, OperationalError):
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        return StartupError(f"cannot reach the database: {reason}")
    return None


class CrowdlineGroup(FlaskGroup):
    """Flask's CLI group, limited to Crowdline's own commands (no app discovery on --help)."""

    def list_commands(self, ctx):
        return sorted(self.commands)

    def get_command(self, ctx, name):
        return self.commands.get(name)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (ConfigError, SchemaNotReady, AlembicError, OperationalError) as error:
            raise startup_error(error) from None


def create_configured_app():
    """The app Flask's CLI machinery asks for (`crowdline` itself serves through `run`)."""
    return create_app(load_settings())


def open_database(*, auto_migrate: bool = True):
    """(settings, engine) for the configured database, with its schema checked."""
    settings = load_settings()
    engine = make_engine(settings.database_url)
    if auto_migrate:
        created = ensure_schema(engine, settings)
        if created:
            click.echo(f"Created a new database at {settings.database_url}")
    return settings, engine
