"""WSGI entry point of a production web process, for gunicorn (one worker per process, a thread
per connection — Socket.IO's threading mode with simple-websocket):

    gunicorn --workers 1 --threads 200 --bind 127.0.0.1:5001 'crowdline.wsgi:create_web_process()'

(`web.wsgi:create_web_process()`, the name deploy files used first, is the same function.)
It serves pages, the REST API, Twilio webhooks and Socket.IO, and sweeps console presence; it
makes no routing decision (run `crowdline engine` processes beside it). Configuration comes from
the environment as for `crowdline run`; a bad value stops the worker with one clear line.
"""

from __future__ import annotations

import os
import sys

from alembic.util.exc import CommandError as AlembicError
from sqlalchemy.exc import OperationalError

from crowdline import memtrace, wiring
from crowdline.cli.group import open_database, startup_error
from crowdline.logs import setup_logging
from crowdline.schema import SchemaNotReady
from crowdline.settings import ConfigError


def create_web_process():
    try:
        settings, engine = open_database()
    except (ConfigError, SchemaNotReady, AlembicError, OperationalError) as error:
        _stop(startup_error(error))
    setup_logging(settings, process="web")
    memtrace.start_from_environment(os.environ, "web")  # off unless MEMTRACE_DIR is set
    process = wiring.web_only(settings, engine).start()
    return process.app


def _stop(error) -> None:
    """One line on stderr, exit status 2 (gunicorn reports the worker failed to boot)."""
    error.show()
    sys.exit(2)
