"""Calls in the agent console, in a real browser on a live contact center (tests/browser/live.py):
hold and resume on the home phone, the browser phone without Twilio settings."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from channels.dispositions import replace_codes
from channels.simulated import SimAgent
from tests.browser.live import CALLER, NUMBER, go_available, new_context, sign_in

pytestmark = pytest.mark.browser


def test_agent_who_answers_on_the_home_phone_holds_and_resumes_the_caller_from_the_console(
    center, browser
):
    center.carrier.agents["+15551110001"] = SimAgent(keys="1", delay=0.5)  # ann presses 1
    with center.sessions.begin() as session:
        codes = [("claim_filed", "Claim filed"), ("no_policy", "No policy")]
        replace_codes(session=session, queue_id="claims", codes=codes)
    context = new_context(browser)
    console = sign_in(context, center, center.agents["ann"][1], "/console")
    go_available(console)
    call_sid = center.carrier.place_call(from_=CALLER, to=NUMBER, digits="1")

    task = console.locator(f'.task[data-task="{call_sid}"]')
    expect(task.locator(".task-state")).to_have_text("assigned")
    expect(task.locator(".call-state")).to_contain_text("in-progress")
    expect(task.locator(".past-contacts")).to_have_text("No earlier contacts")
    task.get_by_role("button", name="Hold").click()
    expect(task.get_by_role("button", name="Resume")).to_be_visible()
    task.get_by_role("button", name="Mute", exact=True).click()
    expect(task.get_by_role("button", name="Unmute")).to_be_visible()

    console.reload()  # the console shows the stored truth, not what the page remembered
    expect(task.get_by_role("button", name="Resume")).to_be_visible()
    expect(task.get_by_role("button", name="Unmute")).to_be_visible()
    task.get_by_role("button", name="Resume").click()
    expect(task.get_by_role("button", name="Hold")).to_be_visible()
    task.get_by_role("button", name="Unmute").click()
    expect(task.get_by_role("button", name="Mute", exact=True)).to_be_visible()
    expect(task.locator(".error")).to_have_text("")
    assert [r[0] for r in center.carrier.requests].count("hold") == 2
    assert [r[3] for r in center.carrier.requests if r[0] == "mute"] == [True, False]

    task.get_by_role("button", name="Hang up").click()
    expect(task.locator(".task-state")).to_have_text("wrapping")
    codes = task.get_by_label("Disposition").locator("option")
    expect(codes).to_have_text(["Claim filed", "No policy"])  # the queue's own codes
    task.get_by_label("Disposition").select_option("no_policy")
    task.get_by_role("button", name="Finish wrap-up").click()
    expect(console.locator(".task")).to_have_count(0)

    again = center.carrier.place_call(from_=CALLER, to=NUMBER, digits="1")  # the caller again
    task = console.locator(f'.task[data-task="{again}"]')
    expect(task.locator(".past-contacts li")).to_have_count(1)
    expect(task.locator(".past-contacts")).to_contain_text("call · claims · answered · no_policy")
    context.close()


def test_browser_phone_without_twilio_settings_says_why_and_keeps_the_phone(center, browser):
    context = new_context(browser)
    console = sign_in(context, center, center.agents["ann"][1], "/console")
    expect(console.locator("#connection")).to_have_text("connected")
    console.get_by_label("Take calls on").select_option("browser")
    expect(console.locator("#phone-status")).to_have_text(
        re.compile(r"^Browser phone unavailable: the browser phone needs TWILIO_API_KEY")
    )
    expect(console.get_by_label("Take calls on")).to_have_value("phone")
    console.reload()
    expect(console.locator("#connection")).to_have_text("connected")
    expect(console.get_by_label("Take calls on")).to_have_value("phone")
    context.close()
