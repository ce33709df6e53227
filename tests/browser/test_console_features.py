"""Console features agents expect from Flex, Connect and Chatwoot, in a real browser on a live
contact center: transfers of chats to an agent, offer alerts (sound, notification, title),
timers and message timestamps."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.live import go_available, new_context, sign_in
from tests.browser.test_console_defects import _accept_chat, _queue, _shots, _wait_for
from web.chat.rooms import push_to_agent

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
    customer, _widget, task = _accept_chat(ann, center, "Dana")
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
    _shots(bob, "console-transferred-chat")
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
    other = context.new_page()  # the agent looks at another tab
    other.goto(f"{center.url}/me")
    other.bring_to_front()
    _queue(center, "claims")
    center.command("enqueue", task_id="alert-1", queue_id="claims", channel="sms")
    push_to_agent(center.agents["ann"][0], "offer", {})
    _wait_for(lambda: console.evaluate("window.__notes.length") >= 1, "no notification", 30)
    assert console.evaluate("window.__notes") == ["Incoming sms chat"]
    _wait_for(lambda: console.title().startswith("● Incoming sms chat"), "no title flash", 30)
    console.bring_to_front()
    console.evaluate("window.dispatchEvent(new Event('focus'))")
    _wait_for(lambda: console.title().startswith("Console"), "the title kept flashing", 30)
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
    customer, _widget, task = _accept_chat(console, center, "Dana")
    task.get_by_role("button", name="End chat").click()
    expect(task.locator(".task-state")).to_have_text("wrapping")
    expect(task.locator(".wrap-timer")).to_have_text(re.compile(r"^\d+$"))
    before = int(task.locator(".wrap-timer").inner_text())
    task.get_by_role("button", name="Extend 30 s").click()
    _wait_for(lambda: int(task.locator(".wrap-timer").inner_text()) > before + 20,
              "the wrap-up was not extended")  # fmt: skip
    expect(task.locator(".error")).to_have_text("")
    customer.close()
    context.close()
