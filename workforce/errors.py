"""Schedule errors: refused commands that changed nothing, with the reason (and field)."""

from agents.errors import RosterError


class WorkforceError(RosterError):
    """Base class; the web layer answers with `status` and the message like any roster error."""


class InvalidValue(WorkforceError):
    status = 422


class NotFound(WorkforceError):
    status = 404


class NotCertified(WorkforceError):
    status = 403


class Conflict(WorkforceError):
    """The block is past, closed, full, outside the booking window or over the budget."""

    status = 409
