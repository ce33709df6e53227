"""Training pages say when "Take quiz" and "Recertify" open, and why, instead of offering a
button that leads to a bare 409 page (issue 11, defect 5)."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import expect
from sqlalchemy import select

from database.base import utcnow
from tests.browser.conftest import ARTIFACTS
from tests.browser.live import fill_login
from tests.training.helpers import Clock, pass_course, seed_trainee
from training.models import Course

expect.set_options(timeout=30_000)  # ms: pages on a loaded machine


def test_take_quiz_says_why_it_is_closed_order_and_cool_down(page, live_server, browser_database):
    with browser_database.begin() as session:
        seed_trainee(session)
    fill_login(page, live_server, "ana@example.com")
    page.get_by_role("navigation").get_by_role("link", name="My training").click()
    page.get_by_role("button", name="Enrol").click()

    second = page.get_by_role("button", name="Take quiz 2")
    expect(second).to_be_disabled()
    expect(page.locator("#quiz-closed-2")).to_have_text(
        re.compile(r"^Not yet: pass module 1 .* first\.$")
    )
    expect(page.get_by_role("button", name="Take quiz 1")).to_be_enabled()

    page.get_by_role("button", name="Take quiz 1").click()  # answer nothing: a failed attempt
    page.get_by_role("button", name="Submit answers").click()
    page.get_by_role("link", name="Back to the course").click()
    first = page.get_by_role("button", name="Take quiz 1")
    expect(first).to_be_disabled()
    expect(page.locator("#quiz-closed-1")).to_contain_text("cool-down: your next attempt")
    expect(page.locator("#quiz-closed-1")).to_contain_text("UTC")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "training-quiz-closed-1400.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(ARTIFACTS / "training-quiz-closed-390.png"), full_page=True)


def test_recertify_says_when_it_opens_and_a_forced_post_gets_the_page(
    page, live_server, browser_database
):
    with browser_database.begin() as session:
        user = seed_trainee(session)
        course = session.scalars(select(Course)).one()
        pass_course(session, user.agent, course, Clock(utcnow() - timedelta(days=1)))
        course_id = course.id
    opens = (utcnow() - timedelta(days=1) + timedelta(days=365 - 30)).strftime("%Y-%m-%d")
    fill_login(page, live_server, "ana@example.com")
    page.get_by_role("navigation").get_by_role("link", name="My training").click()
    recertify = page.get_by_role("button", name="Recertify")
    expect(recertify).to_be_disabled()
    expect(page.locator("table.courses")).to_contain_text(f"recertification opens on {opens}")

    page.goto(f"{live_server}/training/courses/{course_id}")
    expect(page.get_by_role("button", name="Recertify")).to_be_disabled()
    expect(page.locator("#enrol-closed")).to_contain_text(f"recertification opens on {opens}")
    # A POST anyway (an old tab, a double submit): the course page with the reason, not a bare 409.
    page.get_by_role("button", name="Recertify").evaluate("button => { button.disabled = false; }")
    page.get_by_role("button", name="Recertify").click()
    expect(page.get_by_role("alert")).to_contain_text(f"recertification opens on {opens}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("claims intake")
    page.screenshot(path=str(ARTIFACTS / "training-recertify-closed-1400.png"), full_page=True)
