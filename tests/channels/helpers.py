"""Channel test helpers: signed webhook posts, and a live contact center — app, routing engine
thread, channel reactor and simulated carrier — on a committed database (the `center` fixture
of tests/channels/conftest.py builds it)."""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass

from channels import entry_points
from channels.links import Links
from channels.reactor import ChannelReactor
from channels.signing import HEADER, sign, webhook_token
from channels.simulated import SimAgent, SimulatedCarrier
from channels.transports import flask_transport
from crowdline import wiring
from dispatcher import commands
from dispatcher.core.codec import encode
from dispatcher.core.model import Queue
from dispatcher.runner import EngineRunner
from tests.factories import make_program, make_user
from tests.waiting import PATIENCE
from tests.web_client import login
from web.app import create_app
from web.extensions import limiter
from web.realtime import push

PUBLIC_URL = "https://cc.example.com"
NUMBER = "+15550001000"
CLAIMS_OFFER_SECONDS = 10.0


def signed_post(client, path: str, params: dict, *, token: str, url: str | None = None):
    signature = sign(token, url or PUBLIC_URL + path, params)
    return client.post(path, data=params, headers={HEADER: signature})


@dataclass
class Center:
    app: object
    carrier: SimulatedCarrier
    sessions: object
    agents: dict  # name → (routing id, user email)

    def command(self, kind: str, **payload):
        with self.sessions.begin() as session:
            command_id = commands.submit(session, kind, payload, now=time.time())
        done, error = commands.wait_for(self.sessions, command_id, timeout=PATIENCE)
        assert done and error is None, (kind, error)

    def available(self, name: str) -> None:
        self.command("set_status", agent_id=self.agents[name][0], status="available")

    def logged_in(self, name: str):
        client = self.app.test_client()
        assert login(client, self.agents[name][1]).status_code == 302
        return client


@contextmanager
def running_center(db, sessions, settings):
    """Queues `claims` (voice, via an IVR on NUMBER) and `web` (chat widget web:default, SMS on
    NUMBER goes to claims too); agents ann, bob (home phones) and cat (chat)."""
    with sessions.begin() as session:
        program = make_program(session, code="acme", name="Acme Insurance")
        agents = {}
        for n, name in enumerate(("ann", "bob", "cat"), start=1):
            user = make_user(session, "agent", display_name=name.title())
            user.agent.phone = f"+1555111000{n}"
            user.agent.programs = [program]
            agents[name] = (str(user.agent.id), user.email)
        menu = [{"digit": "1", "label": "claims", "queue_id": "claims", "language": None}]
        entry_points.save(
            session=session,
            address=NUMBER,
            program_code="acme",
            queue_id="claims",
            greeting="Welcome to Acme.",
            menu=menu,
        )
        entry_points.save(
            session=session,
            address="web:default",
            program_code="acme",
            queue_id="web",
        )
    carrier = SimulatedCarrier(
        base_url=PUBLIC_URL, auth_token=webhook_token(None, settings.secret_key)
    )
    app = create_app(
        settings.with_(database_url=str(db.url)), session_factory=sessions, gateway=carrier
    )
    limiter.reset()
    carrier.transport = flask_transport(app)
    reactor = ChannelReactor(
        sessions=sessions, gateway=carrier, links=Links(PUBLIC_URL), notify=push
    )
    runner = EngineRunner(db, poll=0.05, projections=wiring.domain_projections())
    runner.bus.subscribe(reactor)
    runner.start()
    built = Center(app, carrier, sessions, agents)
    # Offers last long enough for a loaded machine to answer them (the simulated phone's
    # webhooks, a test's socket); a test that lets an offer time out waits for `claims`'.
    for queue in (
        Queue("claims", program="acme", reservation_timeout=CLAIMS_OFFER_SECONDS,
              wrapup_seconds=0.3),
        Queue("web", program="acme", reservation_timeout=30.0, wrapup_seconds=0.3),
    ):  # fmt: skip
        built.command("configure_queue", queue=encode(queue))
    # Roster agents serve their program's queues once they sign in (Center.available).
    for n in range(1, len(agents) + 1):
        carrier.agents[f"+1555111000{n}"] = SimAgent(keys="1")
    try:
        yield built
    finally:
        runner.stop()
        reactor.stop()
        carrier.close()
