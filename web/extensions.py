"""Extension objects created once at import and bound to each app with init_app (the API's
spec object is web.api.spec.api_spec)."""

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_socketio import SocketIO
from flask_wtf import CSRFProtect

login_manager = LoginManager()
# Bound in create_app with an explicit async mode; namespaces are registered there too.
socketio = SocketIO()
csrf = CSRFProtect()
# No default limits: only the login form is throttled, by account and by address.
limiter = Limiter(key_func=get_remote_address, default_limits=[])

