"""The agent console and the supervisor dashboard in a real browser, on a live contact center
(tests/browser/live.py): HTTP server, routing engine, channel reactor, simulated carrier and
console presence."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from agents.models import AuditEntry
from channels.dispositions import replace_codes
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


def test_web_widget_chat_is_answered_from_the_agent_console(center, browser):
    customer_side, working = new_context(browser), new_context(browser)
    console = sign_in(working, center, center.agents["ann"][1], "/console")
    go_available(console)
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
    expect(widget.get_by_role("status")).to_have_text("Ann has joined the chat.")
    task.get_by_label("Reply").fill("It was approved this morning.")
    task.get_by_role("button", name="Send").click()
    expect(task.locator(".error")).to_have_text("")
    expect(task.locator(".transcript")).to_contain_text("It was approved this morning.")
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


def test_typing_shows_on_both_sides_of_a_web_chat(center, browser):
    customer_side, working = new_context(browser), new_context(browser)
    console = sign_in(working, center, center.agents["ann"][1], "/console")
    go_available(console)
    widget = customer_side.new_page()
    widget.goto(f"{center.url}/chat")
    widget.get_by_label("Your name").fill("Dana")
    widget.get_by_label("How can we help?").fill("Hello")
    widget.get_by_role("button", name="Start chat").click()
    console.get_by_role("dialog", name="Incoming offer").get_by_role(
        "button", name="Accept (A)"
    ).click()
    task = console.locator(".task")
    expect(task.locator(".transcript")).to_contain_text("Hello")
    expect(widget.get_by_role("status")).to_have_text("Ann has joined the chat.")

    widget.get_by_label("Message").press_sequentially("Is it")
    expect(task.locator(".typing")).to_have_text("Dana is typing…")
    task.get_by_label("Reply").press_sequentially("Let me")
    expect(widget.locator("#typing")).to_have_text("Agent is typing…")
    task.get_by_label("Reply").fill("Let me check.")
    task.get_by_role("button", name="Send").click()
    expect(widget.locator("#messages")).to_contain_text("Let me check.")
    expect(widget.locator("#typing")).to_have_text("")  # a message ends the notice
    # and it fades after a few seconds (4 s, a wait on visible state with room to spare)
    expect(task.locator(".typing")).to_have_text("")
    customer_side.close()
    working.close()
