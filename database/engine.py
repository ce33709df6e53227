"""Engine and session factory for SQLite (WAL, foreign keys, busy timeout) and PostgreSQL.

SQLite has one writer at a time. A transaction that may write begins IMMEDIATE (the write lock
up front) after queueing for this process's writer lock, so the threads of one process (web
requests, the engine, the reactor, bots) take turns without SQLite's busy handler, whose sleeps
grow to 100 ms and give up after the busy timeout. A session marked `read_only` begins a plain
(deferred) transaction instead: under WAL it reads the last commit and neither waits for nor
blocks a writer — what pages, polls and the error page need while others write.
"""

from __future__ import annotations

import logging
import os
import threading

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 5000  # between processes (a CLI command beside `crowdline run`)
WRITER_WAIT_SECONDS = 30.0  # a writer's turn within one process, at most
READ_ONLY = "crowdline_read_only"  # execution option: this transaction will not write
_HOLDS = "crowdline_holds_writer"  # connection info: this connection holds the writer lock
_writer_locks: dict[str, threading.Lock] = {}
_writer_locks_guard = threading.Lock()
log = logging.getLogger(__name__)


class WriterBusy(RuntimeError):
    """No turn to write within WRITER_WAIT_SECONDS: nothing was done; try again."""


def make_engine(url: str, **kwargs) -> Engine:
    """Create an engine for `url`; SQLite connections get WAL, foreign keys and a busy timeout."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(
            url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, **kwargs
        )
        in_memory = parsed.database in (None, "", ":memory:")
        _configure_sqlite(engine, in_memory=in_memory,
                          writer=None if in_memory else _writer_lock(parsed.database))  # fmt: skip
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _writer_lock(path: str) -> threading.Lock:
    """One lock per database file in this process, shared by every engine opened on it."""
    key = os.path.realpath(path)
    with _writer_locks_guard:
        return _writer_locks.setdefault(key, threading.Lock())


def _configure_sqlite(engine: Engine, *, in_memory: bool, writer: threading.Lock | None) -> None:
    # pysqlite opens transactions lazily and breaks SAVEPOINT; SQLAlchemy's documented recipe
    # hands transaction control back to SQLAlchemy by emitting BEGIN itself.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    # IMMEDIATE takes the write lock at BEGIN, where the busy timeout applies. A deferred
    # transaction that reads and then writes after another connection committed fails at once
    # with "database is locked" (the busy handler cannot help it), which the engine thread
    # beside the web server would cause under load. Only a transaction declared read-only
    # begins deferred: it never writes, so it never needs the lock.
    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        if connection.get_execution_options().get(READ_ONLY):
            connection.exec_driver_sql("BEGIN")
            return
        if writer is not None:
            if not writer.acquire(timeout=WRITER_WAIT_SECONDS):
                raise WriterBusy("the database stayed busy; nothing was done, try again")
            connection.info[_HOLDS] = True
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            _release(connection.info)
            raise

    def _release(info) -> None:
        if info.pop(_HOLDS, False):
            writer.release()

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _on_end(connection):
        _release(connection.info)

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection, record):
        _release(record.info)  # a transaction that ended without commit or rollback events


def read_only(session: Session) -> Session:
    """Declare that `session`'s next transaction only reads (SQLite: a deferred BEGIN, no
    writer lock); it must not have begun. PostgreSQL is unaffected. Returns the session."""
    session.execution_options = session.execution_options.union({READ_ONLY: True})
    return session


def writes(session: Session) -> Session:
    """Undo `read_only` for the next transaction (the default: it may write)."""
    session.execution_options = session.execution_options.union({READ_ONLY: False})
    return session


def make_session_factory(bind) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit (views render after the commit)."""
    return sessionmaker(bind=bind, expire_on_commit=False)


def ping(engine: Engine) -> None:
    """Raise if the database cannot answer a trivial query."""
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
