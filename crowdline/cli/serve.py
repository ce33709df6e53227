"""`crowdline run` (the app, with an engine thread) and `crowdline engine` (an engine alone)."""

from __future__ import annotations

import os

import click

from crowdline import wiring
from crowdline.bootstrap import first_admin
from crowdline.cli.group import StartupError, open_database
from crowdline.logs import setup_logging
from crowdline.metrics import start_metrics_server
from crowdline.settings import DEFAULT_HOST, DEFAULT_PORT
from database.engine import make_session_factory
from dispatcher.runner import stop_on_signals
from web.extensions import socketio


@click.command("run")
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
    settings, engine = open_database()
    setup_logging(settings, process="run")
    if settings.embedded:
        _announce_first_admin(engine, host, port)
    process = wiring.embedded(settings, engine, host=host, port=port, engine=with_engine)
    process.start()
    click.echo(f"Crowdline is running at http://{host}:{port}/  (Ctrl+C to stop)")
    stop_on_signals()  # SIGTERM as Ctrl+C: the server returns, then the process stops in order
    try:
        serve(process.app, host, port)
    finally:
        process.stop()


def _announce_first_admin(engine, host: str, port: int) -> None:
    with make_session_factory(engine).begin() as session:
        credentials = first_admin(session=session)
    if credentials:
        email, password = credentials
        click.echo("First start: an administrator account was created.")
        click.echo(f"  Sign in at http://{host}:{port}/login as {email} / {password}")
        click.echo("  (change it with `crowdline users reset-password --email " + email + "`)")


def serve(app, host: str, port: int) -> None:
    """Threading mode on werkzeug's server (WebSocket through simple-websocket), until Ctrl+C.
    socketio.run calls app.run, which Flask skips inside its own CLI unless told not to."""
    os.environ.pop("FLASK_RUN_FROM_CLI", None)
    socketio.run(app, host=host, port=port, use_reloader=False, debug=False,
                 allow_unsafe_werkzeug=True, log_output=False)  # fmt: skip


@click.command("engine")
@click.option(
    "--web-url",
    default=None,
    help="Where the web processes serve Crowdline (webhook URLs; the simulated carrier posts "
    "there). Default: PUBLIC_URL, else http://127.0.0.1:5000.",
)
@click.option(
    "--channels/--no-channels",
    "with_channels",
    default=True,
    show_default=True,
    help="Run the channel reactor (ring agents, redirect callers, close chats) beside the engine.",
)
@click.option(
    "--metrics-port",
    type=click.IntRange(1, 65535),
    default=None,
    help="Serve Prometheus metrics at http://127.0.0.1:PORT/metrics (off when omitted).",
)
def engine_command(web_url: str | None, with_channels: bool, metrics_port: int | None):
    """Run a routing engine process: active when it holds the lease, standby otherwise."""
    settings, engine = open_database()
    setup_logging(settings, process="engine")
    if metrics_port is not None:
        try:
            start_metrics_server(metrics_port, make_session_factory(engine))
        except OSError as error:
            raise StartupError(f"--metrics-port {metrics_port}: {error.strerror}") from None
        click.echo(f"metrics at http://127.0.0.1:{metrics_port}/metrics", err=True)

    def announce(runner, seconds):
        click.echo(
            f"engine active (lease epoch {runner.lease.epoch}), rebuilt in {seconds:.3f}s", err=True
        )

    process = wiring.engine_only(settings, engine, web_url=web_url, channels=with_channels,
                                 on_active=announce)  # fmt: skip
    stop_on_signals(process.runner.stop_event.set)  # finish the step, release, exit 0
    click.echo(
        f"engine started{' with the channel reactor' if process.reactor else ''}: waiting for the "
        "lease",
        err=True,
    )
    process.run_engine()
