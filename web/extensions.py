"""Extension objects created once at import and bound to each app with init_app (the API's
spec object is web.api.spec.api_spec)."""

import logging

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_socketio import SocketIO
from flask_wtf import CSRFProtect

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

