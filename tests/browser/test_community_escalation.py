"""An escalated community question in Chromium: the paid agent is offered it in the console,
answers there, and the community thread shows the answer under the agent's display name."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from agents.models import Program
from channels import escalations
from tests.browser.live import SLOW, go_available, new_context, sign_in
from tests.community.helpers import make_member, make_question

pytestmark = pytest.mark.browser


def test_agent_answers_an_escalated_question_in_the_console_and_the_thread_shows_it(
    center, browser
):
    with center.sessions.begin() as session:
        program = session.scalar(select(Program).where(Program.code == "acme"))
        dana = make_member(session, name="Dana")
        question = make_question(session, program, dana, title="Is flood damage covered?",
                                 body="My basement flooded.")  # fmt: skip
        question.is_urgent = True
        question_id = question.id
    with center.sessions.begin() as session:
        assert escalations.escalate_overdue(session=session) == [question_id]

    working = new_context(browser)
    console = sign_in(working, center, center.agents["ann"][1], "/console")
    go_available(console)
    offer = console.get_by_role("dialog", name="Incoming offer")
    expect(offer).to_contain_text("community question", timeout=SLOW)
    expect(offer).to_contain_text("Is flood damage covered?")
    offer.get_by_role("button", name="Accept (A)").click()
    task = console.locator(".task")
    expect(task.locator(".channel")).to_have_text("Community question")
    expect(task.locator(".transcript")).to_contain_text("My basement flooded.")
    task.get_by_label("Reply").fill("Yes: **flood** is covered <script>window.pwned=1</script>")
    task.get_by_role("button", name="Post answer").click()
    expect(task.locator(".error")).to_have_text("")
    expect(task.locator(".task-state")).to_have_text("wrapping", timeout=SLOW)
    task.get_by_role("button", name="Finish wrap-up").click()
    expect(console.locator(".task")).to_have_count(0, timeout=SLOW)

    reader = new_context(browser).new_page()
    reader.goto(f"{center.url}/community/acme/questions/{question_id}")
    answer = reader.locator("article", has_text="flood is covered")
    expect(answer).to_contain_text("Ann (agent)")
    expect(answer.locator("strong")).to_have_text("flood")
    assert reader.evaluate("window.pwned") is None
    working.close()
