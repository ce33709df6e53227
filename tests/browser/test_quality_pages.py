"""QA pages in a real browser: a reviewer scores a sampled chat beside its transcript, the
agent sees the review and their score's breakdown and acknowledges it (1400 px and 390 px)."""

from __future__ import annotations

from random import Random

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from agents.models import Program, User
from channels import contacts, entry_points
from channels.models import Contact
from database.base import utcnow
from quality import access, reviews, scorecards
from quality.jobs import recompute
from quality.reviews import Handled
from tests.browser.conftest import ARTIFACTS
from tests.browser.live import sign_in
from tests.browser.test_wallboard import SLOW

pytestmark = pytest.mark.browser
expect.set_options(timeout=SLOW)
FORM = [
    {
        "title": "Chat",
        "questions": [
            {"id": "greeting", "text": "Greets the customer", "weight": 40},
            {"id": "resolve", "text": "Resolves the request", "weight": 60, "auto_fail": True},
        ],
    }
]


def _sampled(center) -> str:
    ann = center.agents["ann"][0]
    with center.sessions.begin() as session:
        program = session.scalar(select(Program).where(Program.code == "acme"))
        scorecards.save(session=session, program_id=program.id, name="Chats", sections=FORM)
        sue = session.scalar(select(User).where(User.email == center.supervisor))
        access.assign(session=session, program_id=program.id, user=sue, duty="reviewer")
        entry = entry_points.get_by_address(session=session, address="web:default")
        session.add(
            Contact(
                task_id="WCqa1",
                channel="web",
                entry_point_id=entry.id,
                customer="Dana",
                agent_id=ann,
                outcome="answered",
            )
        )
        session.flush()
        contacts.append_message(
            session=session,
            task_id="WCqa1",
            author_kind="customer",
            author="Dana",
            body="My claim is late.",
        )
        contacts.append_message(
            session=session,
            task_id="WCqa1",
            author_kind="agent",
            author="Ann",
            body="I have filed it again for you.",
        )
        reviews.sample_week(
            session=session,
            week_start=utcnow(),
            now=utcnow(),
            rng=Random(1),
            handled=lambda *a: [Handled("WCqa1", ann, program.id)],
        )
    return ann


def test_a_reviewer_scores_beside_the_transcript_and_the_agent_acknowledges(center, browser):
    _sampled(center)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    wide = browser.new_context(viewport={"width": 1400, "height": 900})
    queue = sign_in(wide, center, center.supervisor, "/quality/reviews")
    queue.get_by_role("link", name="Review", exact=True).click()
    expect(queue.locator("#contact")).to_contain_text("I have filed it again for you.")
    queue.get_by_role("button", name="Save score").click()  # nothing chosen: the browser asks
    expect(queue.get_by_role("button", name="Save score")).to_be_visible()
    queue.locator('input[name="answer-greeting"][value="no"]').check()
    queue.locator('input[name="answer-resolve"][value="yes"]').check()
    queue.get_by_label("Comment for the agent").fill("Greet the customer by name.")
    queue.screenshot(path=str(ARTIFACTS / "qa-review-1400.png"), full_page=True)
    queue.get_by_role("button", name="Save score").click()
    expect(queue.get_by_text("Review scored: 60 / 100.")).to_be_visible()

    with center.sessions.begin() as session:
        recompute(session=session)
    phone = browser.new_context(viewport={"width": 390, "height": 844})
    mine = sign_in(phone, center, center.agents["ann"][1], "/quality/me")
    expect(mine.locator("#my-reviews")).to_contain_text("Greet the customer by name.")
    expect(mine.locator("#my-score")).to_contain_text("acme: 60.0 / 100")
    mine.screenshot(path=str(ARTIFACTS / "qa-my-quality-390.png"), full_page=True)
    mine.get_by_role("button", name="Acknowledge").click()
    expect(mine.get_by_text("Review acknowledged.")).to_be_visible()
    expect(mine.locator("#my-reviews")).to_contain_text("acknowledged")
