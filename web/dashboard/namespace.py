"""/supervisor namespace: open dashboards get a "refresh" hint when routing events happen and
then fetch their numbers from the server. Supervisors and admins only, refused at connect."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

from flask_login import current_user

from agents.models import Role
from dispatcher.core.events import Event
from web.extensions import socketio
from web.realtime import CheckedNamespace

SUPERVISOR_NAMESPACE = "/supervisor"
STAFF_ROLES = (Role.SUPERVISOR, Role.ADMIN)


class SupervisorNamespace(CheckedNamespace):
    def on_connect(self, auth=None):
        """Dashboard connects; refused unless signed in as a supervisor or admin."""
        return bool(current_user.is_authenticated and current_user.role in STAFF_ROLES)


class RefreshRelay:
    """EventBus subscriber: one "refresh" push per batch of routing events, at most one per
    `min_gap` seconds (the hint carries no numbers; pages re-fetch them). Throttling is
    trailing-edge: events that arrive inside the gap are not dropped, they cause one more push
    when the gap ends, so a dashboard always ends up showing the latest decisions."""

    def __init__(self, *, min_gap: float = 0.5, emit=None) -> None:
        self.min_gap = min_gap
        self._emit = emit or _emit_refresh
        self._last = float("-inf")
        self._held: set[str] = set()
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()

    def __call__(self, events: Sequence[Event]) -> None:
        kinds = {event.name for event in events}
        with self._lock:
            wait = self._last + self.min_gap - time.monotonic()
            if wait > 0 or self._timer is not None:
                self._held |= kinds
                if self._timer is None:
                    self._timer = threading.Timer(max(wait, 0.0), self._flush)
                    self._timer.daemon = True
                    self._timer.start()
                return
            self._last = time.monotonic()
        self._emit(sorted(kinds))

    def _flush(self) -> None:
        with self._lock:
            kinds, self._held, self._timer = self._held, set(), None
            self._last = time.monotonic()
        if kinds:
            self._emit(sorted(kinds))

    def stop(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None


def _emit_refresh(kinds: list[str]) -> None:
    if socketio.server is not None:
        socketio.emit("refresh", {"events": kinds}, namespace=SUPERVISOR_NAMESPACE)
