"""Console features agents expect from Flex, Connect and Chatwoot, in a real browser on a live
contact center: transfers of chats to an agent, offer alerts (sound, notification, title),
timers and message timestamps."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.live import NUMBER, accept_chat, go_available, new_context, screenshots, sign_in
from tests.waiting import wait_until

pytestmark = pytest.mark.browser

# Spies on the browser's own Notification API (calls go through to the real one).
NOTIFICATION_SPY = """
window.__notes = []; window.__asked = 0;
const Real = window.Notification;
if (Real) {
  const Spy = function (title, options) {
    window.__notes.push(title);
    return new Real(title, options);
  };
  Object.defineProperty(Spy, "permission", { get: () => Real.permission });
  Spy.requestPermission = (...a) => { window.__asked += 1; return Real.requestPermission(...a); };
  window.Notification = Spy;
}
"""


def test_agent_transfers_a_chat_to_a_colleague_who_sees_the_whole_transcript(center, browser):
    ann_side, bob_side = new_context(browser), new_context(browser)
    ann = sign_in(ann_side, center, center.agents["ann"][1], "/console")
    go_available(ann)
    customer, _widget, task = accept_chat(ann, center, "Dana")
    expect(task.locator(".transcript time")).to_have_text(re.compile(r"\d\d:\d\d"))
    expect(task.locator(".talk-timer")).to_have_text(re.compile(r"^\d+:\d\d$"))
    bob = sign_in(bob_side, center, center.agents["bob"][1], "/console")
    go_available(bob)
    ann.reload()  # bob is available now: he is among the transfer targets
    task = ann.locator(".task")
    expect(task.get_by_label("Transfer to")).to_be_visible()
    task.get_by_label("Transfer to").select_option(label="Bob")
    task.get_by_role("button", name="Transfer").click()
    expect(ann.locator(".task")).to_have_count(0)

    offer = bob.get_by_role("dialog", name="Incoming offer")
    expect(offer).to_contain_text("Dana", timeout=30_000)
    offer.get_by_role("button", name="Accept (A)").click()
    expect(bob.locator(".task .transcript")).to_contain_text("Where is my claim?")
    item = ann.locator(".history-list li").first
    expect(item).to_contain_text("transferred")
    screenshots(bob, "console-transferred-chat")
    customer.close()
    ann_side.close()
    bob_side.close()


def test_offer_alerts_flash_the_title_and_notify_when_the_console_is_not_in_view(center, browser):
    context = new_context(browser)
    context.grant_permissions(["notifications"], origin=center.url)
    context.add_init_script(NOTIFICATION_SPY)
    console = sign_in(context, center, center.agents["ann"][1], "/console")
    go_available(console)
    expect(console).to_have_title(re.compile("^Console"))
    # The agent looks at another window: the browser blurs the console's window (headless
    # Chromium keeps every page focused, so the event is sent here as the browser would).
    console.evaluate("window.dispatchEvent(new Event('blur'))")
    center.carrier.send_sms(from_="+15557770009", to=NUMBER, body="Is my claim paid?")
    wait_until(lambda: console.evaluate("window.__notes.length") >= 1, message="no notification")
    assert console.evaluate("window.__notes") == ["Incoming sms chat"]
    wait_until(lambda: console.title().startswith("● Incoming sms chat"), message="no title flash")
    console.evaluate("window.dispatchEvent(new Event('focus'))")  # the agent comes back
    wait_until(lambda: console.title().startswith("Console"), message="the title kept flashing")
    context.close()


def test_notification_permission_is_asked_once(center, browser):
    context = new_context(browser)
    context.add_init_script(NOTIFICATION_SPY)
    console = sign_in(context, center, center.agents["ann"][1], "/console")
    expect(console.locator("#connection")).to_have_text("connected")
    assert console.evaluate("Notification.permission") == "default"
    console.locator("h1").click()  # the first click asks
    console.locator("h1").click()
    assert console.evaluate("window.__asked") == 1
    console.reload()
    expect(console.locator("#connection")).to_have_text("connected")
    console.locator("h1").click()
    assert console.evaluate("window.__asked") == 0  # never again, whatever the answer was
    context.close()


def test_agent_extends_the_wrap_up(center, browser):
    context = new_context(browser)
    console = sign_in(context, center, center.agents["ann"][1], "/console")
    go_available(console)
    customer, _widget, task = accept_chat(console, center, "Dana")
    task.get_by_role("button", name="End chat").click()
    expect(task.locator(".task-state")).to_have_text("wrapping")
    expect(task.locator(".wrap-timer")).to_have_text(re.compile(r"^\d+$"))
    before = int(task.locator(".wrap-timer").inner_text())
    task.get_by_role("button", name="Extend 30 s").click()
    wait_until(lambda: int(task.locator(".wrap-timer").inner_text()) > before + 20,
               message="the wrap-up was not extended")  # fmt: skip
    expect(task.locator(".error")).to_have_text("")
    customer.close()
    context.close()


def test_supervisor_adds_a_canned_response_and_the_agent_inserts_it_by_shortcut_and_search(
    center, browser
):
    supervising, working = new_context(browser), new_context(browser)
    page = sign_in(supervising, center, center.supervisor, "/console/canned")
    page.get_by_label("Shortcut").fill("Bad shortcut!")
    page.get_by_role("button", name="Add response").click()
    expect(page.locator(".field.invalid")).to_have_count(3)  # shortcut, title and text named
    expect(page.get_by_text("Shortcut: 1 to 32 characters")).to_be_visible()
    page.get_by_label("Shortcut").fill("paid")
    page.get_by_label("Title").fill("Claim paid")
    page.get_by_label("Text").fill("Your claim was paid today; it reaches you in 2 to 3 days.")
    page.get_by_role("button", name="Add response").click()
    expect(page.locator("table")).to_contain_text("/paid")
    screenshots(page, "canned-responses")

    console = sign_in(working, center, center.agents["ann"][1], "/console")
    go_available(console)
    customer, _widget, task = accept_chat(console, center, "Dana")
    reply = task.get_by_label("Reply")
    reply.press_sequentially("Hello Dana. /pa", delay=20)
    reply.press("Tab")
    expect(reply).to_have_value(
        "Hello Dana. Your claim was paid today; it reaches you in 2 to 3 days.")  # fmt: skip
    expect(reply).to_be_focused()
    reply.fill("")
    task.get_by_label("Canned response").fill("Claim paid (/paid)")
    expect(reply).to_have_value("Your claim was paid today; it reaches you in 2 to 3 days.")
    task.get_by_role("button", name="Send").click()
    expect(task.locator(".transcript")).to_contain_text("it reaches you in 2 to 3 days")
    customer.close()
    supervising.close()
    working.close()
