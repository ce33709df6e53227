"""The agent console's web modules, each declaring its routes on web.console.blueprint.bp; the
app registers `bp` from here."""

from web.console import canned_pages, pages
from web.console.blueprint import bp

ROUTES = (canned_pages, pages)
__all__ = ["ROUTES", "bp"]
