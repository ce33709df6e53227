"""The quality web modules, each declaring its routes on web.quality.blueprint.bp; the app
registers `bp` from here."""

from web.quality import recordings
from web.quality.blueprint import bp

ROUTES = (recordings,)
__all__ = ["ROUTES", "bp"]
