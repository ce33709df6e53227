"""Typed reads of a loaded course file (training/course_format.py): each defect is one Problem
naming the file, the line, the place (`modules[2].quiz`) and the field."""

from __future__ import annotations

import re

import yaml

from training.errors import Problem


def place(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def line_index(node, path: tuple = (), index: dict | None = None) -> dict:
    """Map each path (keys and 0-based positions) to the 1-based line where it starts."""
    index = {} if index is None else index
    index.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = (*path, key_node.value)
            index[child] = key_node.start_mark.line + 1
            line_index(value_node, child, index)
    elif isinstance(node, yaml.SequenceNode):
        for position, item in enumerate(node.value):
            line_index(item, (*path, position), index)
    return index


class Checker:
    """Reads typed fields out of the loaded YAML, collecting one Problem per defect."""

    def __init__(self, file: str, lines: dict):
        self.file, self.lines, self.problems = file, lines, []

    def fail(self, path: tuple, field: str, message: str) -> None:
        line = self.lines.get((*path, field)) or self.lines.get(path)
        self.problems.append(Problem(self.file, line, place(path), field, message))

    def mapping(self, value, where: tuple, allowed: set[str]) -> dict | None:
        """`value` as a mapping at path `where`, each unknown field reported."""
        if not isinstance(value, dict):
            reason = "is required" if value is None else "must be a mapping of fields"
            if not where:
                self.fail((), "course", "the file must be a mapping of course fields")
            elif isinstance(where[-1], int):
                self.fail(where, "item", f"item {where[-1] + 1} {reason}")
            else:
                self.fail(where[:-1], where[-1], reason)
            return None
        for name in sorted(set(map(str, value)) - allowed):
            self.fail(where, name, f"unknown field (allowed: {', '.join(sorted(allowed))})")
        return value

    def text(self, node: dict, path, field, *, required=True, max_length=200, default=""):
        value = node.get(field)
        if value is None:
            if required:
                self.fail(path, field, "is required")
            return default
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.fail(path, field, "must be text")
            return default
        value = str(value).strip()
        if required and not value:
            self.fail(path, field, "must not be empty")
        if any(ord(ch) < 32 and ch not in "\n\r\t" for ch in value):
            self.fail(path, field, "must not contain control characters")
        if len(value) > max_length:
            self.fail(path, field, f"is longer than {max_length} characters")
        return value

    def pattern(self, node: dict, path, field, regex: re.Pattern, rule: str) -> str:
        value = self.text(node, path, field, max_length=60)
        if value and not regex.match(value):
            self.fail(path, field, f"'{value}' is not valid: {rule}")
        return value

    def integer(self, node: dict, path, field, *, default, low: int, high: int, nullable=False):
        value = node.get(field, default)
        if value is None and nullable:
            return None
        if not isinstance(value, int) or isinstance(value, bool):
            self.fail(path, field, f"must be a whole number from {low} to {high}")
            return default
        if not low <= value <= high:
            self.fail(path, field, f"must be from {low} to {high}, got {value}")
        return value

    def boolean(self, node: dict, path, field, *, default: bool) -> bool:
        value = node.get(field, default)
        if not isinstance(value, bool):
            self.fail(path, field, "must be true or false")
            return default
        return value

    def sequence(self, node: dict, path, field, *, minimum: int, maximum: int) -> list:
        value = node.get(field)
        if not isinstance(value, list):
            self.fail(path, field, "must be a list" + (" and is required" if value is None else ""))
            return []
        if not minimum <= len(value) <= maximum:
            self.fail(path, field, f"must hold {minimum} to {maximum} items, got {len(value)}")
        return value
