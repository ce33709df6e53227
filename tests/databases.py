"""Throwaway test databases: a SQLite file, or a fresh PostgreSQL database per test session.

CROWDLINE_TEST_DATABASE=postgresql runs the suite on PostgreSQL (server from
CROWDLINE_TEST_POSTGRES_URL). With CROWDLINE_REQUIRE_SERVICES=1 (CI) a missing server fails the
tests that need it instead of skipping them.
"""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

POSTGRES_SERVER_URL = os.environ.get(
    "CROWDLINE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def suite_backend() -> str:
    backend = os.environ.get("CROWDLINE_TEST_DATABASE", "sqlite").strip().lower()
    if backend not in ("sqlite", "postgresql"):
        raise pytest.UsageError("CROWDLINE_TEST_DATABASE must be sqlite or postgresql")
    return backend


def services_required() -> bool:
    return os.environ.get("CROWDLINE_REQUIRE_SERVICES") == "1"


def _admin_engine():
    return create_engine(POSTGRES_SERVER_URL, isolation_level="AUTOCOMMIT")


def create_postgres_database() -> str:
    """Create an empty database on the test server and return its URL (skip or fail if down)."""
    name = f"crowdline_t_{uuid.uuid4().hex[:10]}"
    engine = _admin_engine()
    try:
        with engine.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as error:
        message = f"PostgreSQL is not reachable at {POSTGRES_SERVER_URL}: {error.orig}"
        if services_required():
            pytest.fail(message)
        pytest.skip(message)
    finally:
        engine.dispose()
    return make_url(POSTGRES_SERVER_URL).set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(url: str) -> None:
    name = make_url(url).database
    engine = _admin_engine()
    try:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        engine.dispose()


@contextmanager
def fresh_database(folder):
    """(engine, session factory) on a new migrated database of the suite's backend, committed
    for real (for components that open their own connections), removed afterwards."""
    from database.engine import make_engine, make_session_factory
    from migrations import migrate

    if suite_backend() == "sqlite":
        url = f"sqlite:///{folder / 'fresh.db'}"
    else:
        url = create_postgres_database()
    engine = make_engine(url)
    try:
        migrate.upgrade(engine)
        yield engine, make_session_factory(engine)
    finally:
        engine.dispose()
        if suite_backend() == "postgresql":
            drop_postgres_database(url)
