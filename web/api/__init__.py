"""REST API under /api/v1/: JSON in and out, schemas declared with pydantic, OpenAPI generated.
Each module below declares its routes on the one blueprint of `web.api.blueprint`."""

from web.api import channels, dispositions, programs, roster, routing, tokens, training
from web.api.blueprint import bp, spec_bp

ROUTES = (channels, dispositions, programs, roster, routing, tokens, training)
__all__ = ["ROUTES", "bp", "spec_bp"]
