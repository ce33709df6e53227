"""A live contact center for page tests: HTTP server, routing engine, channel reactor,
simulated carrier, console presence and dashboard relay on a database of its own. Page tests
use the `center` fixture (declared in tests/browser/conftest.py) and the helpers below."""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
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
from dispatcher.tables import RoutingAgent, RoutingReservation, RoutingTask
from tests import databases
from tests.factories import PASSWORD, make_program, make_user
from tests.waiting import PATIENCE, wait_until
from web.app import create_app
from web.console.presence import PresenceSweeper
from web.dashboard.namespace import RefreshRelay
from web.extensions import limiter, socketio
from web.realtime import push

SLOW = 30_000  # ms: states that arrive by push or polling on a loaded machine
ARTIFACTS = Path(os.environ.get("CROWDLINE_TEST_ARTIFACTS", "test-artifacts"))  # screenshots
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


def fill_login(page, base_url: str, email: str, path: str = "/login",
               password: str = PASSWORD) -> None:
    """Sign in by the login form at `path`, as a person does (the factories' PASSWORD unless
    another is given, e.g. the demo's)."""
    page.goto(f"{base_url}{path}")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def sign_in(context, center, email: str, path: str):
    """A new page of `context`, signed in and opened at `path`."""
    page = context.new_page()
    fill_login(page, center.url, email)
    page.goto(f"{center.url}{path}")
    return page


def supervisor_dashboard(browser, center, **viewport):
    """The supervisor signed in on /dashboard in a new context, its socket live; (context, page).
    `viewport`: width and height, when the test is about a screen size."""
    context = browser.new_context(viewport=viewport) if viewport else browser.new_context()
    dashboard = sign_in(context, center, center.supervisor, "/dashboard")
    expect(dashboard.locator("#connection")).to_have_text("live")
    return context, dashboard


def new_context(browser):
    return browser.new_context(viewport={"width": 1280, "height": 900})


def fact(page, queue: str, name: str):
    return page.locator(f'.tile[data-queue="{queue}"] dd[data-fact="{name}"]')


def go_available(console):
    expect(console.locator("#connection")).to_have_text("connected")
    console.get_by_label("Status", exact=True).select_option("available")
    console.get_by_role("button", name="Set status").click()
    expect(console.locator("#status")).to_have_text("available")


def configure_queue(center, queue_id: str, **options) -> None:
    """(Re)configure one of the center's queues: 30 s offers and 120 s wrap-up unless told."""
    options = {"reservation_timeout": 30.0, "wrapup_seconds": 120.0, **options}
    center.command("configure_queue", queue=encode(Queue(queue_id, program="acme", **options)))


def start_chat(context, center, name: str, text: str, *, shown: bool = False):
    """A customer starts a chat in the widget, in a new page of `context`; the widget page.
    `shown`: also wait until the widget shows the customer's first message."""
    widget = context.new_page()
    widget.goto(f"{center.url}/chat")
    widget.get_by_label("Your name").fill(name)
    widget.get_by_label("How can we help?").fill(text)
    widget.get_by_role("button", name="Start chat").click()
    if shown:
        expect(widget.locator("#messages li")).to_have_count(1)
    return widget


def pending_offer(center, name: str) -> str:
    """The reservation the engine made to agent `name` (its id), once there is one."""

    def pending():
        with center.sessions() as session:
            return session.scalars(
                select(RoutingReservation.reservation_id).where(
                    RoutingReservation.agent_id == center.agents[name][0],
                    RoutingReservation.state == "pending",
                )
            ).first()

    return wait_until(pending, message=f"an offer to {name}")


def held_tasks(center, agent_id: str) -> list[str]:
    """The ids of the tasks `agent_id` holds in conversation (assigned)."""
    with center.sessions() as session:
        return list(session.scalars(select(RoutingTask.task_id).where(
            RoutingTask.agent_id == agent_id, RoutingTask.state == "assigned")))  # fmt: skip


def screenshot(page, name: str) -> None:
    """The whole page, kept as test-artifacts/NAME.png to be looked at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def accept_chat(console, center, name: str):
    """A customer `name` starts a chat and the agent on `console` accepts its offer;
    (customer context, widget page, the console's task element)."""
    customer = new_context(console.context.browser)
    widget = start_chat(customer, center, name, "Where is my claim?")
    offer = console.get_by_role("dialog", name="Incoming offer")
    expect(offer).to_contain_text(name)
    offer.get_by_role("button", name="Accept (A)").click()
    task = console.locator(".task").filter(has_text=name)
    expect(task.locator(".task-state")).to_have_text("assigned")
    return customer, widget, task


def screenshots(page, name: str) -> None:
    """NAME-1400.png and NAME-390.png of the whole page, then back to 1280 px wide."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width in (1400, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
