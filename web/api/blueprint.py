"""The REST API's blueprint under /api/v1/ and what every call goes through: bearer-token
authentication, CSRF on cookie-authenticated writes, JSON bodies; the OpenAPI document."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, request
from flask_login import current_user

from agents.tokens import user_for_token
from web import db
from web.access import uses_bearer_token
from web.api import openapi
from web.api.errors import error_response
from web.api.spec import api_spec
from web.extensions import csrf, login_manager

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
spec_bp = Blueprint("openapi", __name__)


@spec_bp.get("/api/openapi.json")
def openapi_document():
    """The OpenAPI 3 document, generated from the routes and their pydantic schemas."""
    return jsonify(openapi.document(api_spec.spec, current_app.url_map))


@bp.before_request
def _authenticate_bearer():
    """A bearer token, when sent, is the only credential of the call: a bad one is a 401, never
    a fall back to the cookie session."""
    if not uses_bearer_token():
        return
    header = request.headers.get("Authorization", "")
    user = user_for_token(session=db.session(), plain=header[7:].strip())
    if user is None:
        abort(error_response(401, "the API token is invalid or revoked"))
    login_manager._update_request_context_with_user(user)


@bp.before_request
def _check_writes():
    """Bearer-token calls are not forgeable by a browser; cookie-authenticated writes need the
    X-CSRFToken header, like forms. Bodies must be well-formed JSON."""
    if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
        return
    if (
        not uses_bearer_token()
        and current_user.is_authenticated
        and current_app.config.get("WTF_CSRF_ENABLED", True)
    ):
        csrf.protect()
    if request.method == "DELETE" or not current_user.is_authenticated:
        return
    if not request.content_length and not request.mimetype:
        return  # no body: a route that needs one answers 422 naming it
    if request.mimetype != "application/json":
        abort(error_response(415, "send the body as JSON with Content-Type: application/json"))
    body = request.get_json(silent=True)
    if body is None:
        abort(error_response(400, "the request body is not valid JSON"))
    if not isinstance(body, dict):
        abort(error_response(422, "the body must be a JSON object", {"body": "an object"}))

