"""CSAT in real browsers: after the agent ends a web chat the customer rates it in the widget
(once: the form goes away), and the supervisor's dashboard shows response rate and CSAT per
program, queue and agent from the next refresh."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from agents.models import Program
from quality import settings as quality_settings
from quality.models import Survey
from tests.browser.live import ARTIFACTS, SLOW, held_tasks, new_context, pending_offer, sign_in
from tests.browser.test_chat_widget_life import _start
from tests.waiting import wait_until

pytestmark = pytest.mark.browser
expect.set_options(timeout=SLOW)


def _enable_chat_survey(center) -> None:
    with center.sessions.begin() as session:
        program = session.scalar(select(Program).where(Program.code == "acme"))
        quality_settings.save(session=session, program_id=program.id,
                              values={"chat_survey": True})  # fmt: skip


def test_customer_rates_the_chat_and_the_dashboard_shows_the_csat(center, browser):
    _enable_chat_survey(center)
    customer = browser.new_context(viewport={"width": 390, "height": 844})
    ann_id = center.agents["ann"][0]
    center.command("set_status", agent_id=ann_id, status="available")
    widget = _start(customer, center, "My claim number is 42")
    center.command("accept", reservation_id=pending_offer(center, "ann"), agent_id=ann_id)
    task_id = wait_until(lambda: held_tasks(center, ann_id))[0]
    center.command("wrap_up", task_id=task_id)

    expect(widget.get_by_role("status").first).to_have_text("This chat has ended.")
    rating = widget.locator("#rating")
    expect(rating).to_be_visible()
    widget.get_by_role("button", name="Send rating").click()  # no choice: the browser asks
    expect(rating).to_be_visible()
    widget.get_by_label("4").check()
    widget.get_by_label("Anything to add? (optional)").fill("Helpful, a bit slow.")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    widget.screenshot(path=str(ARTIFACTS / "csat-widget-390.png"), full_page=True)
    widget.get_by_role("button", name="Send rating").dblclick()  # a double click rates once
    expect(widget.get_by_text("Thank you for your feedback.")).to_be_visible()
    expect(rating).to_be_hidden()
    with center.sessions() as session:
        survey = session.get(Survey, task_id)
        assert (survey.rating, survey.comment) == (4, "Helpful, a bit slow.")

    wide = browser.new_context(viewport={"width": 1400, "height": 1000})
    board = sign_in(wide, center, center.supervisor, "/dashboard")
    table = board.locator("#csat")
    expect(table.locator("tbody tr").first).to_contain_text("acme")
    expect(table.locator("tbody tr", has_text="Ann")).to_contain_text("100%")
    board.locator("#csat-card").scroll_into_view_if_needed()
    board.screenshot(path=str(ARTIFACTS / "csat-dashboard-1400.png"), full_page=True)
    phone = sign_in(new_context(browser), center, center.supervisor, "/dashboard")
    phone.set_viewport_size({"width": 390, "height": 844})
    expect(phone.locator("#csat tbody tr").first).to_contain_text("acme")
    phone.locator("#csat-card").screenshot(path=str(ARTIFACTS / "csat-dashboard-390.png"))


WITHIN_A_MINUTE = 60_000  # ms: the promise for the wallboard after an answer


def test_an_open_wallboard_shows_a_new_rating_within_a_minute(center, browser):
    """The supervisor's board is already open when the customer answers: without a reload, the
    next refresh shows the answer per program, queue and agent."""
    _enable_chat_survey(center)
    wide = browser.new_context(viewport={"width": 1400, "height": 1000})
    board = sign_in(wide, center, center.supervisor, "/dashboard")
    table = board.locator("#csat")
    expect(table).to_contain_text("No survey offered yet today.")

    ann_id = center.agents["ann"][0]
    center.command("set_status", agent_id=ann_id, status="available")
    widget = _start(browser.new_context(viewport={"width": 390, "height": 844}), center,
                    "Where is my refund?")  # fmt: skip
    center.command("accept", reservation_id=pending_offer(center, "ann"), agent_id=ann_id)
    task_id = wait_until(lambda: held_tasks(center, ann_id))[0]
    center.command("wrap_up", task_id=task_id)
    offered = table.locator("tbody tr", has_text="Ann")
    expect(offered.locator("td").nth(2)).to_have_text("1", timeout=WITHIN_A_MINUTE)  # surveys
    expect(offered.locator("td").nth(3)).to_have_text("0")  # not answered yet
    widget.get_by_label("5").check()
    widget.get_by_role("button", name="Send rating").click()
    expect(widget.get_by_text("Thank you for your feedback.")).to_be_visible()

    for level in ("Program", "Queue", "Agent"):
        row = table.locator("tbody tr", has_text=level).first
        expect(row).to_contain_text("100%", timeout=WITHIN_A_MINUTE)  # response rate and CSAT
    agent_row = table.locator("tbody tr", has_text="Ann")
    expect(agent_row.locator("td").nth(3)).to_have_text("1")  # answered
    expect(agent_row.locator("td").nth(5)).to_have_text("5.00")  # average
