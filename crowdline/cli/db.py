"""`crowdline db upgrade|downgrade|current`: the schema, through Alembic."""

from __future__ import annotations

import click

from crowdline.cli.group import open_database
from migrations import migrate


@click.group("db")
def db_group():
    """Create or migrate the database schema (Alembic)."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str):
    """Migrate the database forward (creates the schema on an empty database)."""
    _settings, engine = open_database(auto_migrate=False)
    migrate.upgrade(engine, revision)
    click.echo(f"Database at revision {migrate.current_revision(engine) or 'base'}.")


@db_group.command("downgrade")
@click.option("--revision", required=True, help="Target revision, '-1' for one step, or 'base'.")
def db_downgrade(revision: str):
    """Migrate the database back (use with care: data in dropped tables is lost)."""
    _settings, engine = open_database(auto_migrate=False)
    migrate.downgrade(engine, revision)
    click.echo(f"Database at revision {migrate.current_revision(engine) or 'base'}.")


@db_group.command("current")
def db_current():
    """Show the database's revision and whether it is up to date."""
    _settings, engine = open_database(auto_migrate=False)
    state, current = migrate.schema_state(engine)
    click.echo(f"revision {current or 'none'} ({state.value}); code head {migrate.head_revision()}")
