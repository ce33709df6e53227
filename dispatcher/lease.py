"""The engine lease: at most one active routing engine per deployment.

PostgreSQL: a session-level advisory lock held on a dedicated connection; it is released by the
server the moment that connection dies (kill -9 included), so a standby polling for it takes
over. Each acquisition also bumps an epoch in `routing_lease`, a fencing token the engine checks
in every transaction it commits. SQLite (embedded, one process): an exclusive file lock beside
the database file, so two `crowdline run` on one file cannot both route.
"""

from __future__ import annotations

import fcntl
import logging
import os
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.engine import Connection

log = logging.getLogger(__name__)

# An arbitrary constant shared by every Crowdline process: "CRWDLINE" as a 64-bit integer.
ADVISORY_LOCK_KEY = 0x4352_57_44_4C_49_4E_45 & 0x7FFF_FFFF_FFFF_FFFF


class Lease:
    """try_acquire() until it returns True; is_held() to check it is still ours; release()."""

    epoch: int = 0

    def try_acquire(self) -> bool:
        raise NotImplementedError

    def is_held(self) -> bool:
        raise NotImplementedError

    def release(self) -> None:
        raise NotImplementedError


class PostgresLease(Lease):
    def __init__(self, engine: Engine, key: int = ADVISORY_LOCK_KEY) -> None:
        self._engine = engine.execution_options(isolation_level="AUTOCOMMIT")
        self._key = key
        self._connection: Connection | None = None

    def try_acquire(self) -> bool:
        if self._connection is None:
            self._connection = self._engine.connect()
        got = self._connection.execute(
            text("SELECT pg_try_advisory_lock(:key)"), {"key": self._key}
        ).scalar()
        if got:
            self.epoch = bump_epoch(self._connection)
        return bool(got)

    def is_held(self) -> bool:
        if self._connection is None:
            return False
        try:
            held = self._connection.execute(
                text(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                    "AND pid = pg_backend_pid() AND granted "
                    "AND ((classid::bigint << 32) | objid::bigint) = :key"
                ),
                {"key": self._key},
            ).scalar()
        except Exception:  # the lease connection is gone: so is the lease
            log.warning("engine lease connection lost", exc_info=True)
            self._drop()
            return False
        return bool(held)

    def release(self) -> None:
        if self._connection is not None:
            try:
                self._connection.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": self._key}
                )
            except Exception:
                log.debug("unlock failed; the connection close releases the lock", exc_info=True)
            self._drop()

    def _drop(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            except Exception:
                log.debug("closing a broken lease connection", exc_info=True)
        self._connection = None


class FileLease(Lease):
    """An exclusive flock on `<database>.engine.lock`; the OS drops it when the process dies."""

    def __init__(self, path: Path, engine: Engine | None = None) -> None:
        self._path = path
        self._engine = engine
        self._fd: int | None = None

    def try_acquire(self) -> bool:
        fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._fd = fd
        if self._engine is not None:
            with self._engine.begin() as connection:
                self.epoch = bump_epoch(connection)
        return True

    def is_held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def bump_epoch(connection: Connection) -> int:
    """Increment and return the fencing epoch (row id 1 of routing_lease)."""
    updated = connection.execute(
        text("UPDATE routing_lease SET epoch = epoch + 1 WHERE id = 1 RETURNING epoch")
    ).scalar()
    if updated is None:
        connection.execute(text("INSERT INTO routing_lease (id, epoch) VALUES (1, 1)"))
        updated = 1
    return int(updated)


def lease_for(engine: Engine) -> Lease:
    if engine.dialect.name == "postgresql":
        return PostgresLease(engine)
    database = engine.url.database
    if not database or database == ":memory:":
        raise ValueError("the engine lease needs a SQLite file or PostgreSQL")
    return FileLease(Path(f"{database}.engine.lock"), engine)
