"""One Alembic history: head equals the models on SQLite and PostgreSQL, and base is reachable."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from database.engine import make_engine
from migrations import migrate
from migrations.registry import include_object, metadata
from tests import databases


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    url = databases.create_postgres_database()
    yield url
    databases.drop_postgres_database(url)


def test_head_schema_is_exactly_the_models_and_downgrade_reaches_base(empty_database):
    engine = make_engine(empty_database)
    try:
        assert migrate.schema_state(engine)[0] is migrate.SchemaState.NEW
        migrate.upgrade(engine)
        assert migrate.schema_state(engine)[0] is migrate.SchemaState.CURRENT
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "include_object": include_object}
            )
            assert compare_metadata(context, metadata) == []
        migrate.downgrade(engine, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        assert migrate.current_revision(engine) is None
    finally:
        engine.dispose()
