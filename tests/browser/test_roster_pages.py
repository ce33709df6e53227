"""A supervisor works the roster in a real browser: sign in, find an agent, edit, suspend."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.live import fill_login
from tests.factories import make_program, make_user


def _seed(sessions):
    with sessions.begin() as session:
        program = make_program(session, code="acme-claims", name="Claims intake")
        supervisor = make_user(session, "supervisor", email="sup@example.com")
        for name in ("Ana Silva", "Ben Okafor", "Chloé Martin"):
            agent = make_user(session, "agent", display_name=name)
            agent.agent.programs = [program]
        return supervisor.email


def test_supervisor_finds_edits_and_suspends_an_agent(page, live_server, browser_database):
    email = _seed(browser_database)
    fill_login(page, live_server, email)
    expect(page).to_have_url(f"{live_server}/dashboard")  # supervisors land on the dashboard
    page.get_by_role("navigation").get_by_role("link", name="Roster").click()
    expect(page.get_by_role("heading", name=re.compile("Roster"))).to_contain_text("3 agents")

    page.get_by_label("Search").fill("okafor")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("table.roster tbody tr")).to_have_count(1)
    page.get_by_role("link", name="Ben Okafor").click()

    page.get_by_role("link", name="Edit").click()
    page.get_by_label(re.compile("^Phone")).fill("555")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("international form")
    page.get_by_label(re.compile("^Phone")).fill("+44 20 7946 0958")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".facts")).to_contain_text("+442079460958")

    page.get_by_label("Suspension reason").fill("No-show on two shifts")
    page.get_by_role("button", name="Suspend").click()
    expect(page.get_by_role("heading", name=re.compile("Ben Okafor"))).to_contain_text("suspended")
    expect(page.get_by_role("button", name=re.compile("Reactivate"))).to_be_visible()
    expect(page.locator("body")).to_contain_text("No-show on two shifts")


def test_agent_cannot_open_the_roster(page, live_server, browser_database):
    with browser_database.begin() as session:
        email = make_user(session, "agent").email
    fill_login(page, live_server, email)
    expect(page).to_have_url(f"{live_server}/console")  # agents land on their console
    expect(page.get_by_role("heading", name=re.compile("^Console"))).to_be_visible()
    response = page.goto(f"{live_server}/roster/")
    assert response.status == 403
    expect(page.locator("main")).to_contain_text("Your role does not allow this")
