"""The REST API's route modules, each declaring its routes on the one blueprint of
`web.api.blueprint`; the app registers `bp` and `spec_bp` from here."""

from web.api import (
    channels,
    community,
    community_stats,
    dispositions,
    pay,
    programs,
    quality,
    roi,
    roster,
    routing,
    tokens,
    training,
    workforce,
)
from web.api.blueprint import bp, spec_bp

ROUTES = (channels, community, community_stats, dispositions, pay, programs, quality, roi, roster,
          routing, tokens, training, workforce)  # fmt: skip
__all__ = ["ROUTES", "bp", "spec_bp"]
