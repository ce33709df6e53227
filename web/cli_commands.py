"""`crowdline users …`, `tokens …`, `engine` and `bench [NAME]`."""

from __future__ import annotations

import importlib
import pkgutil

import click

from agents import tokens, users
from agents.errors import RosterError
from database.engine import make_session_factory
from web.cli import cli, open_database


@cli.group("users")
def users_group():
    """Create users and reset passwords."""


def _session():
    _settings, engine = open_database()
    return make_session_factory(engine)


def _fail(error: RosterError):
    raise click.BadParameter(
        error.message, param_hint=f"--{(error.field or 'value').replace('_', '-')}"
    )


@users_group.command("create")
@click.option("--role", required=True, type=click.Choice(["agent", "supervisor", "admin"]))
@click.option("--email", required=True)
@click.option("--name", "display_name", required=True, help="Display name.")
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    envvar="CROWDLINE_PASSWORD",
    help="Prompted when omitted (or CROWDLINE_PASSWORD).",
)
def users_create(role: str, email: str, display_name: str, password: str):
    """Create a user with ROLE (agents also get a roster profile)."""
    try:
        with _session().begin() as session:
            user = users.create_user(
                session=session,
                email=email,
                display_name=display_name,
                password=password,
                role=role,
            )
            click.echo(f"Created {user.role.value} {user.email} (id {user.id}).")
    except RosterError as error:
        _fail(error)


@users_group.command("reset-password")
@click.option("--email", required=True)
@click.option(
    "--password",
    prompt="New password",
    hide_input=True,
    confirmation_prompt=True,
    envvar="CROWDLINE_PASSWORD",
)
def users_reset_password(email: str, password: str):
    """Set a new password; the user's existing sessions are signed out."""
    try:
        with _session().begin() as session:
            user = users.get_by_email(session=session, email=email)
            if user is None:
                raise click.BadParameter(f"no user with email {email}", param_hint="--email")
            users.reset_password(session=session, user=user, password=password)
            click.echo(f"Password changed for {user.email}; their sessions are signed out.")
    except RosterError as error:
        _fail(error)


@cli.group("tokens")
def tokens_group():
    """API tokens (bearer) acting as a user."""


@tokens_group.command("create")
@click.option("--email", required=True, help="The user the token acts as.")
@click.option("--name", required=True, help="What the token is for.")
def tokens_create(email: str, name: str):
    """Create a token and print it once."""
    try:
        with _session().begin() as session:
            user = users.get_by_email(session=session, email=email)
            if user is None:
                raise click.BadParameter(f"no user with email {email}", param_hint="--email")
            token, plain = tokens.create_token(session=session, actor_id=None, user=user, name=name)
            click.echo(f"Token {token.id} for {user.email} (shown once):\n{plain}")
    except RosterError as error:
        _fail(error)


@tokens_group.command("revoke")
@click.argument("token_id", type=click.IntRange(1, 2**31 - 1))
def tokens_revoke(token_id: int):
    """Revoke token TOKEN_ID at once."""
    try:
        with _session().begin() as session:
            tokens.revoke_token(session=session, actor_id=None, token_id=token_id)
            click.echo(f"Token {token_id} revoked.")
    except RosterError as error:
        raise click.BadParameter(error.message, param_hint="TOKEN_ID") from None


def available_benchmarks() -> list[str]:
    try:
        package = importlib.import_module("bench")
    except ModuleNotFoundError:
        return []
    return sorted(
        m.name for m in pkgutil.iter_modules(package.__path__) if not m.name.startswith("_")
    )


@cli.command("bench", context_settings={"ignore_unknown_options": True})
@click.argument("name", required=False)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def bench(name: str | None, args: tuple[str, ...]):
    """Run benchmark NAME from bench/ (all of them when omitted); extra ARGS go to it."""
    names = available_benchmarks()
    if name and name not in names:
        raise click.BadParameter(
            f"unknown benchmark '{name}'; available: {', '.join(names) or 'none'}",
            param_hint="NAME",
        )
    for each in [name] if name else names:
        click.echo(f"== bench {each} ==")
        module = importlib.import_module(f"bench.{each}")
        module.main(list(args))


