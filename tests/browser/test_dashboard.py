"""The supervisor dashboard in a real browser on a live contact center (tests/browser/live.py):
per-queue occupancy, the waiting chart, a chat transcript read live, and monitor / whisper /
barge on a call with the carrier's refusal shown."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from channels.gateway import GatewayError
from tests.browser.conftest import ARTIFACTS
from tests.browser.live import CALLER, NUMBER, fact, go_available, new_context, sign_in

pytestmark = pytest.mark.browser
SLOW = 30_000  # ms: a generous ceiling for a state that arrives by polling, never a sleep


def test_supervisor_reads_a_waiting_chat_as_the_customer_writes(center, browser):
    supervising, customer = new_context(browser), new_context(browser)
    dashboard = sign_in(supervising, center, center.supervisor, "/dashboard")
    expect(dashboard.locator("#connection")).to_have_text("live")
    expect(dashboard.locator("#waiting-now")).to_have_text("0 waiting now")

    chat = customer.new_page()
    chat.goto(f"{center.url}/chat")
    chat.get_by_label("Your name").fill("Dana")
    chat.get_by_label("How can we help?").fill("Where is my claim?")
    chat.get_by_role("button", name="Start chat").click()

    read = dashboard.locator("#waiting tbody").get_by_role("button", name=re.compile("^Transcript"))
    expect(read).to_have_count(1)
    expect(dashboard.locator("#waiting-now")).to_have_text("1 waiting now")
    read.click()
    transcript = dashboard.locator("#transcript")
    expect(transcript.locator("li")).to_have_text(["Dana: Where is my claim?"])
    expect(dashboard.locator("#transcript-meta")).to_contain_text("in progress")

    chat.get_by_label("Message").fill("It was filed on Monday.")
    chat.get_by_role("button", name="Send").click()
    expect(transcript.locator("li")).to_have_text(
        ["Dana: Where is my claim?", "Dana: It was filed on Monday."], timeout=SLOW
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    dashboard.screenshot(path=str(ARTIFACTS / "dashboard-transcript.png"), full_page=True)
    dashboard.get_by_role("button", name="Close").click()
    expect(dashboard.locator("#transcript-panel")).to_be_hidden()
    supervising.close()
    customer.close()


def test_supervisor_monitors_a_live_call_and_sees_the_carriers_refusal(
    center, browser, monkeypatch
):
    supervising, working = new_context(browser), new_context(browser)
    dashboard = sign_in(supervising, center, center.supervisor, "/dashboard")
    expect(dashboard.locator("#connection")).to_have_text("live")
    console = sign_in(working, center, center.agents["ann"][1], "/console")
    go_available(console)
    call_sid = center.carrier.place_call(from_=CALLER, to=NUMBER, digits="1")
    expect(console.get_by_role("dialog", name="Incoming offer")).to_contain_text("Incoming call")
    console.keyboard.press("a")
    expect(console.locator("#state")).to_have_text("busy")

    monitor = dashboard.get_by_role("button", name=f"monitor {call_sid}")
    expect(monitor).to_be_visible()
    expect(fact(dashboard, "claims", "Occupancy")).to_have_text(re.compile(r"^\d+%$"))
    monitor.click()
    expect(dashboard.locator("#coach-error")).to_contain_text("enter your phone")

    dashboard.get_by_label("My phone for monitor, whisper and barge").fill("+15553330000")
    monitor.click()
    expect(dashboard.locator("#coach-result")).to_contain_text(f"monitor on {call_sid}: ringing")
    added = [r for r in center.carrier.requests if r[0] == "add_participant"]
    assert [(r[2], r[3]) for r in added] == [("+15553330000", True)]  # muted: listening only

    def refuse(*args, **kwargs):
        raise GatewayError("number unreachable")

    monkeypatch.setattr(center.carrier, "add_participant", refuse)
    dashboard.get_by_role("button", name=f"barge {call_sid}").click()
    expect(dashboard.locator("#coach-error")).to_have_text(
        f"barge on {call_sid}: the carrier refused: number unreachable"
    )
    expect(dashboard.locator("#coach-result")).to_have_text("")
    dashboard.screenshot(path=str(ARTIFACTS / "dashboard-coaching.png"), full_page=True)
    agents = dashboard.locator("#agents tbody tr")
    dashboard.get_by_label("State", exact=True).select_option("idle")
    expect(agents).to_have_count(0)
    dashboard.get_by_label("State", exact=True).select_option("busy")
    expect(agents).to_have_text([re.compile("^Ann")])
    supervising.close()
    working.close()
