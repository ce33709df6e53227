"""The quality web modules, each declaring its routes on web.quality.blueprint.bp; the app
registers `bp` from here."""

from web.quality import recordings, reviews
from web.quality.blueprint import bp

ROUTES = (recordings, reviews)
__all__ = ["ROUTES", "bp"]
