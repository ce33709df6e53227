"""The REST API's route modules, each declaring its routes on the one blueprint of
`web.api.blueprint`; the app registers `bp` and `spec_bp` from here."""

from web.api import channels, dispositions, programs, quality, roster, routing, tokens, training
from web.api.blueprint import bp, spec_bp

ROUTES = (channels, dispositions, programs, quality, roster, routing, tokens, training)
__all__ = ["ROUTES", "bp", "spec_bp"]
