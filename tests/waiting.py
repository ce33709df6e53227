"""The one way a test waits: on a condition, with a deadline generous enough for a loaded
machine (the suite shares 2 cores with other jobs), never on a sleep or a measured rate."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

import pytest

T = TypeVar("T")

# Seconds. Anything that involves the engine thread, sockets, a subprocess or the browser may
# stall for many seconds on a loaded machine; a deadline only bounds how long a real failure
# takes to report, so it costs nothing on a quiet one.
PATIENCE = 60.0


def wait_until(
    condition: Callable[[], T],
    *,
    timeout: float = PATIENCE,
    interval: float = 0.05,
    message: str | Callable[[], str] | None = None,
    pause: Callable[[float], object] = time.sleep,
) -> T:
    """Call `condition()` until it returns something truthy and return that value; past
    `timeout` seconds fail the test naming what was awaited — `message` (a string, or a
    function called then, to describe the state at that moment) or the condition's name — and
    the last value seen. `pause(seconds)` waits between tries (a Playwright page's
    `wait_for_timeout` when the page must keep serving its calls meanwhile)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            what = message() if callable(message) else message
            what = what or getattr(condition, "__name__", repr(condition))
            pytest.fail(f"timed out after {timeout:g} s waiting for {what}; last value: {value!r}")
        pause(interval)
