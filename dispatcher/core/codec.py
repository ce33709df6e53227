"""JSON-ready encoding of routing records and events, for stores that keep them as text.

encode: enums -> values, dataclasses -> dicts, sets -> sorted lists, tuples -> lists.
decode: the reverse, driven by the target type's annotations.
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from functools import cache
from typing import Any, TypeVar

from dispatcher.core import events as events_module
from dispatcher.core.events import Event

T = TypeVar("T")


def encode(value: Any) -> Any:
    """A structure of dicts, lists, strings, numbers, booleans and None."""
    if isinstance(value, enum.Enum):
        return value.value
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Mapping):
        return {encode(k): encode(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return sorted((encode(v) for v in value), key=repr)
    if isinstance(value, list | tuple):
        return [encode(v) for v in value]
    return value


def decode(target: Any, data: Any) -> Any:
    """Rebuild a value of type `target` from `encode` output."""
    origin, args = typing.get_origin(target), typing.get_args(target)
    if target is Any or target is object:
        return data
    if origin is typing.Union or origin is types.UnionType:
        return None if data is None else decode(next(a for a in args if a is not type(None)), data)
    if isinstance(target, type) and issubclass(target, enum.Enum):
        return target(data)
    if is_dataclass(target):
        return _decode_dataclass(target, data)
    if origin is not None:
        return _decode_collection(origin, args, data)
    return float(data) if target is float else data


def _decode_dataclass(target: Any, data: Any) -> Any:
    hints = _hints(target)
    # Fields left out keep their defaults (a command may give only what it sets).
    return target(
        **{f.name: decode(hints[f.name], data[f.name]) for f in fields(target) if f.name in data}
    )


def _decode_collection(origin: Any, args: tuple, data: Any) -> Any:
    """dict/Mapping, set/frozenset, tuple (fixed or `...`) and list of decoded items."""
    if origin in (dict, Mapping, typing.Mapping):
        return {decode(args[0], k): decode(args[1], v) for k, v in data.items()}
    if origin in (set, frozenset):
        return origin(decode(args[0], v) for v in data)
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(decode(args[0], v) for v in data)
        return tuple(decode(a, v) for a, v in zip(args, data, strict=True))
    if origin is list:
        return [decode(args[0], v) for v in data]
    return data


def encode_event(event: Event) -> dict[str, Any]:
    """{"type": class name, ...fields}."""
    return {"type": event.name, **encode(event)}


def decode_event(data: Mapping[str, Any]) -> Event:
    cls = EVENT_TYPES[data["type"]]
    return decode(cls, {k: v for k, v in data.items() if k != "type"})


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


EVENT_TYPES: dict[str, type[Event]] = {
    name: cls
    for name, cls in vars(events_module).items()
    if isinstance(cls, type) and issubclass(cls, Event) and cls is not Event
}
