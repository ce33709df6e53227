"""`crowdline carrier`: the simulated carrier as one process of a scaled-out deployment."""

from __future__ import annotations

import contextlib
import os
import signal
import threading

import click

from channels.factory import simulated_carrier
from channels.remote import CarrierServer, round_robin_transport
from channels.simulated import SimAgent
from channels.traffic import Profile, Traffic
from crowdline import demo
from crowdline.logs import setup_logging
from crowdline.settings import load_settings, validate_public_url


@click.command("carrier")
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
    settings = _carrier_settings(webs)
    setup_logging(settings, process="carrier")
    carrier = simulated_carrier(settings, base_url=settings.public_url,
                                transport=round_robin_transport(list(webs)),
                                workers=16)  # fmt: skip
    carrier.default_agent = SimAgent(keys="1", delay=1.0)
    try:
        server = CarrierServer(carrier, port=port).start()
    except OSError as error:
        raise click.BadParameter(f"port {port}: {error.strerror}", param_hint="--port") from None
    traffic = _customers(carrier, number, calls_per_minute, chats_per_minute)
    click.echo(f"simulated carrier at {server.url} (set CARRIER_URL={server.url}); webhooks to "
               f"{', '.join(webs)}", err=True)  # fmt: skip
    try:
        _wait_for_stop()
    finally:
        if traffic is not None:
            traffic.stop()
        server.stop()
        carrier.close()


def _customers(carrier, number: str | None, calls_per_minute: float, chats_per_minute: float):
    """Poisson customers calling and texting `number` (the demo's by default), started; None
    when neither rate is set."""
    if not (calls_per_minute or chats_per_minute):
        return None
    profile = Profile(number or demo.NUMBER, calls_per_minute=calls_per_minute,
                      chats_per_minute=chats_per_minute)  # fmt: skip
    return Traffic(carrier, [profile]).start()


def _carrier_settings(webs: tuple[str, ...]):
    """The deployment's settings, refused with a usage error when a carrier cannot serve it."""
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
    return settings


def _wait_for_stop() -> None:
    """Block until SIGTERM or Ctrl+C."""
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with contextlib.suppress(KeyboardInterrupt):
        stop.wait()
