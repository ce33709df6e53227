"""The agent console and the supervisor dashboard in a real browser, on a live contact center:
HTTP server, routing engine, channel reactor, simulated carrier and console presence."""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from werkzeug.serving import make_server

from agents.models import AuditEntry
from channels import entry_points
from channels.links import Links
from channels.reactor import ChannelReactor
from channels.signing import webhook_token
from channels.simulated import SimAgent, SimulatedCarrier, flask_transport
from dispatcher import commands
from dispatcher.core.codec import encode
from dispatcher.core.model import Queue
from dispatcher.runner import EngineRunner
from dispatcher.tables import RoutingAgent, RoutingTask
from tests import databases
from tests.browser.conftest import ARTIFACTS
from tests.factories import PASSWORD, make_program, make_user
from web.app import create_app
from web.chat.rooms import push
from web.console.presence import PresenceSweeper
from web.dashboard.namespace import RefreshRelay
from web.extensions import limiter, socketio

pytestmark = pytest.mark.browser
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

    def command(self, kind: str, **payload):
        with self.sessions.begin() as session:
            command_id = commands.submit(session, kind, payload, now=time.time())
        done, error = commands.wait_for(self.sessions, command_id, timeout=10)
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
        runner = EngineRunner(db, poll=0.05)
        runner.bus.subscribe(reactor)
        runner.bus.subscribe(RefreshRelay(min_gap=0.1))
        runner.start()
        sweeper = PresenceSweeper(app.extensions["crowdline.presence"], sessions, every=0.2)
        sweeper.start()
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        live = LiveCenter(f"http://127.0.0.1:{server.server_port}", sessions, carrier, agents,
                          supervisor)  # fmt: skip
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


def _sign_in(context, center, email: str, path: str):
    page = context.new_page()
    page.goto(f"{center.url}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{center.url}{path}")
    return page


def _context(browser):
    return browser.new_context(viewport={"width": 1280, "height": 900})


def _fact(page, queue: str, name: str):
    return page.locator(f'.tile[data-queue="{queue}"] dd[data-fact="{name}"]')


def _go_available(console):
    expect(console.locator("#connection")).to_have_text("connected")
    console.get_by_label("Status", exact=True).select_option("available")
    console.get_by_role("button", name="Set status").click()
    expect(console.locator("#status")).to_have_text("available")


def test_agent_takes_a_call_in_the_console_and_the_supervisors_dashboard_counts_it(center, browser):
    supervising, working = _context(browser), _context(browser)
    dashboard = _sign_in(supervising, center, center.supervisor, "/dashboard")
    expect(dashboard.locator("#connection")).to_have_text("live")
    expect(_fact(dashboard, "claims", "Answered today")).to_have_text("0")

    console = _sign_in(working, center, center.agents["ann"][1], "/console")
    _go_available(console)
    call_sid = center.carrier.place_call(from_=CALLER, to=NUMBER, digits="1")

    offer = console.get_by_role("dialog", name="Incoming offer")
    expect(offer).to_contain_text("Incoming call")
    expect(offer.locator(".countdown")).to_have_text(re.compile(r"^\d+$"))
    expect(_fact(dashboard, "claims", "Offered today")).to_have_text("1")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    console.screenshot(path=str(ARTIFACTS / "console-offer.png"), full_page=True)
    console.keyboard.press("a")  # the keyboard shortcut accepts

    task = console.locator(f'.task[data-task="{call_sid}"]')
    expect(task.locator(".task-state")).to_have_text("assigned")
    expect(console.locator("#state")).to_have_text("busy")
    expect(_fact(dashboard, "claims", "Answered today")).to_have_text("1")
    expect(_fact(dashboard, "claims", "Service level")).to_have_text("100%")
    expect(task.locator(".reply-form")).to_be_hidden()  # a call has no chat box
    console.screenshot(path=str(ARTIFACTS / "console-on-call.png"), full_page=True)
    task.get_by_role("button", name="Hang up").click()

    expect(task.locator(".task-state")).to_have_text("wrapping")
    expect(task.get_by_role("button", name="Hang up")).to_be_hidden()
    task.get_by_label("Disposition").select_option("resolved")
    task.get_by_label("Notes").fill("Claim number given.")
    expect(task.locator(".wrap-timer")).to_have_text(re.compile(r"^\d+$"))
    task.get_by_role("button", name="Finish wrap-up").click()

    expect(console.locator(".task")).to_have_count(0)
    expect(console.locator("#day-contacts")).to_have_text("1")
    expect(console.locator("#day-acceptance")).to_have_text("100%")
    expect(_fact(dashboard, "claims", "AHT")).not_to_have_text("–")
    expect(dashboard.locator("#agents tbody")).to_contain_text("Ann")
    assert center.task(call_sid).state == "completed"
    with center.sessions() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "task.wrap_up")).one()
        wrapped = (entry.after["disposition"], entry.after["notes"])
    assert wrapped == ("resolved", "Claim number given.")
    console.screenshot(path=str(ARTIFACTS / "console-after-wrap-up.png"), full_page=True)
    dashboard.screenshot(path=str(ARTIFACTS / "dashboard-after-call.png"), full_page=True)
    supervising.close()
    working.close()


