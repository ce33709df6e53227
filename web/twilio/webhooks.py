"""The /twilio/ blueprint and what every webhook goes through: X-Twilio-Signature (checked
against the configured public URL, so it holds behind proxies) instead of a login or CSRF token."""

from __future__ import annotations

import logging

from flask import Blueprint, abort, current_app, jsonify, make_response, request

from channels import contacts
from channels.expected_wait import WaitEstimator
from channels.inbound import RouteCache
from channels.links import Links
from channels.signing import HEADER, is_valid, webhook_token
from web import db
from web.extensions import csrf

log = logging.getLogger(__name__)
bp = Blueprint("twilio", __name__, url_prefix="/twilio")
csrf.exempt(bp)


@bp.record_once
def _add_route_cache(state) -> None:
    state.app.extensions["crowdline.routes"] = RouteCache()
    state.app.extensions["crowdline.wait_estimator"] = WaitEstimator()


def route_cache() -> RouteCache:
    """Number → route, shared by this app's requests (channels.inbound.ROUTE_TTL_SECONDS)."""
    return current_app.extensions["crowdline.routes"]


def wait_estimator() -> WaitEstimator:
    return current_app.extensions["crowdline.wait_estimator"]


def links() -> Links:
    """URLs as Twilio sees us: PUBLIC_URL when set, else the address this request came to."""
    settings = current_app.config["CROWDLINE_SETTINGS"]
    return Links(settings.public_url or request.host_url)


def requested_url() -> str:
    query = request.query_string.decode("latin-1")
    return links().base + request.path + (f"?{query}" if query else "")


@bp.before_request
def _check_signature():
    """Forged, unsigned or signed-for-another-URL → 403, logged, nothing read or written."""
    settings = current_app.config["CROWDLINE_SETTINGS"]
    token = webhook_token(settings.twilio_auth_token, settings.secret_key)
    if not is_valid(token, requested_url(), request.form, request.headers.get(HEADER)):
        log.warning(
            "refused a Twilio webhook with a bad signature: %s %s from %s",
            request.method, request.path, request.remote_addr,
        )  # fmt: skip
        abort(make_response(jsonify(error=f"invalid or missing {HEADER}"), 403))
    contacts.begin_write(db.session())


def required(*names: str) -> dict[str, str]:
    """The named form parameters, or 400 naming each one missing (nothing is created)."""
    values = {name: (request.form.get(name) or "").strip() for name in names}
    missing = {name: "required" for name, value in values.items() if not value}
    if missing:
        abort(make_response(jsonify(error="missing Twilio parameters", fields=missing), 400))
    return values


def query(*names: str) -> dict[str, str]:
    values = {name: (request.args.get(name) or "").strip() for name in names}
    missing = {name: "required in the query string" for name, v in values.items() if not v}
    if missing:
        abort(make_response(jsonify(error="missing parameters", fields=missing), 400))
    return values


def xml_response(response) -> tuple:
    return str(response), 200, {"Content-Type": "application/xml"}

