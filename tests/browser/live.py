"""A live contact center for page tests: HTTP server, routing engine, channel reactor,
simulated carrier, console presence and dashboard relay on a database of its own. Page tests
use the `center` fixture (declared in tests/browser/conftest.py) and the helpers below."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from channels import entry_points
from channels.links import Links
from channels.reactor import ChannelReactor
from channels.signing import webhook_token
from channels.simulated import SimAgent, SimulatedCarrier
from channels.transports import flask_transport
from crowdline import wiring
from dispatcher import commands
from dispatcher.core.codec import encode
from dispatcher.core.model import Queue
from dispatcher.runner import EngineRunner
from dispatcher.tables import RoutingAgent, RoutingTask
from tests import databases
from tests.factories import PASSWORD, make_program, make_user
from tests.waiting import PATIENCE
from web.app import create_app
from web.console.presence import PresenceSweeper
from web.dashboard.namespace import RefreshRelay
from web.extensions import limiter, socketio
from web.realtime import push

NUMBER = "+15550001000"
CALLER = "+15557770001"
BASE = "http://localhost"  # what the simulated carrier signs for (flask_transport's host)


@dataclass
class LiveCenter:
    url: str
    sessions: object
    carrier: SimulatedCarrier
    agents: dict  # name → (routing id, email)
    supervisor: str
    bus: object = None  # the engine's EventBus: a test may subscribe (e.g. demo bots)

    def command(self, kind: str, **payload):
        with self.sessions.begin() as session:
            command_id = commands.submit(session, kind, payload, now=time.time())
        done, error = commands.wait_for(self.sessions, command_id, timeout=PATIENCE)
        assert done and error is None, (kind, error)

    def status_of(self, name: str) -> str | None:
        with self.sessions() as session:
            row = session.get(RoutingAgent, self.agents[name][0])
            return row.status if row else None

    def task(self, task_id: str) -> RoutingTask | None:
        with self.sessions() as session:
            return session.get(RoutingTask, task_id)


def _seed(sessions) -> tuple[dict, str]:
    with sessions.begin() as session:
        program = make_program(session, code="acme", name="Acme Insurance")
        agents = {}
        for n, name in enumerate(("ann", "bob"), start=1):
            user = make_user(session, "agent", display_name=name.title())
            user.agent.phone = f"+1555111000{n}"
            user.agent.programs = [program]
            agents[name] = (str(user.agent.id), user.email)
        supervisor = make_user(session, "supervisor", display_name="Sue").email
        menu = [{"digit": "1", "label": "claims", "queue_id": "claims", "language": None}]
        entry_points.save(session=session, address=NUMBER, program_code="acme",
                          queue_id="claims", greeting="Welcome to Acme.", menu=menu)  # fmt: skip
        entry_points.save(session=session, address="web:default", program_code="acme",
                          queue_id="web")  # fmt: skip
    return agents, supervisor


@pytest.fixture
def center(settings, tmp_path, browser):
    """Queue `claims` on NUMBER; agents ann and bob with home phones that ring out unless a
    test says otherwise; presence grace 1 s."""
    with databases.fresh_database(tmp_path) as (db, sessions):
        agents, supervisor = _seed(sessions)
        socketio.server_options.pop("client_manager", None)  # see tests/web/test_console.py
        carrier = SimulatedCarrier(base_url=BASE,
                                   auth_token=webhook_token(None, settings.secret_key))  # fmt: skip
        app = create_app(
            settings.with_(database_url=str(db.url),
                           extra={"PRESENCE_GRACE_SECONDS": 1.0, "WTF_CSRF_SSL_STRICT": False}),
            session_factory=sessions, gateway=carrier,
        )  # fmt: skip
        limiter.reset()
        carrier.transport = flask_transport(app)
        carrier.default_agent = SimAgent(keys=None)
        reactor = ChannelReactor(sessions=sessions, gateway=carrier, links=Links(BASE),
                                 notify=push)  # fmt: skip
        runner = EngineRunner(db, poll=0.05, projections=wiring.domain_projections())
        runner.bus.subscribe(reactor)
        runner.bus.subscribe(RefreshRelay(min_gap=0.1))
        runner.start()
        sweeper = PresenceSweeper(app.extensions["crowdline.presence"], sessions, every=0.2)
        sweeper.start()
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        live = LiveCenter(f"http://127.0.0.1:{server.server_port}", sessions, carrier, agents,
                          supervisor, runner.bus)  # fmt: skip
        for queue_id in ("claims", "web"):
            queue = Queue(queue_id, program="acme", reservation_timeout=30.0,
                          wrapup_seconds=120.0)  # fmt: skip
            live.command("configure_queue", queue=encode(queue))
        yield live
        server.shutdown()
        thread.join(timeout=5)
        sweeper.stop()
        runner.stop()
        reactor.stop()
        carrier.close()


def sign_in(context, center, email: str, path: str):
    page = context.new_page()
    page.goto(f"{center.url}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{center.url}{path}")
    return page


def new_context(browser):
    return browser.new_context(viewport={"width": 1280, "height": 900})


def fact(page, queue: str, name: str):
    return page.locator(f'.tile[data-queue="{queue}"] dd[data-fact="{name}"]')


def go_available(console):
    expect(console.locator("#connection")).to_have_text("connected")
    console.get_by_label("Status", exact=True).select_option("available")
    console.get_by_role("button", name="Set status").click()
    expect(console.locator("#status")).to_have_text("available")
