"""Pay and ROI pages in a real browser: the agent reads their statement, a supervisor adjusts
pay (a reason is required) and reads the program's ROI; a supervisor of another program is
refused; screenshots at 1400 and 390 px."""

from __future__ import annotations

import time
from decimal import Decimal

from playwright.sync_api import expect
from sqlalchemy import select

from dispatcher.core.codec import encode
from dispatcher.core.events import TaskAssigned, TaskCreated, TaskWrapping
from dispatcher.core.model import Channel, Queue
from dispatcher.tables import RoutingEvent, RoutingQueue
from quality import access
from tests.browser.conftest import ARTIFACTS
from tests.factories import PASSWORD, log_events, make_program, make_user


def _log(session, events):
    log_events(session, *events)


def _seed(sessions):
    with sessions.begin() as session:
        program = make_program(session, code="acme-claims", name="Claims intake")
        session.add(RoutingQueue(queue_id="claims", program="acme-claims",
                                 data=encode(Queue(queue_id="claims", program="acme-claims"))))
        agent = make_user(session, "agent", display_name="Ana Silva")
        agent.agent.programs = [program]
        agent.agent.pay_rate_per_minute = Decimal("0.25")
        supervisor = make_user(session, "supervisor", display_name="Sam Boss")
        access.assign(session=session, program_id=program.id, user=supervisor, duty="supervisor")
        session.flush()
        me, t = str(agent.agent.id), time.time() - 1800
        for n, talk in enumerate((90, 200, 61)):
            task, at = f"call-{n}", t + n * 400
            _log(session, [
                TaskCreated(at=at, task_id=task, queue_id="claims", channel=Channel.VOICE,
                            priority=0, required=frozenset(), language=None),
                TaskAssigned(at=at + 5, task_id=task, agent_id=me, reservation_id=f"{task}#1",
                             queue_id="claims", waited=5.0),
                TaskWrapping(at=at + 5 + talk, task_id=task, agent_id=me, until=at + 35 + talk),
            ])  # fmt: skip
        return agent.email, supervisor.email


def _sign_in(page, base_url, email):
    page.goto(f"{base_url}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _shots(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width in (1400, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)


def test_an_agent_reads_their_pay_statement(page, live_server, browser_database):
    agent_email, _ = _seed(browser_database)
    _sign_in(page, live_server, agent_email)
    page.get_by_role("navigation").get_by_role("link", name="My pay").click()
    expect(page.locator("#pay-lines tbody tr")).to_have_count(3)
    expect(page.locator("#pay-total")).to_have_text("1.46")  # 0.38 + 0.83 + 0.25, each line rounded
    expect(page.get_by_role("heading", name="Adjust pay")).to_have_count(0)
    _shots(page, "pay-statement-agent")


def test_a_supervisor_adjusts_pay_with_a_reason_and_reads_the_roi(page, live_server,
                                                                  browser_database):  # fmt: skip
    _, supervisor_email = _seed(browser_database)
    _sign_in(page, live_server, supervisor_email)
    page.get_by_role("navigation").get_by_role("link", name="Pay").click()
    expect(page.locator("#pay-total")).to_have_text("1.46")
    page.get_by_label("Amount").fill("2.50")
    page.get_by_role("button", name="Add adjustment").click()  # no reason given
    expect(page.get_by_role("status")).to_contain_text("reason")
    expect(page.locator("#pay-total")).to_have_text("1.46")  # nothing written
    page.get_by_label("Amount").fill("2.50")
    page.get_by_label("Reason").fill("Training call bonus")
    page.get_by_role("button", name="Add adjustment").click()
    expect(page.locator("#pay-total")).to_have_text("3.96")
    expect(page.locator("#pay-lines")).to_contain_text("Training call bonus")
    _shots(page, "pay-statement-supervisor")

    page.get_by_role("navigation").get_by_role("link", name="ROI").click()
    expect(page.locator("#roi-contacts")).to_have_text("3")
    expect(page.locator("#roi-agent-cost")).to_have_text("1.46")  # the adjustment names no program
    expect(page.locator("#roi-chart")).to_be_visible()
    _shots(page, "roi")


def test_a_supervisor_of_another_program_is_refused_its_pay_and_roi(page, live_server,
                                                                    browser_database):  # fmt: skip
    agent_email, _ = _seed(browser_database)
    with browser_database.begin() as session:
        other = make_program(session, code="other-sales", name="Other sales")
        stranger = make_user(session, "supervisor", display_name="Olga Other")
        access.assign(session=session, program_id=other.id, user=stranger, duty="supervisor")
        agent_id = session.scalar(select(RoutingEvent.agent_id).where(
            RoutingEvent.agent_id.is_not(None)).limit(1))  # fmt: skip
        email = stranger.email
    _sign_in(page, live_server, email)
    page.get_by_role("navigation").get_by_role("link", name="Pay").click()
    expect(page.locator("#pay-lines")).to_have_count(0)  # nobody of her program was paid
    expect(page.get_by_role("main")).not_to_contain_text("Ana Silva")  # not even listed
    refused = page.goto(f"{live_server}/pay/statements?agent_id={agent_id}")
    assert refused.status == 403
    expect(page.get_by_role("main")).to_contain_text("not an agent of a program you supervise")
    roi = page.goto(f"{live_server}/reports/roi?program=acme-claims")
    assert roi.status == 403
    expect(page.get_by_role("main")).to_contain_text("not a program you supervise")
    page.goto(f"{live_server}/reports/roi")
    expect(page.get_by_label("Program")).to_have_value("other-sales")  # only hers offered
    codes = page.goto(f"{live_server}/dispositions?queue=claims")
    assert codes.status == 403
