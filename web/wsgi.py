"""WSGI entry point of a production web process, for gunicorn (one worker per process, a thread
per connection — Socket.IO's threading mode with simple-websocket):

    gunicorn --workers 1 --threads 200 --bind 127.0.0.1:5001 'web.wsgi:create_web_process()'

It serves pages, the REST API, Twilio webhooks and Socket.IO, and sweeps console presence; it
makes no routing decision (run `crowdline engine` processes beside it). Configuration comes from
the environment as for `crowdline run`; a bad value stops the worker with one clear line.
"""

from __future__ import annotations

import sys


def create_web_process():
    from sqlalchemy.exc import OperationalError

    from channels.factory import default_gateway
    from database.engine import make_session_factory
    from web.app import create_app
    from web.cli import StartupError, open_database
    from web.config import ConfigError
    from web.console.presence import PresenceSweeper
    from web.logs import setup_logging
    from web.schema import SchemaNotReady

    try:
        settings, engine = open_database()
    except ConfigError as error:
        _stop(StartupError(f"configuration error: {error}"))
    except SchemaNotReady as error:
        _stop(StartupError(str(error)))
    except OperationalError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        _stop(StartupError(f"cannot reach the database: {reason}"))
    setup_logging(settings, process="web")
    sessions = make_session_factory(engine)
    app = create_app(settings, session_factory=sessions, gateway=default_gateway(settings))
    # Agents whose console is gone past the grace period go offline (shared through Redis).
    PresenceSweeper(app.extensions["crowdline.presence"], sessions).start()
    return app


def _stop(error) -> None:
    """One line on stderr, exit status 2 (gunicorn reports the worker failed to boot)."""
    error.show()
    sys.exit(2)