@cli.command("engine")
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
    import signal

    from dispatcher.runner import EngineRunner
    from web.cli import StartupError, engine_channel_reactor
    from web.logs import setup_logging
    from web.metrics import start_metrics_server

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

    runner = EngineRunner(engine, on_active=announce)
    reactor = engine_channel_reactor(settings, engine, web_url) if with_channels else None
    if reactor is not None:
        runner.bus.subscribe(reactor)
    signal.signal(signal.SIGTERM, lambda *_: runner.stop_event.set())
    click.echo(
        f"engine started{' with the channel reactor' if reactor else ''}: waiting for the lease",
        err=True,
    )
    try:
        runner.run()
    except KeyboardInterrupt:
        runner.stop_event.set()
    finally:
        if reactor is not None:
            reactor.stop()


@cli.command("carrier")
@click.option("--port", default=5100, show_default=True, type=click.IntRange(1, 65535),
              help="Serve the gateway at http://127.0.0.1:PORT (the web and engine processes' "
              "CARRIER_URL).")  # fmt: skip
@click.option("--web", "webs", multiple=True, required=True,
              help="A web process to post webhooks to, e.g. http://127.0.0.1:5001 (repeat for "
              "each; posts go round-robin, skipping one that refuses connections).")  # fmt: skip
@click.option("--number", default=None, help="The number simulated customers call and text "
              "(default: the demo's).")  # fmt: skip
@click.option("--calls-per-minute", default=0.0, show_default=True,
              type=click.FloatRange(0, 6000))  # fmt: skip
@click.option("--chats-per-minute", default=0.0, show_default=True,
              type=click.FloatRange(0, 6000))  # fmt: skip
def carrier_command(port: int, webs: tuple[str, ...], number: str | None, calls_per_minute: float,
                    chats_per_minute: float):  # fmt: skip
    """The simulated carrier as one process for a scaled-out deployment without Twilio: every
    web and engine process talks to it (CARRIER_URL), it posts signed webhooks to the web
    processes, agents' phones answer by pressing 1, and optional Poisson customers call and
    text. Needs the deployment's SECRET_KEY and PUBLIC_URL (what webhooks are signed for)."""
    import os
    import signal
    import threading

    from channels.remote import CarrierServer, round_robin_transport
    from channels.signing import webhook_token
    from channels.simulated import SimAgent, SimulatedCarrier
    from channels.traffic import Profile, Traffic
    from web import demo
    from web.config import load_settings, validate_public_url
    from web.logs import setup_logging

    if not os.environ.get("SECRET_KEY"):
        # A generated key would differ from the web processes': every webhook would get 403.
        raise click.UsageError("SECRET_KEY: required (the deployment's, to sign webhooks)")
    settings = load_settings()
    if settings.twilio_account_sid:
        raise click.UsageError("TWILIO_* is set: the deployment uses Twilio, not a carrier")
    if not settings.public_url:
        raise click.UsageError("PUBLIC_URL: required (the URL webhooks are signed for)")
    for web in webs:
        try:
            validate_public_url(web)
        except ValueError:
            raise click.BadParameter(f"{web!r} is not an http(s) URL", param_hint="--web") from None
    setup_logging(settings, process="carrier")
    carrier = SimulatedCarrier(base_url=settings.public_url,
                               auth_token=webhook_token(None, settings.secret_key),
                               transport=round_robin_transport(list(webs)), workers=16)  # fmt: skip
    carrier.default_agent = SimAgent(keys="1", delay=1.0)
    try:
        server = CarrierServer(carrier, port=port).start()
    except OSError as error:
        raise click.BadParameter(f"port {port}: {error.strerror}", param_hint="--port") from None
    traffic = None
    if calls_per_minute or chats_per_minute:
        profile = Profile(number or demo.NUMBER, calls_per_minute=calls_per_minute,
                          chats_per_minute=chats_per_minute)  # fmt: skip
        traffic = Traffic(carrier, [profile]).start()
    click.echo(f"simulated carrier at {server.url} (set CARRIER_URL={server.url}); webhooks to "
               f"{', '.join(webs)}", err=True)  # fmt: skip
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        if traffic is not None:
            traffic.stop()
        server.stop()
        carrier.close()


