"""Staff pages in a real browser (issue 11, defects 10 and 11): add-agent errors in words with
the program's pay rate as the default, the numbers form with each label on its own field, the
login landing per role (unless a `next` is given), and a favicon on every page (no 404)."""

from __future__ import annotations

from decimal import Decimal

from playwright.sync_api import expect
from sqlalchemy import select

from agents.models import Agent, AuditEntry, User
from tests.browser.conftest import ARTIFACTS
from tests.browser.live import fill_login
from tests.factories import PASSWORD, make_program, make_user

expect.set_options(timeout=30_000)  # ms: pages on a loaded machine


def _seed(sessions):
    with sessions.begin() as session:
        make_program(session, code="acme-claims", name="Claims intake")
        make_user(session, "admin", email="root@example.com")
        make_user(session, "supervisor", email="sup@example.com")
        make_user(session, "agent", email="ana@example.com")


def test_admin_sets_a_program_rate_and_a_new_agent_gets_it_errors_name_the_label(
    page, live_server, browser_database
):
    _seed(browser_database)
    fill_login(page, live_server, "root@example.com")
    page.goto(f"{live_server}/programs/")
    page.get_by_role("link", name="Edit").click()
    rate = page.get_by_label("Pay per talk minute (the default of agents added to it)")
    rate.fill("abc")
    page.get_by_role("button", name="Save").click()
    in_words = "Pay per talk minute must be a number"
    expect(page.locator(".field.invalid .error")).to_have_text(in_words)
    rate.fill("0.3500")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("table")).to_contain_text("0.3500")

    page.goto(f"{live_server}/roster/new")
    page.get_by_label("Email").fill("ben@example.com")
    page.get_by_label("Initial password (at least 10 characters)").fill("a-long-password-1")
    page.get_by_label("Display name").fill("Ben Okafor")
    page.get_by_label("Client programs").select_option("acme-claims")
    page.get_by_label("Pay per talk minute (blank: the program's rate)").fill("twelve")
    page.get_by_role("button", name="Save").click()
    error = page.locator(".field.invalid .error")
    expect(error).to_have_text("Pay per talk minute must be a number")
    expect(page.locator("body")).not_to_contain_text("pay_rate_per_minute")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "add-agent-error-1400.png"), full_page=True)
    with browser_database() as session:  # nothing written
        assert session.scalar(select(User).where(User.email == "ben@example.com")) is None

    page.get_by_label("Initial password (at least 10 characters)").fill("a-long-password-1")
    page.get_by_label("Pay per talk minute (blank: the program's rate)").fill("")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".flash")).to_contain_text("Added Ben Okafor")
    with browser_database() as session:
        user = session.scalar(select(User).where(User.email == "ben@example.com"))
        agent = session.scalar(select(Agent).where(Agent.user_id == user.id))
        assert agent.pay_rate_per_minute == Decimal("0.3500")
        reasons = session.scalars(select(AuditEntry.reason).where(
            AuditEntry.entity_type == "agent", AuditEntry.entity_id == agent.id))  # fmt: skip
        assert "the program's pay rate (none given)" in list(reasons)


FIELDS = (
    ("Number (E.164) or web:<slug>", "address"),
    ("Program", "program"),
    ("Default queue", "queue_id"),
    ("Language", "language"),
    ("Greeting", "greeting"),
    ("Menu, one option a line: digit | label | queue | language", "menu"),
)


def test_the_numbers_form_puts_each_label_on_its_own_field(page, live_server, browser_database):
    _seed(browser_database)
    fill_login(page, live_server, "root@example.com")
    for width in (1400, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server}/channels/numbers")
        for label, name in FIELDS:
            control = page.get_by_label(label, exact=True)
            expect(control).to_have_attribute("name", name)
            text = page.locator(f'label[for="{control.get_attribute("id")}"]').bounding_box()
            box = control.bounding_box()
            # The label sits just above its own field, left-aligned with it.
            assert abs(text["x"] - box["x"]) < 2, (label, text, box)
            assert 0 <= box["y"] - (text["y"] + text["height"]) < 12, (label, text, box)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(ARTIFACTS / f"numbers-form-{width}.png"), full_page=True)
    page.get_by_label("Number (E.164) or web:<slug>", exact=True).fill("not a number")
    page.get_by_label("Default queue", exact=True).fill("claims")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("address")
    expect(page.get_by_label("Number (E.164) or web:<slug>", exact=True)).to_have_attribute(
        "aria-invalid", "true"
    )


def test_login_lands_agents_on_the_console_and_staff_on_the_dashboard_unless_next(
    browser, live_server, browser_database
):
    _seed(browser_database)
    for email, landing in (("ana@example.com", "/console"), ("sup@example.com", "/dashboard"),
                           ("root@example.com", "/dashboard")):  # fmt: skip
        context = browser.new_context()
        page = context.new_page()
        fill_login(page, live_server, email)
        expect(page).to_have_url(f"{live_server}{landing}")
        context.close()
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{live_server}/roster/")  # asks for a login, then goes where it was headed
    expect(page).to_have_url(f"{live_server}/login?next=/roster/")
    page.get_by_label("Email").fill("sup@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{live_server}/roster/")
    context.close()


def test_every_page_has_a_favicon_and_nothing_404s(browser, live_server, browser_database):
    _seed(browser_database)
    context = browser.new_context()
    page = context.new_page()
    missing = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    fill_login(page, live_server, "sup@example.com")
    expect(page).to_have_url(f"{live_server}/dashboard")
    for path in ("/roster/", "/programs/", "/channels/numbers", "/chat", "/login"):
        page.goto(f"{live_server}{path}")
        icon = page.locator('link[rel="icon"]')
        expect(icon).to_have_attribute("href", "/static/favicon.svg")
    assert page.request.get(f"{live_server}/static/favicon.svg").ok
    legacy = page.request.get(f"{live_server}/favicon.ico")  # follows the redirect to the SVG
    assert legacy.ok and legacy.headers["content-type"].startswith("image/svg+xml")
    assert missing == []
    context.close()