def test_agent_is_refused_the_supervisor_dashboard_and_its_namespace(center, browser):
    context = _context(browser)
    console = _sign_in(context, center, center.agents["ann"][1], "/console")
    assert console.goto(f"{center.url}/dashboard").status == 403
    assert console.goto(f"{center.url}/dashboard/api/summary").status == 403
    console.goto(f"{center.url}/console")
    expect(console.locator("#connection")).to_have_text("connected")
    refused = console.evaluate("""async () => {
        const { io } = await import("/chat/vendor/socket.io.js");
        return await new Promise((resolve) => {
            const s = io("/supervisor", { reconnection: false });
            s.on("connect", () => resolve("connected"));
            s.on("connect_error", (e) => resolve("refused: " + e.message));
        });
    }""")
    assert refused.startswith("refused")
    context.close()


def test_offer_of_an_agent_whose_console_closed_goes_to_another_agent(center, browser):
    context = _context(browser)
    console = _sign_in(context, center, center.agents["ann"][1], "/console")
    _go_available(console)
    call_sid = center.carrier.place_call(from_=CALLER, to=NUMBER, digits="1")
    expect(console.get_by_role("dialog", name="Incoming offer")).to_be_visible()
    center.carrier.agents["+15551110002"] = SimAgent(keys="1")  # bob answers his phone
    center.command("set_status", agent_id=center.agents["bob"][0], status="available")

    context.close()  # ann's console is gone; her offer must not wait for its 30 s deadline

    deadline = time.monotonic() + 15
    while center.task(call_sid).agent_id != center.agents["bob"][0]:
        assert time.monotonic() < deadline, "the offer never reached bob"
        time.sleep(0.1)
    assert center.task(call_sid).state in ("reserved", "assigned")
    assert center.status_of("ann") == "offline"


def test_web_widget_chat_is_answered_from_the_agent_console(center, browser):
    customer_side, working = _context(browser), _context(browser)
    console = _sign_in(working, center, center.agents["ann"][1], "/console")
    _go_available(console)
    widget = customer_side.new_page()
    widget.goto(f"{center.url}/chat")
    widget.get_by_label("Your name").fill("Dana")
    widget.get_by_label("How can we help?").fill("Where is my claim?")
    widget.get_by_role("button", name="Start chat").click()

    offer = console.get_by_role("dialog", name="Incoming offer")
    expect(offer).to_contain_text("web chat")
    expect(offer).to_contain_text("Dana")
    offer.get_by_role("button", name="Accept (A)").click()

    task = console.locator(".task")
    expect(task.locator(".transcript")).to_contain_text("Where is my claim?")
    expect(widget.get_by_role("status")).to_have_text("An agent has joined.")
    task.get_by_label("Reply").fill("It was approved this morning.")
    task.get_by_role("button", name="Send").click()
    expect(widget.locator("#messages")).to_contain_text("It was approved this morning.")
    widget.get_by_label("Message").fill("Thank you!")
    widget.get_by_role("button", name="Send").click()
    expect(task.locator(".transcript")).to_contain_text("Thank you!")

    task.get_by_role("button", name="End chat").click()
    expect(task.locator(".task-state")).to_have_text("wrapping")
    task.get_by_role("button", name="Finish wrap-up").click()
    expect(console.locator(".task")).to_have_count(0)
    expect(console.locator("#day-contacts")).to_have_text("1")
    customer_side.close()
    working.close()


def test_agent_who_answers_on_the_home_phone_holds_and_resumes_the_caller_from_the_console(
    center, browser
):
    center.carrier.agents["+15551110001"] = SimAgent(keys="1", delay=0.5)  # ann presses 1
    context = _context(browser)
    console = _sign_in(context, center, center.agents["ann"][1], "/console")
    _go_available(console)
    call_sid = center.carrier.place_call(from_=CALLER, to=NUMBER, digits="1")

    task = console.locator(f'.task[data-task="{call_sid}"]')
    expect(task.locator(".task-state")).to_have_text("assigned")
    expect(task.locator(".call-state")).to_contain_text("in-progress")
    task.get_by_role("button", name="Hold").click()
    expect(task.get_by_role("button", name="Resume")).to_be_visible()
    task.get_by_role("button", name="Resume").click()
    expect(task.get_by_role("button", name="Hold")).to_be_visible()
    expect(task.locator(".error")).to_have_text("")
    assert [r[0] for r in center.carrier.requests].count("hold") == 2

    task.get_by_role("button", name="Hang up").click()
    expect(task.locator(".task-state")).to_have_text("wrapping")
    task.get_by_role("button", name="Finish wrap-up").click()
    expect(console.locator(".task")).to_have_count(0)
    context.close()
