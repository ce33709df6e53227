"""The customer chat widget's web modules, each declaring its routes on web.chat.pages.bp; the
app registers `bp` from here."""

from web.chat import pages, rating
from web.chat.pages import bp

ROUTES = (pages, rating)
__all__ = ["ROUTES", "bp"]
