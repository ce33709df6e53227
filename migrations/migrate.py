"""Run Alembic programmatically and tell whether a database is new, behind, current or ahead."""

from __future__ import annotations

import enum
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

SCRIPT_LOCATION = str(Path(__file__).parent)


class SchemaState(enum.StrEnum):
    NEW = "new"  # no tables at all
    BEHIND = "behind"
    CURRENT = "current"
    UNKNOWN = "unknown"  # tables but no Alembic revision, or a revision this code does not know


def alembic_config(connection=None) -> Config:
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def schema_state(engine: Engine) -> tuple[SchemaState, str | None]:
    """The state of `engine`'s schema against this code's migrations, and its current revision."""
    current = current_revision(engine)
    if current is None:
        tables = inspect(engine).get_table_names()
        return (SchemaState.NEW if not tables else SchemaState.UNKNOWN), None
    if current == head_revision():
        return SchemaState.CURRENT, current
    script = ScriptDirectory.from_config(alembic_config())
    known = {rev.revision for rev in script.walk_revisions()}
    return (SchemaState.BEHIND if current in known else SchemaState.UNKNOWN), current


def upgrade(engine: Engine, revision: str = "head") -> None:
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), revision)


def downgrade(engine: Engine, revision: str) -> None:
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), revision)
