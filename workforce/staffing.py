"""Agents needed per 30-minute slot: Erlang C (dispatcher.core.erlang, the live dashboard's own
formulas) for the service-level target, raised to respect the maximum occupancy, then grossed
up for shrinkage (breaks, training, absence): ceil(raw / (1 - shrinkage))."""

from __future__ import annotations

import math

from dispatcher.core import erlang

SLOT_SECONDS = 1800


def agents_needed(
    contacts: float, aht: float, *, target: float, threshold: float, max_occupancy: float,
    shrinkage: float, interval: float = SLOT_SECONDS,
) -> int:  # fmt: skip
    """Scheduled agents for `contacts` in `interval` seconds of `aht` seconds each."""
    if contacts <= 0 or aht <= 0:
        return 0
    a = erlang.traffic(contacts, interval, aht)
    raw = erlang.agents_required(a, aht, target, threshold)
    raw = max(raw, math.ceil(a / max_occupancy))
    return math.ceil(raw / (1.0 - shrinkage))
