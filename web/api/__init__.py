"""REST API under /api/v1/: JSON in and out, schemas declared with pydantic, OpenAPI generated
(`web.api.routes` gathers the route modules on the blueprint of `web.api.blueprint`)."""
