"""Telemetry shared by the engine, the channels and the web layer: the task a log line concerns
(a context variable set at a few central places, read by the log filter of `web.logs`) and the
engine's Prometheus metrics, counted once a step's transaction has committed.

Outside the pure core on purpose: `dispatcher/core/` imports neither this nor prometheus_client.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import fields
from enum import Enum

from prometheus_client import Counter, Histogram

from dispatcher.commands import KINDS
from dispatcher.core.events import Event

#: The task the current work is about (None: not about one task).
current_task: ContextVar[str | None] = ContextVar("crowdline_task_id", default=None)
# Task ids are CallSids, ConversationSids, "WC…", "CB1-…" or test ids; anything else that a
# client sends in a socket payload is not trusted into the log.
_TASK_ID = re.compile(r"[\w:#.\-]{1,64}")
events_log = logging.getLogger("dispatcher.events")

DECISIONS = Counter(
    "crowdline_routing_decisions",
    "Routing decisions committed by this engine: state changes, by kind (the event's name).",
    ["kind"],
)
OFFERS = Counter(
    "crowdline_offers", "Offers of a task to an agent (reservations) committed by this engine."
)
COMMANDS = Counter(
    "crowdline_routing_commands",
    "Routing commands decided by this engine, by command and result (done or refused).",
    ["command", "result"],
)
DECISION_LATENCY = Histogram(
    "crowdline_decision_latency_seconds",
    "Seconds from a routing command being submitted (routing_commands.created_at) to the "
    "engine committing its decision, by command.",
    ["command"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)


def clean_task_id(value) -> str | None:
    """`value` as a task id fit for a log line, or None."""
    if value is None or isinstance(value, bool):
        return None
    text = str(value)
    return text if _TASK_ID.fullmatch(text) else None


def task_of(payload) -> str | None:
    """The task id a command or socket payload names ({"task_id": ...}), if any."""
    return clean_task_id(payload.get("task_id")) if isinstance(payload, dict) else None


@contextmanager
def task_scope(task_id) -> Iterator[None]:
    """Log lines written inside carry `task_id` (None: no task)."""
    token = current_task.set(clean_task_id(task_id))
    try:
        yield
    finally:
        current_task.reset(token)


def committed(
    events: Iterable[Event], decided: Iterable[tuple[str, float, str | None]] = (), *,
    now: float = 0.0,
) -> None:  # fmt: skip
    """Count a committed engine step and log each task event with its task id. `decided` holds
    (command kind, submitted at in epoch seconds, refusal or None) for each command decided;
    `now` is when the decision was committed (epoch seconds, from the engine's clock)."""
    for kind, submitted_at, error in decided:
        command = kind if kind in KINDS else "unknown"
        DECISION_LATENCY.labels(command).observe(max(0.0, now - (submitted_at or now)))
        COMMANDS.labels(command, "refused" if error else "done").inc()
    logging_tasks = events_log.isEnabledFor(logging.INFO)
    for event in events:
        DECISIONS.labels(event.name).inc()
        if event.name == "ReservationCreated":
            OFFERS.inc()
        task_id = getattr(event, "task_id", None)
        if logging_tasks and task_id is not None:
            with task_scope(task_id):
                events_log.info("%s %s", event.name, _details(event))


def _details(event: Event) -> str:
    """key=value for the event's plain fields (agent, queue, reason…), for a human reader."""
    parts = []
    for field in fields(event):
        if field.name in ("at", "task_id"):
            continue
        value = getattr(event, field.name)
        if isinstance(value, Enum):
            value = value.value
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            parts.append(f"{field.name}={value}")
    return " ".join(parts)
