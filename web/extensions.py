"""Extension objects created once at import and bound to each app with init_app."""

import logging

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_socketio import SocketIO
from flask_wtf import CSRFProtect
from spectree import SecurityScheme, SpecTree
from spectree.models import SecuritySchemeData

login_manager = LoginManager()
# Bound in create_app with an explicit async mode; namespaces are registered there too.
socketio = SocketIO()
csrf = CSRFProtect()


def drop_socket_connections() -> int:
    """Close every Socket.IO connection of this process as it stops, without the server's
    goodbye packet: clients see the transport close and reconnect (to another process, or to
    this one once restarted) instead of staying disconnected on purpose. Returns how many."""
    server = getattr(socketio, "server", None)
    if server is None:
        return 0
    sockets = list(server.eio.sockets.values())
    for each in sockets:
        try:
            each.close(wait=False, abort=True, reason=server.eio.reason.SERVER_DISCONNECT)
        except Exception:  # a disconnect handler failed: the socket is closed all the same
            logging.getLogger(__name__).warning("closing a socket failed", exc_info=True)
    return len(sockets)
# No default limits: only the login form is throttled, by account and by address.
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def _api_before(request, response, validation_error, instance, model_adapter):
    """Turn spectree's validation errors into our JSON error shape (see web.api.errors)."""
    if validation_error is not None:
        from web.api.errors import validation_error_response

        validation_error_response(validation_error)


api_spec = SpecTree(
    "flask",
    title="Crowdline API",
    version="1",
    # spectree skips every route under its own path, so it serves its copy at /apidoc/ and
    # web.api publishes the same document at /api/openapi.json.
    path="apidoc",
    filename="openapi.json",
    page_templates={},
    mode="strict",
    before=_api_before,
    validation_error_status=422,
    security_schemes=[
        SecurityScheme(name="bearer", data=SecuritySchemeData(type="http", scheme="bearer")),
        SecurityScheme(
            name="session",
            data=SecuritySchemeData(type="apiKey", field_in="cookie", name="session"),
        ),
    ],
    security=[{"bearer": []}, {"session": []}],
)
