"""The community's web modules, each declaring its routes on web.community.blueprint.bp; the
app registers `bp` from here."""

from web.community import member_pages, moderation_pages, pages, volunteer_pages
from web.community.blueprint import bp

ROUTES = (member_pages, moderation_pages, pages, volunteer_pages)
__all__ = ["ROUTES", "bp"]
