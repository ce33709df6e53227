"""/supervisor namespace: open dashboards get a "refresh" hint when routing events happen and
then fetch their numbers from the server. Supervisors and admins only, refused at connect."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

from flask_login import current_user
from flask_socketio import Namespace

from agents.models import Role
from dispatcher.core.events import Event
from web.extensions import socketio

SUPERVISOR_NAMESPACE = "/supervisor"
STAFF_ROLES = (Role.SUPERVISOR, Role.ADMIN)


class SupervisorNamespace(Namespace):
    def on_connect(self, auth=None):
        """Dashboard connects; refused unless signed in as a supervisor or admin."""
        return bool(current_user.is_authenticated and current_user.role in STAFF_ROLES)


class RefreshRelay:
    """EventBus subscriber: one "refresh" push per batch of routing events, at most one per
    `min_gap` seconds (the hint carries no numbers; pages re-fetch them)."""

    def __init__(self, *, min_gap: float = 0.5) -> None:
        self.min_gap = min_gap
        self._last = 0.0
        self._lock = threading.Lock()

    def __call__(self, events: Sequence[Event]) -> None:
        now = time.monotonic()
        with self._lock:
            if now - self._last < self.min_gap:
                return
            self._last = now
        if socketio.server is not None:
            kinds = sorted({event.name for event in events})
            socketio.emit("refresh", {"events": kinds}, namespace=SUPERVISOR_NAMESPACE)
