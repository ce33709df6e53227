"""Which database a process uses: DATABASE_URL normalised (PostgreSQL through psycopg 3), or
the embedded SQLite default in the instance folder. Read by the settings and by Alembic's env."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError


class DatabaseUrlError(ValueError):
    """DATABASE_URL is wrong; the message names the variable and the reason."""


def instance_path(env: dict[str, str] | None = None) -> Path:
    """CROWDLINE_INSTANCE, default ./instance: the embedded database and generated key."""
    env = os.environ if env is None else env
    return Path(env.get("CROWDLINE_INSTANCE") or Path.cwd() / "instance").resolve()


def database_url_from(env: dict[str, str] | None = None) -> tuple[str, bool]:
    """(the database URL, whether it is the embedded default) from `env` (default os.environ)."""
    env = os.environ if env is None else env
    raw = (env.get("DATABASE_URL") or "").strip()
    if raw:
        return normalise_database_url(raw), False
    return default_database_url(instance_path(env)), True


def default_database_url(instance: Path) -> str:
    return f"sqlite:///{instance / 'crowdline.db'}"


def normalise_database_url(raw: str) -> str:
    """Accept sqlite and PostgreSQL URLs; PostgreSQL always goes through psycopg 3."""
    try:
        url = make_url(raw)
        url.port  # noqa: B018 - a malformed port raises here, not in make_url
    except (ArgumentError, ValueError):
        raise DatabaseUrlError(
            "DATABASE_URL: not a database URL; expected postgresql://user@host/db or sqlite:///path"
        ) from None
    backend = url.get_backend_name()
    if backend in ("postgres", "postgresql"):
        url = url.set(drivername="postgresql+psycopg")
    elif backend != "sqlite":
        raise DatabaseUrlError(
            f"DATABASE_URL: unsupported database '{backend}'; use postgresql or sqlite"
        )
    if backend != "sqlite" and not (url.host and url.database):
        raise DatabaseUrlError("DATABASE_URL: a PostgreSQL URL needs a host and a database name")
    return url.render_as_string(hide_password=False)
