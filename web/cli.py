"""The `crowdline` command: run the app, migrate the database, manage users, run benchmarks."""

from __future__ import annotations

import os

import click
from alembic.util.exc import CommandError as AlembicError
from flask.cli import FlaskGroup
from sqlalchemy.exc import OperationalError

from database import migrate
from database.engine import make_engine, make_session_factory
from web.config import DEFAULT_HOST, DEFAULT_PORT, ConfigError, load_settings
from web.schema import SchemaNotReady, ensure_schema


class CrowdlineGroup(FlaskGroup):
    """Flask's CLI group, limited to Crowdline's own commands (no app discovery on --help)."""

    def list_commands(self, ctx):
        return sorted(self.commands)

    def get_command(self, ctx, name):
        return self.commands.get(name)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except ConfigError as error:
            raise StartupError(f"configuration error: {error}") from None
        except SchemaNotReady as error:
            raise StartupError(str(error)) from None
        except AlembicError as error:
            raise StartupError(f"migration: {error}") from None
        except OperationalError as error:
            reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
            raise StartupError(f"cannot reach the database: {reason}") from None


class StartupError(click.ClickException):
    """One clear line on stderr and exit status 2; never a traceback."""

    exit_code = 2

    def show(self, file=None):
        click.echo(f"crowdline: {self.format_message()}", err=True, file=file)


def _create_app():
    from web.app import create_app

    return create_app(load_settings())


@click.group(
    cls=CrowdlineGroup,
    create_app=_create_app,
    add_default_commands=False,
    add_version_option=False,
    load_dotenv=False,
    set_debug_flag=False,
)
def cli():
    """Crowdline: a virtual contact center for a crowd of home-based agents."""


def open_database(*, auto_migrate: bool = True):
    """(settings, engine) for the configured database, with its schema checked."""
    settings = load_settings()
    engine = make_engine(settings.database_url)
    if auto_migrate:
        created = ensure_schema(engine, settings)
        if created:
            click.echo(f"Created a new database at {settings.database_url}")
    return settings, engine


@cli.command("run")
@click.option("--host", default=DEFAULT_HOST, show_default=True, help="Interface to listen on.")
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--engine/--no-engine",
    "with_engine",
    default=True,
    show_default=True,
    help="Also run a routing engine in this process (active, or standby on PostgreSQL).",
)
def run_command(host: str, port: int, with_engine: bool):
    """Serve Crowdline on the configured database (the embedded SQLite default if none)."""
    from channels.factory import default_gateway
    from channels.reconcile import CallReconciler
    from channels.simulated import http_transport
    from dispatcher.runner import EngineRunner, stop_on_signals
    from web.app import create_app
    from web.bootstrap import first_admin
    from web.console.presence import PresenceSweeper
    from web.dashboard.namespace import RefreshRelay
    from web.extensions import socketio
    from web.logs import setup_logging

    settings, engine = open_database()
    setup_logging(settings, process="run")
    sessions = make_session_factory(engine)
    with sessions.begin() as session:
        credentials = first_admin(session=session) if settings.embedded else None
    if credentials:
        email, password = credentials
        click.echo("First start: an administrator account was created.")
        click.echo(f"  Sign in at http://{host}:{port}/login as {email} / {password}")
        click.echo("  (change it with `crowdline users reset-password --email " + email + "`)")
    local = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}"
    gateway = default_gateway(settings, base_url=settings.public_url or local,
                              transport=http_transport(local))  # fmt: skip
    app = create_app(settings, session_factory=sessions, gateway=gateway)
    reactor = _channel_reactor(sessions, gateway, settings.public_url or local)
    jobs = CallReconciler.jobs_of(reactor)  # lost call-status callbacks, beside the engine
    runner = EngineRunner(engine, jobs=jobs) if with_engine else None
    # Agents whose console is gone past the grace period go offline; dashboards get hints.
    sweeper = PresenceSweeper(app.extensions["crowdline.presence"], sessions).start()
    if runner is not None:
        runner.bus.subscribe(reactor)
        runner.bus.subscribe(RefreshRelay())
        runner.start()
    click.echo(f"Crowdline is running at http://{host}:{port}/  (Ctrl+C to stop)")
    stop_on_signals()  # SIGTERM as Ctrl+C: the server returns, then everything below stops
    try:
        # Threading mode on werkzeug's server (WebSocket through simple-websocket), as before.
        # socketio.run calls app.run, which Flask skips inside its own CLI unless told not to.
        os.environ.pop("FLASK_RUN_FROM_CLI", None)
        socketio.run(app, host=host, port=port, use_reloader=False, debug=False,
                     allow_unsafe_werkzeug=True, log_output=False)  # fmt: skip
    finally:
        stop_process(sweeper=sweeper, runner=runner, reactor=reactor)


