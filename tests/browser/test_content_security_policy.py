"""No page breaks the Content-Security-Policy: every role signs in and visits every page it may
open (the console, the dashboard, the chat widget, training, roster, programs, numbers) in
Chromium, and the browser reports no CSP violation, in its console or as a
securitypolicyviolation event."""

from __future__ import annotations

import time
from datetime import timedelta
from random import Random

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from agents.models import Agent, Program, Stage
from database.base import utcnow
from tests.browser.live import new_context, sign_in
from tests.factories import make_program, make_user
from tests.training.conftest import DEMO_COURSE
from training import attempts, enrolments
from training.importer import import_path
from training.models import Course

pytestmark = pytest.mark.browser

# Collected before any page script runs; init scripts are not subject to the page's CSP.
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${where}`);
});
"""
# What must be on screen before a page counts as loaded (its scripts ran, sockets connected).
READY = {
    "/console": ("#connection", "connected"),
    "/dashboard": ("#connection", "live"),
}


def _seed(center) -> dict:
    """The demo course with an enrolment and a quiz in progress for ann; an admin."""
    with center.sessions.begin() as session:
        program = make_program(session, code="acme-claims", name="Claims intake")
        import_path(session=session, path=DEMO_COURSE)
        course = session.scalar(select(Course))
        ann = session.get(Agent, int(center.agents["ann"][0]))
        ann.programs = [*ann.programs, program]
        ann.stage = Stage.TRAINING
        enrolment = enrolments.enrol(session=session, agent=ann, course=course,
                                     now=utcnow() - timedelta(minutes=5))  # fmt: skip
        module = enrolment.version.modules[0]
        attempt = attempts.start_attempt(session=session, agent=ann, module_id=module.id,
                                         rng=Random(1))  # fmt: skip
        admin = make_user(session, "admin", display_name="Ada").email
        acme = session.scalar(select(Program).where(Program.code == "acme"))
        return {"course": course.id, "module": module.id, "attempt": attempt.id,
                "agent": ann.id, "program": acme.id, "admin": admin}  # fmt: skip


def _pages(ids: dict) -> dict[str, list[str]]:
    agent_pages = ["/", "/me", "/console", "/training/", f"/training/courses/{ids['course']}",
                   f"/training/modules/{ids['module']}", f"/training/attempts/{ids['attempt']}",
                   "/training/certificates"]  # fmt: skip
    staff_pages = ["/", "/dashboard", "/roster/", f"/roster/{ids['agent']}",
                   f"/roster/{ids['agent']}/edit", "/roster/new", "/programs/",
                   "/channels/numbers", "/training/admin/courses",
                   f"/training/admin/courses/{ids['course']}/report",
                   f"/training/admin/agents/{ids['agent']}",
                   f"/training/modules/{ids['module']}"]  # fmt: skip
    admin_pages = [*staff_pages, "/programs/new", f"/programs/{ids['program']}/edit",
                   f"/training/admin/courses/{ids['course']}/edit"]  # fmt: skip
    return {"agent": agent_pages, "supervisor": staff_pages, "admin": admin_pages}


def _watch(context) -> list[str]:
    """CSP messages the browser logs to its console, across every page of `context`."""
    logged: list[str] = []
    context.add_init_script(WATCH)
    context.on("console", lambda m: logged.append(m.text)
               if "Content Security Policy" in m.text else None)  # fmt: skip
    return logged


def _visit(page, url: str, path: str) -> list[str]:
    response = page.goto(url + path)
    assert response is not None and response.status == 200, (path, response and response.status)
    page.wait_for_load_state("load")
    if path in READY:
        selector, text = READY[path]
        expect(page.locator(selector)).to_have_text(text, timeout=30_000)
    return page.evaluate("window.__csp")


def test_no_page_violates_the_content_security_policy_for_any_role(browser, center):
    ids = _seed(center)
    emails = {"agent": center.agents["ann"][1], "supervisor": center.supervisor,
              "admin": ids["admin"]}  # fmt: skip
    for role, paths in _pages(ids).items():
        context = new_context(browser)
        logged = _watch(context)
        page = sign_in(context, center, emails[role], "/")
        for path in paths:
            violations = _visit(page, center.url, path)
            assert violations == [], (role, path, violations)
        assert logged == [], (role, logged)
        context.close()

    anonymous = new_context(browser)
    logged = _watch(anonymous)
    page = anonymous.new_page()
    for path in ("/login", "/chat"):
        assert _visit(page, center.url, path) == [], path
    page.get_by_label("Your name").fill("Dana")
    page.get_by_role("button", name="Start chat").click()
    expect(page.locator("#conversation")).to_be_visible(timeout=30_000)
    assert page.evaluate("window.__csp") == []
    assert logged == []
    anonymous.close()


def test_the_check_sees_an_inline_script_the_policy_blocks(browser, center):
    context = new_context(browser)
    logged = _watch(context)
    page = context.new_page()
    assert _visit(page, center.url, "/login") == []
    page.evaluate("""() => {
        const script = document.createElement("script");
        script.textContent = "window.ran = true";
        document.body.append(script);
    }""")
    page.wait_for_function("window.__csp.length > 0", timeout=30_000)
    assert page.evaluate("window.ran === undefined")
    assert "script-src" in page.evaluate("window.__csp")[0]
    deadline = time.monotonic() + 30
    while not logged and time.monotonic() < deadline:  # console events arrive asynchronously
        page.wait_for_timeout(100)
    assert logged and "Content Security Policy" in logged[0]
    context.close()
