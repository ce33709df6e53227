"""An agent passes the demo course in a real browser and sees the certificate."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import expect
from sqlalchemy import select

from agents.models import Stage
from database.base import utcnow
from tests.browser.live import fill_login
from tests.factories import make_program, make_user
from tests.training.helpers import DEMO_COURSE, seed_trainee
from training.importer import import_path
from training.models import Question
from training.skills import skills_at


def _seed(sessions):
    with sessions.begin() as session:
        agent = seed_trainee(session)
        answers = {q.id: q.correct for q in session.scalars(select(Question))}
        return agent.email, agent.agent.id, answers


def test_agent_passes_the_demo_course_and_sees_the_certificate(page, live_server, browser_database):
    email, agent_id, answers = _seed(browser_database)
    fill_login(page, live_server, email)

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


def test_admin_importing_a_new_requirement_sees_the_count_in_a_dialog_and_confirms(
    page, live_server, browser_database, tmp_path
):
    from tests.training.helpers import Clock, pass_course
    from tests.training.test_new_requirements import NEW_REQUIRED
    from training.models import Course

    with browser_database.begin() as session:
        program = make_program(session, code="acme-claims", name="Claims intake")
        (demo,) = import_path(session=session, path=DEMO_COURSE)
        admin = make_user(session, "admin", email="ada@example.com").email
        agents = []
        for _ in range(2):
            agent = make_user(session, "agent").agent
            agent.programs = [program]
            pass_course(session, agent, demo.course, Clock(utcnow() - timedelta(days=1)))
            agent.stage = Stage.ACTIVE
            agents.append(agent.id)
    course_file = tmp_path / "mini.yaml"
    course_file.write_text(NEW_REQUIRED)
    fill_login(page, live_server, admin)
    page.goto(f"{live_server}/training/admin/courses")
    page.get_by_label("Course file").set_input_files(str(course_file))
    page.get_by_role("button", name="Import", exact=True).click()

    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("2 active agents would lose eligibility")
    with browser_database() as session:
        assert session.scalars(select(Course.code)).all() == ["claims-intake"]
    dialog.get_by_role("button", name="Import now: take them out of routing").click()
    expect(page.locator(".flash")).to_contain_text("2 active agent(s) lost eligibility")
    with browser_database() as session:
        assert sorted(session.scalars(select(Course.code)).all()) == ["claims-intake", "mini"]
        assert all(skills_at(session=session, agent_id=a, at=utcnow()) == [] for a in agents)
