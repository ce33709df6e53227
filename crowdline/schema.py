"""Start-up check of the database schema: refuse a database that is behind, migrate a new one."""

from __future__ import annotations

from sqlalchemy import Engine

from crowdline.settings import Settings
from migrations import migrate
from migrations.migrate import SchemaState


class SchemaNotReady(RuntimeError):
    """The database cannot be used by this code as it is; the message says the fix."""


def ensure_schema(engine: Engine, settings: Settings) -> bool:
    """Return True when a new embedded database was just created; raise SchemaNotReady if the
    database is behind, foreign or (outside the embedded default) empty."""
    state, current = migrate.schema_state(engine)
    if state is SchemaState.CURRENT:
        return False
    if state is SchemaState.NEW and settings.embedded:
        migrate.upgrade(engine)
        return True
    head = migrate.head_revision()
    if state is SchemaState.NEW:
        raise SchemaNotReady(
            "the database is empty; run `crowdline db upgrade` to create the schema"
        )
    if state is SchemaState.BEHIND:
        raise SchemaNotReady(
            f"the database schema is at revision {current} but this Crowdline needs {head}; "
            "run `crowdline db upgrade`"
        )
    raise SchemaNotReady(
        f"the database has tables but no revision this Crowdline knows "
        f"(found {current or 'none'}); "
        "is DATABASE_URL pointing at the right database?"
    )
