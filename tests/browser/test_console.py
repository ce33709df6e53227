"""The agent console and the supervisor dashboard in a real browser, on a live contact center
(tests/browser/live.py): a call taken and counted, roles, a console that closes."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from agents.models import AuditEntry
from channels.simulated import SimAgent
from tests.browser.conftest import ARTIFACTS
from tests.browser.live import CALLER, NUMBER, fact, go_available, new_context, sign_in
from tests.waiting import wait_until

pytestmark = pytest.mark.browser


def test_agent_takes_a_call_in_the_console_and_the_supervisors_dashboard_counts_it(center, browser):
    supervising, working = new_context(browser), new_context(browser)
    dashboard = sign_in(supervising, center, center.supervisor, "/dashboard")
    expect(dashboard.locator("#connection")).to_have_text("live")
    expect(fact(dashboard, "claims", "Answered today")).to_have_text("0")

    console = sign_in(working, center, center.agents["ann"][1], "/console")
    go_available(console)
    call_sid = center.carrier.place_call(from_=CALLER, to=NUMBER, digits="1")

    offer = console.get_by_role("dialog", name="Incoming offer")
    expect(offer).to_contain_text("Incoming call")
    expect(offer.locator(".countdown")).to_have_text(re.compile(r"^\d+$"))
    expect(fact(dashboard, "claims", "Offered today")).to_have_text("1")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    console.screenshot(path=str(ARTIFACTS / "console-offer.png"), full_page=True)
    console.keyboard.press("a")  # the keyboard shortcut accepts

    task = console.locator(f'.task[data-task="{call_sid}"]')
    expect(task.locator(".task-state")).to_have_text("assigned")
    expect(console.locator("#state")).to_have_text("busy")
    expect(fact(dashboard, "claims", "Answered today")).to_have_text("1")
    expect(fact(dashboard, "claims", "Service level")).to_have_text("100%")
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
    expect(fact(dashboard, "claims", "AHT")).not_to_have_text("–")
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
    context = new_context(browser)
    console = sign_in(context, center, center.agents["ann"][1], "/console")
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
    context = new_context(browser)
    console = sign_in(context, center, center.agents["ann"][1], "/console")
    go_available(console)
    call_sid = center.carrier.place_call(from_=CALLER, to=NUMBER, digits="1")
    expect(console.get_by_role("dialog", name="Incoming offer")).to_be_visible()
    center.carrier.agents["+15551110002"] = SimAgent(keys="1")  # bob answers his phone
    center.command("set_status", agent_id=center.agents["bob"][0], status="available")

    context.close()  # ann's console is gone; her offer must not wait for its 30 s deadline

    wait_until(lambda: center.task(call_sid).agent_id == center.agents["bob"][0],
               message="the offer to reach bob")  # fmt: skip
    assert center.task(call_sid).state in ("reserved", "assigned")
    assert center.status_of("ann") == "offline"
