"""Where committed routing events go: subscribers in this process (Socket.IO relays, tests)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence

from dispatcher.core.events import Event

log = logging.getLogger(__name__)
Subscriber = Callable[[Sequence[Event]], None]


class EventBus:
    """publish() is called by the engine only after the events' transaction committed."""

    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []
        self._lock = threading.Lock()

    def subscribe(self, subscriber: Subscriber) -> None:
        with self._lock:
            self._subscribers.append(subscriber)

    def publish(self, events: Sequence[Event]) -> None:
        if not events:
            return
        with self._lock:
            subscribers = list(self._subscribers)
        for subscriber in subscribers:
            try:
                subscriber(events)
            except Exception:  # one failing listener must not stop routing
                log.exception("event subscriber %r failed", subscriber)
