"""An agent passes the demo course in a real browser and sees the certificate."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import expect
from sqlalchemy import select

from agents.models import Stage
from database.base import utcnow
from tests.factories import PASSWORD, make_program, make_user
from tests.training.conftest import DEMO_COURSE
from training.importer import import_path
from training.models import Question
from training.skills import skills_at


def _seed(sessions):
    with sessions.begin() as session:
        program = make_program(session, code="acme-claims", name="Claims intake")
        import_path(session=session, path=DEMO_COURSE)
        agent = make_user(session, "agent", email="ana@example.com", display_name="Ana Silva")
        agent.agent.programs = [program]
        agent.agent.stage = Stage.TRAINING
        answers = {q.id: q.correct for q in session.scalars(select(Question))}
        return agent.email, agent.agent.id, answers


def test_agent_passes_the_demo_course_and_sees_the_certificate(page, live_server, browser_database):
    email, agent_id, answers = _seed(browser_database)
    page.goto(f"{live_server}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("navigation").get_by_role("link", name="My training").click()
    page.get_by_role("button", name="Enrol").click()
    expect(page.locator(".flash")).to_contain_text("You are enrolled")
    for position in range(1, 5):
        expect(page.get_by_role("heading", name=re.compile("claims intake"))).to_be_visible()
        page.get_by_role("button", name=f"Take quiz {position}").click()
        expect(page.get_by_role("heading", name=re.compile("^Quiz:"))).to_be_visible()
        assert "correct" not in page.content().lower()
        names = page.locator("input[name^='q-']").evaluate_all(
            "inputs => [...new Set(inputs.map(i => i.name))]"
        )
        for name in names:
            for key in answers[int(name[2:])]:
                page.locator(f"input[name='{name}'][value='{key}']").check()
        page.get_by_role("button", name="Submit answers").click()
        expect(page.get_by_role("status").last).to_contain_text("Passed")
        page.get_by_role("link", name="Back to the course").click()

    page.get_by_role("link", name="My certificates").first.click()
    row = page.locator("table.certificates tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Acme Insurance — claims intake")
    expect(row).to_contain_text("valid")
    expires = (utcnow() + timedelta(days=365)).strftime("%Y-%m-%d")
    expect(row).to_contain_text(expires)

    with browser_database() as session:
        from agents.roster import agent_or_raise

        agent = agent_or_raise(session=session, agent_id=agent_id)
        assert agent.stage is Stage.CERTIFIED  # a supervisor activates next
        agent.stage = Stage.ACTIVE
        assert [s.code for s in skills_at(session=session, agent_id=agent_id, at=utcnow())] == [
            "acme-claims"
        ]
