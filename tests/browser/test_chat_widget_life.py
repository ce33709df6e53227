"""The customer's chat widget through a chat's whole life, on a live contact center: the agent
who joined is shown (also after a reload), a demo bot greets at once, and after the chat ends
the send box closes and a new chat is offered instead of "unknown or forged chat token"."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from crowdline import demo
from tests.browser.conftest import ARTIFACTS
from tests.browser.live import SLOW, held_tasks, pending_offer
from tests.waiting import wait_until

pytestmark = pytest.mark.browser
expect.set_options(timeout=SLOW)  # pages on a loaded machine


def _start(context, center, text: str):
    widget = context.new_page()
    widget.goto(f"{center.url}/chat")
    widget.get_by_label("Your name").fill("Dana")
    widget.get_by_label("How can we help?").fill(text)
    widget.get_by_role("button", name="Start chat").click()
    expect(widget.get_by_role("status")).to_have_text("Waiting for an agent…", timeout=SLOW)
    return widget


def test_after_a_reload_the_widget_shows_the_agent_who_joined_and_ends_with_a_new_chat(
    center, browser
):
    customer = browser.new_context(viewport={"width": 390, "height": 844})
    ann_id = center.agents["ann"][0]
    center.command("set_status", agent_id=ann_id, status="available")
    widget = _start(customer, center, "Where is my claim?")
    center.command("accept", reservation_id=pending_offer(center, "ann"), agent_id=ann_id)
    expect(widget.get_by_role("status")).to_have_text("Ann has joined the chat.", timeout=SLOW)

    widget.reload()
    expect(widget.locator("#messages li")).to_have_text(["Where is my claim?"], timeout=SLOW)
    expect(widget.get_by_role("status")).to_have_text("Ann has joined the chat.", timeout=SLOW)
    widget.get_by_label("Message").fill("Still there?")
    widget.get_by_role("button", name="Send").click()
    expect(widget.locator("#messages li")).to_have_text(["Where is my claim?", "Still there?"])
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    widget.screenshot(path=str(ARTIFACTS / "chat-widget-joined-390.png"), full_page=True)

    task_id = wait_until(lambda: held_tasks(center, ann_id))[0]
    center.command("wrap_up", task_id=task_id)  # the agent ends the chat
    expect(widget.get_by_role("status")).to_have_text("This chat has ended.", timeout=SLOW)
    expect(widget.get_by_label("Message")).to_be_hidden()
    expect(widget.get_by_role("button", name="Send")).to_be_hidden()
    again = widget.get_by_role("button", name="Start a new chat")
    expect(again).to_be_visible()
    expect(widget.locator("body")).not_to_contain_text("forged")
    widget.screenshot(path=str(ARTIFACTS / "chat-widget-ended-390.png"), full_page=True)

    widget.reload()  # still over after a reload: no send box comes back
    expect(widget.get_by_role("button", name="Start chat")).to_be_visible(timeout=SLOW)
    expect(widget.get_by_label("Message")).to_be_hidden()
    widget.get_by_label("Your name").fill("Dana")
    widget.get_by_label("How can we help?").fill("One more question")
    widget.get_by_role("button", name="Start chat").click()
    expect(widget.get_by_role("status")).to_have_text(
        re.compile("Waiting for an agent…|Ann has joined the chat."), timeout=SLOW
    )
    expect(widget.locator("#messages li")).to_have_text(["One more question"])
    expect(widget.get_by_label("Message")).to_be_visible()
    customer.close()


def test_the_send_box_closes_when_the_chat_ends_while_the_page_stays_open(center, browser):
    customer = browser.new_context()
    ann_id = center.agents["ann"][0]
    center.command("set_status", agent_id=ann_id, status="available")
    widget = _start(customer, center, "Hello")
    center.command("accept", reservation_id=pending_offer(center, "ann"), agent_id=ann_id)
    expect(widget.get_by_role("status")).to_have_text("Ann has joined the chat.", timeout=SLOW)
    task_id = wait_until(lambda: held_tasks(center, ann_id))[0]
    widget.get_by_label("Message").fill("typed before the end")
    center.command("wrap_up", task_id=task_id)
    expect(widget.get_by_role("button", name="Start a new chat")).to_be_visible(timeout=SLOW)
    expect(widget.get_by_role("button", name="Send")).to_be_hidden()
    widget.get_by_role("button", name="Start a new chat").click()
    expect(widget.get_by_label("How can we help?")).to_be_focused()
    expect(widget.get_by_label("Your name")).to_have_value("Dana")
    customer.close()


def test_a_demo_bot_that_joins_a_chat_greets_the_customer_at_once(center, browser):
    customer = browser.new_context()
    ann_id = center.agents["ann"][0]
    bots = demo.Bots(center.sessions, center.carrier, {ann_id: "+15552000001"}, seed=1)
    center.bus.subscribe(bots)
    bots.start()
    try:
        wait_until(lambda: center.status_of("ann") == "available")
        widget = _start(customer, center, "Where is my claim?")
        greeting = "Ann: Hello Dana, this is Ann. How can I help you today?"
        expect(widget.locator("#messages li")).to_have_text(
            ["Where is my claim?", greeting], timeout=SLOW
        )
        expect(widget.get_by_role("status")).to_have_text("Ann has joined the chat.")
        widget.reload()  # the greeting is in the transcript, not only pushed
        expect(widget.locator("#messages li")).to_have_text(
            ["Where is my claim?", greeting], timeout=SLOW
        )
    finally:
        bots.stop()
        customer.close()
