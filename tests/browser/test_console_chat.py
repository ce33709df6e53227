"""Web chats answered from the agent console, in a real browser on a live contact center
(tests/browser/live.py): replies both ways, typing notices."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.live import go_available, new_context, sign_in

pytestmark = pytest.mark.browser


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