from web import cli_training  # noqa: E402,F401  (crowdline training …)


@cli.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--bots", default=50, show_default=True, type=click.IntRange(0, 500))
@click.option("--calls-per-minute", default=6.0, show_default=True, type=click.FloatRange(0, 600))
@click.option("--chats-per-minute", default=2.0, show_default=True, type=click.FloatRange(0, 600))
@click.option("--patience", default=90.0, show_default=True, type=click.FloatRange(1, 86400),
              help="Mean seconds a simulated customer waits for an agent before leaving.")
@click.option("--talk", default=120.0, show_default=True, type=click.FloatRange(1, 86400),
              help="Mean seconds a simulated customer talks before hanging up.")
def demo_command(host: str, port: int, bots: int, calls_per_minute: float,
                 chats_per_minute: float, patience: float, talk: float):  # fmt: skip
    """A living demo: seed the Acme program, certified bots and two logins; run the engine,
    the simulated carrier with Poisson callers and texters, and the bots."""
    import os
    import secrets
    import threading

    from channels.signing import webhook_token
    from channels.simulated import SimulatedCarrier, http_transport
    from channels.traffic import Traffic
    from dispatcher.runner import EngineRunner
    from web import demo
    from web.app import create_app
    from web.cli import _channel_reactor
    from web.console.presence import PresenceSweeper
    from web.dashboard.namespace import RefreshRelay
    from web.extensions import socketio
    from web.logs import setup_logging

    settings, engine = open_database()
    # The demo's terminal shows the logins; every routing event at INFO would scroll them
    # away within a second. Warnings and errors only, unless LOG_LEVEL says otherwise.
    quiet = settings if os.environ.get("LOG_LEVEL") else settings.with_(log_level="warning")
    setup_logging(quiet, process="demo")
    sessions = make_session_factory(engine)
    password = os.environ.get("CROWDLINE_PASSWORD") or secrets.token_urlsafe(9)
    click.echo(f"Seeding the demo ({bots} certified bot agents)…")
    with sessions.begin() as session:
        phones = demo.seed(session=session, bots=bots, password=password)
    local = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}"
    carrier = SimulatedCarrier(base_url=local, auth_token=webhook_token(None, settings.secret_key),
                               transport=http_transport(local))  # fmt: skip
    app = create_app(settings.with_(twilio_account_sid=None, twilio_auth_token=None),
                     session_factory=sessions, gateway=carrier)  # fmt: skip
    runner = EngineRunner(engine)
    reactor = _channel_reactor(sessions, carrier, local)
    robots = demo.Bots(sessions, carrier, phones)
    for subscriber in (reactor, RefreshRelay(), robots):
        runner.bus.subscribe(subscriber)
    sweeper = PresenceSweeper(app.extensions["crowdline.presence"], sessions)
    traffic = Traffic(carrier, demo.traffic_profiles(calls_per_minute, chats_per_minute,
                                                     patience=patience, talk=talk))  # fmt: skip
    runner.start()
    sweeper.start()
    robots.start()
    threading.Timer(2.0, traffic.start).start()  # once the server below is listening
    click.echo(f"Crowdline demo at {local}/  (Ctrl+C to stop)")
    click.echo(f"  agent:      {demo.PERSON_AGENT} / {password}  → {local}/console")
    click.echo(f"  supervisor: {demo.PERSON_SUPERVISOR} / {password}  → {local}/dashboard")
    click.echo(f"  customers:  call {demo.NUMBER} (simulated) or chat at {local}/chat")
    try:
        os.environ.pop("FLASK_RUN_FROM_CLI", None)
        socketio.run(app, host=host, port=port, use_reloader=False, debug=False,
                     allow_unsafe_werkzeug=True, log_output=False)  # fmt: skip
    finally:
        traffic.stop()
        robots.stop()
        sweeper.stop()
        runner.stop()
        reactor.stop()
        carrier.close()
