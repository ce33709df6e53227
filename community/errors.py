"""Community errors: the roster's error kinds (each names its field), so every adapter that
already answers a RosterError with a 4xx naming the field answers these too."""

from agents.errors import Duplicate, Forbidden, InvalidValue, NotFound, RosterError

CommunityError = RosterError
__all__ = ["CommunityError", "Duplicate", "Forbidden", "InvalidValue", "NotFound"]
