"""Checks of command arguments: each failure names the field and the reason."""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from typing import TypeVar

from dispatcher.core.errors import InvalidValue
from dispatcher.core.model import Channel

E = TypeVar("E", bound=enum.Enum)


def member(enum_type: type[E], value: object, field: str) -> E:
    """`value` as a member of `enum_type`, accepting the member or its value."""
    try:
        return enum_type(value)
    except ValueError:
        allowed = ", ".join(str(m.value) for m in enum_type)
        raise InvalidValue(field, f"{value!r} is not one of {allowed}") from None


def integer(value: object, field: str, *, minimum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidValue(field, f"must be an integer, got {value!r}")
    if minimum is not None and value < minimum:
        raise InvalidValue(field, f"must be >= {minimum}, got {value}")
    return value


def number(value: object, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidValue(field, f"must be a finite number, got {value!r}")
    return float(value)


#: Ids are stored in 64-character columns; offers append "#<n>" to a task id.
MAX_ID_LENGTH = 56


def identifier(value: object, field: str) -> str:
    """A non-empty id of at most MAX_ID_LENGTH printable characters."""
    if not isinstance(value, str) or not value:
        raise InvalidValue(field, f"must be a non-empty string, got {value!r}")
    if len(value) > MAX_ID_LENGTH:
        raise InvalidValue(field, f"must be at most {MAX_ID_LENGTH} characters, got {len(value)}")
    if not value.isprintable():
        raise InvalidValue(field, "must not contain control characters")
    return value


def queue_priorities(queues: Mapping[str, int], field: str = "queues") -> dict[str, int]:
    """queue_id -> priority (an integer, higher served first)."""
    if not isinstance(queues, Mapping):
        raise InvalidValue(field, f"must map queue ids to priorities, got {queues!r}")
    return {identifier(q, f"{field} key"): integer(p, f"{field}[{q!r}]") for q, p in queues.items()}


def capacities(capacity: Mapping[object, int], field: str = "capacity") -> dict[Channel, int]:
    """channel -> simultaneous tasks (>= 0)."""
    if not isinstance(capacity, Mapping):
        raise InvalidValue(field, f"must map channels to counts, got {capacity!r}")
    return {
        member(Channel, ch, f"{field} channel"): integer(n, f"{field}[{ch!r}]", minimum=0)
        for ch, n in capacity.items()
    }


def codes(values: object, field: str) -> frozenset[str]:
    if isinstance(values, str):
        raise InvalidValue(field, "must be a collection of codes, not a single string")
    try:
        items = frozenset(values)  # type: ignore[arg-type]
    except TypeError:
        raise InvalidValue(field, f"must be a collection of codes, got {values!r}") from None
    for code in items:
        identifier(code, field)
    return items
