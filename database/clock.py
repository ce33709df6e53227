"""The one place below the composition root that reads the wall clock. Everything else is
given a `Clock` (now() in epoch seconds, the port of dispatcher.core.clock) and asks it; tests
pass a manual clock."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    """Source of the current time, in epoch seconds."""

    def now(self) -> float: ...


class SystemClock:
    """The wall clock."""

    def now(self) -> float:
        return time.time()


SYSTEM = SystemClock()


def utc(seconds: float) -> datetime:
    """Epoch seconds as an aware UTC datetime."""
    return datetime.fromtimestamp(seconds, UTC)


def utcnow(clock: Clock = SYSTEM) -> datetime:
    """The clock's current time as an aware UTC datetime."""
    return utc(clock.now())
