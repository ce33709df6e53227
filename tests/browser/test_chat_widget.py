"""The customer chat widget in a real browser: socket.io-client served from node_modules, a
chat started and resumed after a reload (the transcript is fetched again on reconnect)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from channels import entry_points
from channels.models import Contact
from tests.factories import make_program

pytestmark = pytest.mark.browser


def test_customer_starts_a_chat_and_finds_it_again_after_a_reload(
    live_server, browser_database, page
):
    with browser_database.begin() as session:
        make_program(session, code="acme", name="Acme Insurance")
        entry_points.save(session=session, address="web:default", program_code="acme",
                          queue_id="web")  # fmt: skip
    page.goto(f"{live_server}/chat")
    page.get_by_label("Your name").fill("Dana")
    page.get_by_label("How can we help?").fill("Where is my claim?")
    page.get_by_role("button", name="Start chat").click()
    page.get_by_role("status").filter(has_text="Waiting for an agent").wait_for()
    assert page.locator("#start").is_hidden()
    assert page.locator("#messages li").all_inner_texts() == ["Where is my claim?"]

    page.reload()
    page.locator("#messages li").first.wait_for()
    assert page.locator("#start").is_hidden()
    assert page.locator("#messages li").all_inner_texts() == ["Where is my claim?"]
    with browser_database() as session:
        contact = session.scalars(select(Contact)).one()
        assert (contact.channel, contact.customer, contact.enqueued) == ("web", "Dana", True)
