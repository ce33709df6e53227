"""Domain errors of the roster; each names the field or id at fault so callers can show it."""


class RosterError(Exception):
    """Base class: a command on the roster was refused and changed nothing."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidValue(RosterError):
    status = 422


class Duplicate(RosterError):
    status = 409


class NotFound(RosterError):
    status = 404


class IllegalTransition(RosterError):
    status = 409


class Forbidden(RosterError):
    status = 403
