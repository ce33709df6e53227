"""The schedule in a real browser: an agent books, waitlists and releases blocks on "My
schedule"; a supervisor edits a block's needed count and bonus, publishes a week, messages the
agents who could fill a block and sees the coverage chart; an agent makes, uses and revokes the
calendar feed."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import expect

from database.base import utcnow
from dispatcher.core.codec import encode
from dispatcher.core.model import Queue
from dispatcher.tables import RoutingQueue
from tests.browser.conftest import ARTIFACTS
from tests.factories import PASSWORD, make_program, make_user
from tests.workforce.helpers import certified_agent, import_course
from workforce import blocks, bookings
from workforce.weeks import week_label


def _seed(sessions):
    now = utcnow()
    tomorrow = (now + timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
    with sessions.begin() as session:
        program = make_program(session, code="acme-claims", name="Claims intake")
        session.add(RoutingQueue(queue_id="claims", program=program.code,
                                 data=encode(Queue("claims", program=program.code))))  # fmt: skip
        course = import_course(session)
        ann, other = (certified_agent(session, program, course, at=now) for _ in range(2))
        supervisor = make_user(session, "supervisor")
        free = blocks.put_block(session=session, program_id=program.id, queue_id="claims",
                                starts_at=tomorrow, needed=2, bonus_per_minute="0.10")  # fmt: skip
        full = blocks.put_block(session=session, program_id=program.id, queue_id="claims",
                                starts_at=tomorrow + timedelta(hours=1), needed=1)  # fmt: skip
        blocks.publish(session=session, blocks=[free, full], now=now)
        bookings.commit(session=session, agent_id=other.id, block_id=full.id, now=now)
        return ann.user.email, supervisor.email, week_label(tomorrow)


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
    page.set_viewport_size({"width": 1280, "height": 800})


def _pick_week(page, week):
    """Choose the week and wait until its rows are read: the page's first read (the default
    week) may still be under way, and rows typed into before the last read lands are replaced."""
    page.select_option("#week", week)
    expect(page.locator("#blocks")).to_have_attribute("aria-busy", "false")


def test_an_agent_books_waitlists_and_releases_blocks(page, live_server, browser_database):
    agent, _supervisor, week = _seed(browser_database)
    _sign_in(page, live_server, agent)
    page.get_by_role("navigation").get_by_role("link", name="My schedule").click()
    expect(page.get_by_role("heading", name="My schedule")).to_be_visible()
    _pick_week(page, week)
    rows = page.locator("#blocks tbody tr")
    expect(rows).to_have_count(2)
    first, second = rows.nth(0), rows.nth(1)
    expect(first).to_contain_text("hot")
    expect(first).to_contain_text("0 / 2")
    first.get_by_role("button", name="Book").click()
    expect(first).to_contain_text("1 / 2")
    expect(first).to_contain_text("booked")
    second.get_by_role("button", name="Join waitlist").click()
    expect(second).to_contain_text("waitlisted")
    expect(page.locator("#summary")).to_contain_text("1 booked by you")
    first.get_by_role("button", name="Release").click()
    expect(page.get_by_role("alert")).to_contain_text("released")
    expect(first).to_contain_text("0 / 2")
    page.reload()
    _pick_week(page, week)
    expect(rows.nth(0)).to_contain_text("0 / 2")
    expect(rows.nth(0).get_by_role("button", name="Book")).to_be_visible()
    expect(rows.nth(1)).to_contain_text("waitlisted")
    _shots(page, "schedule-agent")


def test_a_supervisor_edits_a_block_and_publishes_a_week(page, live_server, browser_database):
    _agent, supervisor, week = _seed(browser_database)
    _sign_in(page, live_server, supervisor)
    page.get_by_role("navigation").get_by_role("link", name="Schedule").click()
    _pick_week(page, week)
    rows = page.locator("#blocks tbody tr")
    expect(rows).to_have_count(2)
    first = rows.nth(0)
    first.locator("input[type=number]").nth(0).fill("-4")
    first.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("needed")
    first.locator("input[type=number]").nth(0).fill("3")
    first.locator("input[type=number]").nth(1).fill("0.25")
    first.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("Saved")
    expect(page.locator("#summary")).to_contain_text("1 of 4 seats booked")
    page.get_by_role("button", name="Publish from the forecast").click()
    expect(page.get_by_role("alert")).to_contain_text(f"Published {week}")
    expect(rows).to_have_count(2)
    _shots(page, "schedule-supervisor")


def test_a_supervisor_messages_a_blocks_agents_and_sees_coverage(page, live_server,
                                                                  browser_database):  # fmt: skip
    _agent, supervisor, week = _seed(browser_database)
    _sign_in(page, live_server, supervisor)
    page.get_by_role("navigation").get_by_role("link", name="Schedule").click()
    _pick_week(page, week)
    page.locator("#blocks tbody tr").nth(0).get_by_role("link", name="0 (under-booked)").click()
    expect(page.locator("#block-seats")).to_have_text("0 of 2")
    expect(page.locator("#reachable")).to_have_text("2")  # both certified agents
    page.get_by_label("Message").fill("Two seats free tomorrow at 10:00")
    page.get_by_role("button", name="Send").click()
    expect(page.locator("#sent")).to_contain_text("Sent to 2 agent(s), 0 by SMS.")
    page.goto(f"{live_server}/schedule/coverage?queue=claims&period=week&week={week}")
    expect(page.locator("#coverage-slots tbody tr").first).to_be_visible()
    page.wait_for_function("() => window.Chart && Chart.getChart('coverage-chart')")
    label = page.locator("#coverage-chart").get_attribute("aria-label")
    assert label.startswith("Coverage per half hour: 336 slots")
    _shots(page, "schedule-coverage")


def test_an_agent_makes_and_revokes_the_calendar_feed(page, live_server, browser_database):
    agent, _supervisor, week = _seed(browser_database)
    _sign_in(page, live_server, agent)
    page.get_by_role("navigation").get_by_role("link", name="My schedule").click()
    _pick_week(page, week)
    page.locator("#blocks tbody tr").nth(0).get_by_role("button", name="Book").click()
    expect(page.locator("#blocks tbody tr").nth(0)).to_contain_text("booked")
    page.get_by_role("button", name="Make my calendar feed").click()
    url = page.locator("#feed-url").input_value()
    feed = page.request.get(url)
    assert feed.status == 200 and feed.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in feed.text() and "Claims intake: claims" in feed.text()
    page.get_by_role("button", name="Revoke the feed").click()
    expect(page.get_by_role("button", name="Make my calendar feed")).to_be_visible()
    assert page.request.get(url).status == 404