def stop_process(*, sweeper, runner, reactor) -> None:
    """The graceful stop of a serving process, in order: drop its sockets (clients reconnect
    elsewhere or later), stop the presence sweeper, let the engine finish its step and release
    the lease, let the reactor act on that last step, flush the logs."""
    import logging

    from dispatcher.runner import flush_logs
    from web.extensions import drop_socket_connections

    dropped = drop_socket_connections()
    sweeper.stop()
    if runner is not None:
        runner.stop()
    reactor.stop()
    logging.getLogger("web.cli").info("stopped (%d socket connections closed)", dropped)
    flush_logs()


def _channel_reactor(sessions, gateway, base_url: str):
    """Routing events → carrier actions and console pushes, beside the engine."""
    from channels.links import Links
    from channels.reactor import ChannelReactor
    from web.chat.rooms import push

    return ChannelReactor(sessions=sessions, gateway=gateway, links=Links(base_url), notify=push)


def engine_channel_reactor(settings, engine, web_url: str | None):
    """The channel reactor of a `crowdline engine` process (it acts only while that engine is
    active: a standby's bus is silent). Webhook URLs and the simulated carrier's posts go to
    `web_url` (default PUBLIC_URL, else the local `crowdline run`); pushes reach consoles through
    the Redis message queue when REDIS_URL is set (without it they are skipped, and consoles
    resync on reconnect)."""
    from channels.factory import default_gateway
    from channels.simulated import http_transport
    from web.extensions import socketio

    base = (web_url or settings.public_url or "http://127.0.0.1:5000").rstrip("/")
    if settings.redis_url and socketio.server is None:
        socketio.init_app(None, message_queue=settings.redis_url, async_mode="threading")
    gateway = default_gateway(settings, base_url=base, transport=http_transport(base))
    return _channel_reactor(make_session_factory(engine), gateway, base)


@cli.group("db")
def db_group():
    """Create or migrate the database schema (Alembic)."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str):
    """Migrate the database forward (creates the schema on an empty database)."""
    _settings, engine = open_database(auto_migrate=False)
    migrate.upgrade(engine, revision)
    click.echo(f"Database at revision {migrate.current_revision(engine) or 'base'}.")


@db_group.command("downgrade")
@click.option("--revision", required=True, help="Target revision, '-1' for one step, or 'base'.")
def db_downgrade(revision: str):
    """Migrate the database back (use with care: data in dropped tables is lost)."""
    _settings, engine = open_database(auto_migrate=False)
    migrate.downgrade(engine, revision)
    click.echo(f"Database at revision {migrate.current_revision(engine) or 'base'}.")


@db_group.command("current")
def db_current():
    """Show the database's revision and whether it is up to date."""
    _settings, engine = open_database(auto_migrate=False)
    state, current = migrate.schema_state(engine)
    click.echo(f"revision {current or 'none'} ({state.value}); code head {migrate.head_revision()}")


def main() -> None:
    from web import cli_commands  # noqa: F401  (users, tokens, bench)

    cli.main(prog_name="crowdline")
