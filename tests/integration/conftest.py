"""A fresh, committed database per test for components that open their own connections."""

from __future__ import annotations

import pytest

from tests import databases


@pytest.fixture
def fresh_db(tmp_path):
    """(SQLAlchemy engine, session factory) on a new migrated database (SQLite or PostgreSQL)."""
    with databases.fresh_database(tmp_path) as database:
        yield database
