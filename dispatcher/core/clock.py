"""The clock port the routing core reads time from, and a manual clock for tests and simulation.

Times are seconds as floats; only differences between them matter to the core.
"""

from __future__ import annotations

from typing import Protocol


class Clock(Protocol):
    """Source of the current time, in seconds."""

    def now(self) -> float: ...


class ManualClock:
    """A clock that moves only when told to; it never goes backwards."""

    def __init__(self, start: float = 0.0) -> None:
        self._now = float(start)

    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> float:
        """Move forward by `seconds` (>= 0) and return the new time."""
        if seconds < 0:
            raise ValueError(f"seconds: cannot go back in time ({seconds})")
        self._now += seconds
        return self._now

    def set(self, at: float) -> float:
        """Jump to time `at`, which must not be earlier than now."""
        if at < self._now:
            raise ValueError(f"at: {at} is earlier than now ({self._now})")
        self._now = float(at)
        return self._now
