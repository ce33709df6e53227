"""The chat widget shows the customer why a start was refused past the abuse limits."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.live import new_context

pytestmark = pytest.mark.browser


@pytest.fixture
def settings(settings):
    """One chat start per address in the window, so a second customer here is refused."""
    return settings.with_(chat_limit_starts_per_address="1 per 10 minutes")


def _start(context, url: str, name: str):
    page = context.new_page()
    page.goto(f"{url}/chat")
    page.get_by_label("Your name").fill(name)
    page.get_by_label("How can we help?").fill("Is my claim filed?")
    page.get_by_role("button", name="Start chat").click()
    return page


def test_a_start_past_the_limit_is_refused_with_a_message_on_the_page(browser, center):
    first = new_context(browser)
    served = _start(first, center.url, "Dana")
    expect(served.locator("#conversation")).to_be_visible(timeout=30_000)
    expect(served.locator("#messages li")).to_have_text(["Is my claim filed?"])

    second = new_context(browser)
    refused = _start(second, center.url, "Flood")
    alert = refused.locator("#start").get_by_role("alert")
    expect(alert).to_contain_text("Too many chats were started from here", timeout=30_000)
    expect(alert).to_contain_text("try again")
    expect(refused.locator("#conversation")).to_be_hidden()
    first.close()
    second.close()
