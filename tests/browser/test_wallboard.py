"""The supervisor's wallboard in a real browser on a live contact center (tests/browser/live.py):
customers by name and channel, queue filter, sorting, wait colours, the "0 agents available"
alert, the TV mode, the page at 390 px and the status dropdowns (the agents' rows and what a
supervisor does with them: tests/browser/test_wallboard_agents.py)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.live import (
    CALLER,
    NUMBER,
    SLOW,
    configure_queue,
    fact,
    screenshot,
    sign_in,
    start_chat,
    supervisor_dashboard,
)

pytestmark = pytest.mark.browser
expect.set_options(timeout=SLOW)  # every expectation here may wait for a loaded machine


def test_waiting_contacts_show_customers_by_name_and_channel_filtered_sorted_and_coloured(
    center, browser
):
    configure_queue(center, "web", service_level_seconds=1.0)  # a wait turns "warn" after 1 s
    supervising, dashboard = supervisor_dashboard(browser, center, width=1400, height=1000)
    customers = browser.new_context()

    start_chat(customers, center, "Dana", "Where is my claim?", shown=True)
    call_sid = center.carrier.place_call(from_=CALLER, to=NUMBER, digits="1")
    rows = dashboard.locator("#waiting tbody tr")
    expect(rows).to_have_count(2, timeout=SLOW)
    dana = rows.filter(has_text="Dana")
    expect(dana.locator("td").nth(1)).to_have_text("web chat")
    expect(dana.locator("td").nth(2)).to_have_text("web")
    caller = rows.filter(has_text=CALLER)
    expect(caller.locator("td").nth(1)).to_have_text("call")
    expect(dashboard.locator("#waiting tbody")).not_to_contain_text(call_sid)  # no CA… id
    expect(dana.locator(".wait")).to_have_class(re.compile(r"\bwarn\b"), timeout=SLOW)

    alerts = dashboard.locator("#alerts li")
    expect(alerts.filter(has_text="web: 0 agents available while 1 contact waits")).to_have_count(1)
    no_agents = "claims: 0 agents available while 1 contact waits"
    expect(alerts.filter(has_text=no_agents)).to_have_count(1)

    customer_column = dashboard.locator("#waiting thead").get_by_role("button", name="Customer")
    customer_column.click()
    expect(rows.locator("td:first-child")).to_have_text([CALLER, "Dana"])
    expect(dashboard.locator("#waiting th").first).to_have_attribute("aria-sort", "ascending")
    customer_column.click()
    expect(rows.locator("td:first-child")).to_have_text(["Dana", CALLER])
    expect(dashboard.locator("#waiting th").first).to_have_attribute("aria-sort", "descending")
    screenshot(dashboard, "wallboard-waiting-1400")

    dashboard.get_by_label("Queue", exact=True).select_option("web")
    expect(rows).to_have_text([re.compile("^Dana")])
    expect(dashboard.locator(".tile")).to_have_count(1)
    expect(dashboard.locator('.tile[data-queue="web"]')).to_be_visible()
    expect(alerts.filter(has_text="claims:")).to_have_count(0)  # filtered out with its queue
    expect(alerts.filter(has_text="web: 0 agents available")).to_have_count(1)
    dashboard.reload()  # the filter and the order survive a reload
    expect(dashboard.get_by_label("Queue", exact=True)).to_have_value("web", timeout=SLOW)
    expect(rows).to_have_text([re.compile("^Dana")], timeout=SLOW)
    dashboard.get_by_label("Queue", exact=True).select_option("")
    expect(rows.locator("td:first-child")).to_have_text(["Dana", CALLER])
    supervising.close()
    customers.close()


def test_wallboard_mode_fills_a_tv_with_the_numbers_and_hides_the_controls(center, browser):
    tv, dashboard = supervisor_dashboard(browser, center, width=1920, height=1080)
    customers = browser.new_context()
    start_chat(customers, center, "Dana", "Where is my claim?", shown=True)
    expect(dashboard.locator("#waiting tbody tr")).to_have_count(1, timeout=SLOW)

    dashboard.get_by_role("button", name="Wallboard (full screen)").click()
    expect(dashboard.locator("body")).to_have_class(re.compile(r"\bwallboard\b"))
    expect(dashboard.locator("#coaching")).to_be_hidden()
    expect(dashboard.locator(".topbar")).to_be_hidden()
    expect(dashboard.locator("#waiting .row-actions")).to_be_hidden()
    expect(fact(dashboard, "web", "Waiting")).to_have_text("1")
    assert "view=wallboard" in dashboard.url
    waiting = "document.querySelector('.tile dd[data-fact=Waiting]')"
    big = dashboard.evaluate(f"parseFloat(getComputedStyle({waiting}).fontSize)")
    assert big >= 32  # readable across a room
    screenshot(dashboard, "wallboard-tv-1920")

    dashboard.reload()  # a TV's bookmark opens straight in wallboard mode
    expect(dashboard.locator("body")).to_have_class(re.compile(r"\bwallboard\b"))
    expect(fact(dashboard, "web", "Waiting")).to_have_text("1", timeout=SLOW)
    dashboard.get_by_role("button", name="Exit wallboard").click()
    expect(dashboard.locator("#coaching")).to_be_visible()
    assert "view=wallboard" not in dashboard.url
    tv.close()
    customers.close()


def test_dashboard_is_usable_at_390_px_and_its_charts_have_text_alternatives(center, browser):
    phone, dashboard = supervisor_dashboard(browser, center, width=390, height=844)
    customers = browser.new_context()
    center.command("set_status", agent_id=center.agents["ann"][0], status="available")
    center.command("set_status", agent_id=center.agents["bob"][0], status="break")
    start_chat(customers, center, "Dana", "Where is my claim?", shown=True)
    expect(dashboard.locator("#agents tbody tr")).to_have_count(2, timeout=SLOW)
    expect(dashboard.locator("#waiting tbody tr")).to_have_count(1, timeout=SLOW)

    screenshot(dashboard, "wallboard-dashboard-390")
    width = dashboard.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways: {width} px wide"
    # One snapshot of every control's box: pushes re-render the rows, so boxes read one by one
    # can belong to rows that are gone.
    boxes = dashboard.evaluate(
        """() => [...document.querySelectorAll(
                 '#agents tbody :is(button, select), #waiting tbody button')].map((e) => {
               const r = e.getBoundingClientRect();
               return {text: e.textContent.trim().slice(0, 20), x: r.x, width: r.width};
             })"""
    )
    assert len(boxes) >= 4, boxes
    for box in boxes:
        assert box["x"] >= 0 and box["width"] > 0 and box["x"] + box["width"] <= 390, box
    for label in ("Agent", "Status", "State", "Contacts", "Acceptance"):  # each value is named
        expect(dashboard.locator(f'#agents tbody td[data-label="{label}"]').first).to_be_visible()
    expect(dashboard.get_by_label("Status of Bob")).to_have_value("break")

    for canvas in ("#chart", "#waiting-chart"):
        chart = dashboard.locator(canvas)
        expect(chart).to_have_attribute("role", "img")
        expect(chart).to_have_attribute("aria-label", re.compile(r"\. (Today|Waiting now)"))
    expect(dashboard.get_by_role("img", name=re.compile("^Waiting contacts"))).to_have_attribute(
        "aria-label", re.compile(r"Waiting now: 1 \(.*web 1")
    )  # fmt: skip
    phone.close()
    customers.close()


def test_status_dropdowns_show_the_current_status_on_the_console_and_the_dashboard(
    center, browser
):
    working, supervising = browser.new_context(), browser.new_context()
    console = sign_in(working, center, center.agents["ann"][1], "/console")
    expect(console.locator("#connection")).to_have_text("connected", timeout=SLOW)
    choice = console.get_by_label("Status", exact=True)
    expect(choice).to_have_value("offline", timeout=SLOW)  # not the first option, "available"
    choice.select_option("available")
    console.get_by_role("button", name="Set status").click()
    expect(console.locator("#status")).to_have_text("available", timeout=SLOW)

    dashboard = sign_in(supervising, center, center.supervisor, "/dashboard")
    status = dashboard.get_by_label("Status of Ann")
    expect(status).to_have_value("available", timeout=SLOW)
    status.select_option("break")  # the supervisor sends Ann on a break
    expect(console.locator("#status")).to_have_text("break", timeout=SLOW)
    expect(choice).to_have_value("break", timeout=SLOW)
    expect(status).to_have_value("break", timeout=SLOW)

    choice.select_option("offline")  # chosen but not set yet: a refresh does not undo it
    with console.expect_response(lambda r: "/console/api/state" in r.url, timeout=SLOW):
        pass  # the next re-read (a push or the 15 s safety net)
    expect(choice).to_have_value("offline")
    working.close()
    supervising.close()
