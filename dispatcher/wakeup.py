"""Wake the active engine when a command is queued: NOTIFY on PostgreSQL (delivered at commit,
to any process), an in-process event on SQLite (embedded: one process)."""

from __future__ import annotations

import logging
import threading

import psycopg
from sqlalchemy import Engine, text

log = logging.getLogger(__name__)
CHANNEL = "crowdline_engine"
_local_events: dict[str, threading.Event] = {}
_lock = threading.Lock()


def _local(url: str) -> threading.Event:
    with _lock:
        return _local_events.setdefault(url, threading.Event())


def notify_in_transaction(connection) -> None:
    """Queue a wake-up that fires when the caller's transaction commits."""
    if connection.dialect.name == "postgresql":
        connection.execute(text(f"NOTIFY {CHANNEL}"))


def notify_local(url: str) -> None:
    """In-process wake-up (call after commit)."""
    _local(url).set()


class Waiter:
    """Blocks the engine until a wake-up or a timeout."""

    def __init__(self, engine: Engine) -> None:
        self._url = engine.url.render_as_string(hide_password=False)
        self._event = _local(self._url)
        self._pg = None
        if engine.dialect.name == "postgresql":

            dsn = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
            self._pg = psycopg.connect(dsn, autocommit=True)
            self._pg.execute(f"LISTEN {CHANNEL}")

    def wait(self, timeout: float) -> None:
        timeout = max(0.0, timeout)
        if self._pg is not None:
            try:
                for _ in self._pg.notifies(timeout=timeout, stop_after=1):
                    pass
            except Exception:
                log.warning("LISTEN connection failed; falling back to polling", exc_info=True)
                self._pg = None
                self._event.wait(timeout)
            return
        if self._event.wait(timeout):
            self._event.clear()

    def close(self) -> None:
        if self._pg is not None:
            self._pg.close()
            self._pg = None
