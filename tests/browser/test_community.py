"""The community in Chromium: a customer joins, confirms by the emailed link, asks a question
with hostile Markdown that stays inert, another member answers and the asker accepts."""

from __future__ import annotations

import re
from email import message_from_bytes, policy

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.community.helpers import PASSWORD, make_member
from tests.factories import make_program
from tests.waiting import wait_until

pytestmark = pytest.mark.browser
HOSTILE = (
    '<script>window.pwned=1</script><img src=x onerror="window.pwned=2">\n\n'
    "[click](javascript:window.pwned=3) and **bold** text"
)


@pytest.fixture
def community(browser_database):
    with browser_database() as session:
        make_program(session, code="acme-net", name="Acme Internet")
        helper = make_member(session, name="Helpful Hana")
        session.commit()
        return helper.email


def _join(page, live_server, settings, program="acme-net"):
    page.goto(f"{live_server}/community/{program}/join")
    page.get_by_label("Display name").fill("Kim <b>K</b>")
    page.get_by_label("Email").fill("kim@example.org")
    page.get_by_label("Password (10 characters or more)").fill(PASSWORD)
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_text("email not confirmed")).to_be_visible()
    mail = sorted((settings.instance_path / "outbox").glob("*.eml"))[-1]
    body = message_from_bytes(mail.read_bytes(), policy=policy.default).get_content()
    link = re.search(r"https?://\S+/verify/\S+", body).group(0)
    page.goto(link)
    expect(page.get_by_text("Your email is confirmed")).to_be_visible()


def test_a_customer_asks_a_hostile_post_stays_inert_and_an_answer_is_accepted(
    browser, live_server, settings, community
):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    _join(page, live_server, settings)
    page.get_by_role("link", name="Ask a question").click()
    page.get_by_label("Your question in one line").fill("Router <script> blinks red at night")
    page.get_by_label("Details (Markdown)").fill(HOSTILE)
    page.get_by_role("button", name="Post the question").click()
    expect(page.get_by_role("heading", name="Router <script> blinks red at night")).to_be_visible()
    expect(page.locator(".post-body strong")).to_have_text("bold")
    assert page.evaluate("window.pwned") is None
    assert page.locator(".post-body img, .post-body script").count() == 0
    assert page.locator('a[href^="javascript"]').count() == 0
    question_url = page.url

    helper = browser.new_context(viewport={"width": 390, "height": 844})
    other = helper.new_page()
    other.goto(f"{live_server}/community/acme-net/signin")
    other.get_by_label("Email").fill(community)
    other.get_by_label("Password").fill(PASSWORD)
    other.get_by_role("button", name="Sign in").click()
    other.goto(question_url)
    other.get_by_label("Your answer (Markdown)").fill("Unplug it for *30 seconds*.")
    other.get_by_role("button", name="Post the answer").click()
    expect(other.locator(".answer .post-body em")).to_have_text("30 seconds")
    other.screenshot(path=str(ARTIFACTS / "community-question-390.png"), full_page=True)

    page.reload()
    page.get_by_role("button", name="Helpful", exact=True).last.click()
    expect(page.locator(".answer .score")).to_have_text("1 helpful")
    page.get_by_role("button", name="Accept this answer").click()
    expect(page.locator(".answer .badge.ok")).to_have_text("accepted")
    page.screenshot(path=str(ARTIFACTS / "community-question-1400.png"), full_page=True)
    page.goto(f"{live_server}/community/acme-net?q=blinks")
    expect(page.locator("#results li")).to_have_count(1)
    page.screenshot(path=str(ARTIFACTS / "community-search-1400.png"), full_page=True)
    other.goto(f"{live_server}/community/acme-net")
    expect(other.locator("#questions .badge.ok")).to_have_text("solved")
    other.screenshot(path=str(ARTIFACTS / "community-index-390.png"), full_page=True)
    context.close()
    helper.close()


@pytest.fixture
def answered_community(browser_database):
    from channels.models import EntryPoint
    from community import posts
    from tests.community.helpers import make_question

    with browser_database() as session:
        program = make_program(session, code="acme-tv", name="Acme TV")
        session.add(EntryPoint(address="web:acme-tv", program_id=program.id, queue_id="tv"))
        asker, helper = make_member(session), make_member(session)
        question = make_question(
            session,
            program,
            asker,
            title="Remote control stopped pairing",
            body="The TV remote will not pair.",
        )
        posts.answer(
            session=session,
            question=question,
            author=helper,
            body="Hold *Home* and *Back* for 5 seconds.",
        )
        session.commit()
        return question.id


def test_the_widget_and_the_ask_form_suggest_answers_and_record_verdicts(
    browser, live_server, settings, answered_community, browser_database
):
    from sqlalchemy import select

    from community.models import Deflection

    phone = browser.new_context(viewport={"width": 390, "height": 844})
    widget = phone.new_page()
    widget.goto(f"{live_server}/chat?entry=acme-tv")
    widget.get_by_label("How can we help?").fill("my remote is not pairing")
    expect(widget.locator("#suggestions li a")).to_have_text("Remote control stopped pairing")
    widget.screenshot(path=str(ARTIFACTS / "chat-widget-suggestions-390.png"), full_page=True)
    widget.get_by_role("button", name="This solved it").click()
    expect(widget.locator("#suggestions .thanks")).to_be_visible()
    desk = browser.new_context(viewport={"width": 1400, "height": 900})
    page = desk.new_page()
    _join(page, live_server, settings, program="acme-tv")
    page.goto(f"{live_server}/community/acme-tv/ask")
    page.get_by_label("Your question in one line").fill("Remote pairing")
    expect(page.locator("#suggestions li a")).to_have_text("Remote control stopped pairing")
    page.screenshot(path=str(ARTIFACTS / "community-ask-suggestions-1400.png"), full_page=True)
    page.get_by_label("Details (Markdown)").fill("Tried everything")
    page.get_by_role("button", name="Post the question").click()

    def verdicts():
        with browser_database() as session:
            found = session.scalars(select(Deflection)).all()
            return sorted((d.source, d.outcome.value, d.question_id) for d in found)

    expected = [("ask", "need_help", None), ("chat", "solved", answered_community)]
    wait_until(lambda: verdicts() == expected, message=lambda: f"verdicts {verdicts()}")
    phone.close()
    desk.close()
