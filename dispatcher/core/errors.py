"""Domain errors raised by routing commands; a command that raises has changed nothing."""

from __future__ import annotations


class CommandError(Exception):
    """A command was refused; the message names the id or field and the reason."""


class UnknownId(CommandError):
    """The command names an id the router does not hold (or no longer holds open)."""

    def __init__(self, kind: str, item_id: str, detail: str = "") -> None:
        self.kind = kind
        self.item_id = item_id
        suffix = f" ({detail})" if detail else ""
        super().__init__(f"unknown {kind} {item_id!r}{suffix}")


class DuplicateId(CommandError):
    """The command would create an id that already exists."""

    def __init__(self, kind: str, item_id: str) -> None:
        self.kind = kind
        self.item_id = item_id
        super().__init__(f"{kind} {item_id!r} already exists")


class IllegalTransition(CommandError):
    """The command is not allowed from the current state of the named item."""

    def __init__(self, kind: str, item_id: str, reason: str) -> None:
        self.kind = kind
        self.item_id = item_id
        super().__init__(f"{kind} {item_id!r}: {reason}")


class InvalidValue(CommandError):
    """A field of the command has a value outside its domain."""

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        super().__init__(f"{field}: {reason}")
