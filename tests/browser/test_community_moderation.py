"""The review queue in Chromium: a super user sees a flagged hostile post inert, hides it
with a reason, the audit log shows the decision and the thread no longer shows the post; a
held first post is released."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from community import flags, posts
from community.models import CommunitySettings, PostStatus
from tests.community.helpers import PASSWORD, make_member, make_question
from tests.factories import make_program

pytestmark = pytest.mark.browser
HOSTILE = ('<img src=x onerror="window.pwned=1"> **Cheap** pills at '
           "[shop](javascript:window.pwned=2)")


@pytest.fixture
def flagged(browser_database):
    with browser_database() as session:
        program = make_program(session, code="acme-net", name="Acme Internet")
        session.add(CommunitySettings(program_id=program.id, hold_first_posts=True))
        session.flush()
        moderator = make_member(session, name="Sue", super_user=True)
        asker, spammer = make_member(session, name="Ann"), make_member(session, name="Spam")
        question = make_question(session, program, moderator, title="Router keeps rebooting")
        spam = posts.answer(session=session, question=question, author=spammer, body=HOSTILE)
        spam.status = PostStatus.VISIBLE  # released earlier: spammers look harmless at first
        flags.flag(session=session, post=spam, author=asker, reason="spam", note="an ad")
        held = posts.answer(session=session, question=question, author=asker,
                            body="Update the firmware.")  # fmt: skip
        session.commit()
        return moderator.email, question.id, spam.id, held.id


def test_a_super_user_hides_a_flagged_post_and_releases_a_held_one(browser, live_server, flagged):
    email, question_id, spam_id, held_id = flagged
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{live_server}/community/acme-net/signin")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Review queue").click()

    spam = page.get_by_role("article", name=f"Post {spam_id}")
    expect(spam).to_contain_text("spam: an ad")
    expect(spam.locator(".post-body strong")).to_have_text("Cheap")
    assert page.evaluate("window.pwned") is None
    assert page.locator('.post-body img, a[href^="javascript"]').count() == 0
    spam.get_by_label("Reason (kept in the audit log)").fill("advertising")
    spam.get_by_role("button", name="Hide").click()
    expect(page.get_by_role("status")).to_have_text(f"Post {spam_id} is hidden.")
    expect(page.locator("#audit-log tbody tr")).to_have_count(1)
    expect(page.locator("#audit-log")).to_contain_text("advertising")
    expect(page.locator("#audit-log")).to_contain_text("Sue")

    held = page.get_by_role("article", name=f"Post {held_id}")
    expect(held).to_contain_text("held for review")
    held.get_by_label("Reason (kept in the audit log)").fill("good advice")
    held.get_by_role("button", name="Release").click()
    expect(page.locator("#review-empty")).to_be_visible()

    page.goto(f"{live_server}/community/acme-net/questions/{question_id}")
    expect(page.locator(".answer")).to_have_count(1)
    expect(page.locator(".answer")).to_contain_text("Update the firmware.")
