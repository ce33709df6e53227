"""`crowdline demo`: the living demo (seeded program, bots, simulated callers and texters)."""

from __future__ import annotations

import os
import secrets
import threading

import click

from channels.factory import simulated_carrier
from channels.traffic import Traffic
from channels.transports import http_transport
from crowdline import demo, demo_community, demo_quality, wiring
from crowdline.cli.group import open_database
from crowdline.cli.serve import serve
from crowdline.logs import setup_logging
from database.engine import make_session_factory
from dispatcher.runner import stop_on_signals


@click.command("demo")
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
    settings, engine = open_database()
    # The demo's terminal shows the logins; every routing event at INFO would scroll them
    # away within a second. Warnings and errors only, unless LOG_LEVEL says otherwise.
    quiet = settings if os.environ.get("LOG_LEVEL") else settings.with_(log_level="warning")
    setup_logging(quiet, process="demo")
    password = os.environ.get("CROWDLINE_PASSWORD") or secrets.token_urlsafe(9)
    click.echo(f"Seeding the demo ({bots} certified bot agents)…")
    with make_session_factory(engine).begin() as session:
        phones = demo.seed(session=session, bots=bots, password=password)
        demo_community.seed_community(session=session, program_code=demo.PROGRAM,
                                      password=password)  # fmt: skip
    local = wiring.local_url(host, port)
    process, carrier = _demo_process(settings, engine, host, port, phones)
    process.extras.append(demo_community.CommunityMembers(process.sessions, demo.PROGRAM))
    process.extras.append(demo_quality.QualityPulse(process.sessions))
    traffic = Traffic(carrier, demo.traffic_profiles(calls_per_minute, chats_per_minute,
                                                     patience=patience, talk=talk))  # fmt: skip
    process.start()
    threading.Timer(2.0, traffic.start).start()  # once the server below is listening
    _print_logins(local, password)
    stop_on_signals()  # SIGTERM as Ctrl+C: the server returns, then the process stops in order
    try:
        serve(process.app, host, port)
    finally:
        traffic.stop()
        process.stop()


def _demo_process(settings, engine, host: str, port: int, phones):
    """The embedded process on the simulated carrier (never Twilio), with the demo's bots
    answering on `phones`; (process, carrier), not started."""
    local = wiring.local_url(host, port)
    carrier = simulated_carrier(settings, base_url=local, transport=http_transport(local))
    process = wiring.embedded(settings.with_(twilio_account_sid=None, twilio_auth_token=None),
                              engine, host=host, port=port, gateway=carrier,
                              base_url=local)  # fmt: skip
    robots = demo.Bots(process.sessions, carrier, phones)
    process.runner.bus.subscribe(robots)
    process.extras.append(robots)
    return process, carrier


def _print_logins(local: str, password: str) -> None:
    click.echo(f"Crowdline demo at {local}/  (Ctrl+C to stop)")
    click.echo(f"  agent:      {demo.PERSON_AGENT} / {password}  → {local}/console")
    click.echo(f"  supervisor: {demo.PERSON_SUPERVISOR} / {password}  → {local}/dashboard")
    click.echo(f"  customers:  call {demo.NUMBER} (simulated) or chat at {local}/chat")
    click.echo(f"  community:  {demo_community.SUPER_USER} / {password} (super user)"
               f"  → {local}/community/{demo.PROGRAM}")  # fmt: skip
