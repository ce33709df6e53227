"""The supervisor's wallboard in a real browser on a live contact center (tests/browser/live.py):
customers by name and channel, queue filter, sorting, wait colours, the "0 agents available"
alert, per-agent figures today, pause and sign-out, a live chat's transcript label, E.164 on
monitor / whisper / barge, the TV mode, and the page at 390 px."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from dispatcher.core.codec import encode
from dispatcher.core.model import Queue
from dispatcher.tables import RoutingReservation
from tests.browser.conftest import ARTIFACTS
from tests.browser.live import CALLER, NUMBER, fact, sign_in

pytestmark = pytest.mark.browser
SLOW = 30_000  # ms: states that arrive by push or polling on a loaded machine
expect.set_options(timeout=SLOW)  # every expectation here may wait for a loaded machine


def _wait_for(check, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"not reached within {timeout} s: {check}")


def _offer_of(center, name: str):
    """The reservation the engine made to `name` (its id), once there is one."""

    def pending():
        with center.sessions() as session:
            return session.scalars(
                select(RoutingReservation.reservation_id).where(
                    RoutingReservation.agent_id == center.agents[name][0],
                    RoutingReservation.state == "pending",
                )
            ).first()

    return _wait_for(pending)


def _start_chat(context, center, name: str, text: str):
    widget = context.new_page()
    widget.goto(f"{center.url}/chat")
    widget.get_by_label("Your name").fill(name)
    widget.get_by_label("How can we help?").fill(text)
    widget.get_by_role("button", name="Start chat").click()
    expect(widget.locator("#messages li")).to_have_count(1, timeout=SLOW)
    return widget


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _web_queue(center, **settings) -> None:
    queue = Queue("web", program="acme", reservation_timeout=30.0, wrapup_seconds=120.0,
                  **settings)  # fmt: skip
    center.command("configure_queue", queue=encode(queue))


def test_waiting_contacts_show_customers_by_name_and_channel_filtered_sorted_and_coloured(
    center, browser
):
    _web_queue(center, service_level_seconds=1.0)  # a wait turns "warn" after 1 s
    supervising = browser.new_context(viewport={"width": 1400, "height": 1000})
    customers = browser.new_context()
    dashboard = sign_in(supervising, center, center.supervisor, "/dashboard")
    expect(dashboard.locator("#connection")).to_have_text("live")

    _start_chat(customers, center, "Dana", "Where is my claim?")
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
    _shot(dashboard, "wallboard-waiting-1400")

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


def test_supervisor_sees_agent_figures_today_pauses_and_signs_the_agent_out(center, browser):
    supervising = browser.new_context(viewport={"width": 1400, "height": 1000})
    customers = browser.new_context()
    dashboard = sign_in(supervising, center, center.supervisor, "/dashboard")
    expect(dashboard.locator("#connection")).to_have_text("live")
    ann_id = center.agents["ann"][0]
    center.command("set_status", agent_id=ann_id, status="available")
    ann = dashboard.locator(f'#agents tr[data-agent="{ann_id}"]')
    expect(ann.get_by_label("Status of Ann")).to_have_value("available", timeout=SLOW)

    _start_chat(customers, center, "Dana", "Where is my claim?")
    center.command("accept", reservation_id=_offer_of(center, "ann"), agent_id=ann_id)
    expect(ann.locator('td[data-label="Task"]')).to_contain_text("Dana · web chat", timeout=SLOW)
    task_id = _wait_for(lambda: [t for t in _held(center, ann_id)])[0]
    center.command("wrap_up", task_id=task_id)
    center.command("complete", task_id=task_id)

    expect(ann.locator('td[data-label="Contacts"]')).to_have_text("1", timeout=SLOW)
    expect(ann.locator('td[data-label="AHT"]')).to_have_text(re.compile(r"^\d+ s$|min"))
    expect(ann.locator('td[data-label="Acceptance"]')).to_have_text("100%")
    expect(ann.locator('td[data-label="Occupancy"]')).to_have_text(re.compile(r"^\d+%$"))
    bob = dashboard.locator(f'#agents tr[data-agent="{center.agents["bob"][0]}"]')
    expect(bob).to_have_count(0)  # never signed in: not registered with the engine
    _shot(dashboard, "wallboard-agents-1400")

    ann.get_by_role("button", name="Pause Ann").click()
    expect(ann.get_by_label("Status of Ann")).to_have_value("paused", timeout=SLOW)
    expect(ann.locator('td[data-label="Status"]')).to_have_text("paused")
    assert center.status_of("ann") == "paused"
    sign_out = ann.get_by_role("button", name="Sign out Ann")
    sign_out.click()
    expect(sign_out).to_have_text("Confirm sign out")  # one click only arms the button
    expect(ann.locator('td[data-label="Status"]')).to_have_text("paused")
    sign_out.click()
    expect(ann.get_by_label("Status of Ann")).to_have_value("offline", timeout=SLOW)
    assert center.status_of("ann") == "offline"
    expect(ann.get_by_role("button", name="Sign out Ann")).to_have_count(0)

    ann.locator('th, td').first.wait_for()
    dashboard.locator("#agents thead").get_by_role("button", name="Contacts").click()
    expect(dashboard.locator("#agents th[data-sort=contacts]")).to_have_attribute(
        "aria-sort", "ascending"
    )
    supervising.close()
    customers.close()


def _held(center, agent_id: str) -> list[str]:
    from dispatcher.tables import RoutingTask

    with center.sessions() as session:
        return list(session.scalars(select(RoutingTask.task_id).where(
            RoutingTask.agent_id == agent_id, RoutingTask.state == "assigned")))  # fmt: skip


def test_transcript_of_a_live_chat_says_in_progress_until_it_ends(center, browser):
    supervising, customers = browser.new_context(), browser.new_context()
    dashboard = sign_in(supervising, center, center.supervisor, "/dashboard")
    expect(dashboard.locator("#connection")).to_have_text("live")
    ann_id = center.agents["ann"][0]
    center.command("set_status", agent_id=ann_id, status="available")
    _start_chat(customers, center, "Dana", "Where is my claim?")
    center.command("accept", reservation_id=_offer_of(center, "ann"), agent_id=ann_id)
    task_id = _wait_for(lambda: _held(center, ann_id))[0]

    ann = dashboard.locator(f'#agents tr[data-agent="{ann_id}"]')
    ann.get_by_role("button", name=f"Transcript of {task_id}").click()
    meta = dashboard.locator("#transcript-meta")
    expect(meta).to_have_text("web with Dana · in progress · an agent is serving", timeout=SLOW)
    expect(meta).not_to_contain_text("ended")
    center.command("wrap_up", task_id=task_id)
    expect(meta).to_have_text("web with Dana · ended: answered", timeout=SLOW)
    supervising.close()
    customers.close()


def test_monitor_refuses_a_phone_that_is_not_e164_in_the_page_and_on_the_server(center, browser):
    supervising = browser.new_context()
    dashboard = sign_in(supervising, center, center.supervisor, "/dashboard")
    expect(dashboard.locator("#connection")).to_have_text("live")
    ann_id = center.agents["ann"][0]
    center.command("set_status", agent_id=ann_id, status="available")
    call_sid = center.carrier.place_call(from_=CALLER, to=NUMBER, digits="1")
    center.command("accept", reservation_id=_offer_of(center, "ann"), agent_id=ann_id)
    monitor = dashboard.get_by_role("button", name=f"monitor {call_sid}")
    expect(monitor).to_be_visible(timeout=SLOW)
    phone = dashboard.get_by_label("My phone for monitor, whisper and barge")
    error = dashboard.locator("#coach-error")

    phone.fill("not-a-phone")
    monitor.click()
    expect(error).to_have_text(
        'monitor: "not-a-phone" is not a phone number in E.164 form, e.g. +15551234567'
    )
    expect(phone).to_have_attribute("aria-invalid", "true")
    phone.fill("+999123456789")  # the right shape, but no such country: the server says no
    monitor.click()
    expect(error).to_contain_text("phone: phone must be a number in E.164 form")
    expect(dashboard.locator("#coach-result")).to_have_text("")
    assert [r for r in center.carrier.requests if r[0] == "add_participant"] == []

    answer = dashboard.evaluate(
        """async (task) => {
            const csrf = document.getElementById("dashboard").dataset.csrf;
            const r = await fetch("/api/v1/channels/voice/coach", {method: "POST",
                headers: {"Content-Type": "application/json", "X-CSRFToken": csrf},
                body: JSON.stringify({task_id: task, mode: "barge", phone: "not-a-phone"})});
            return [r.status, await r.json()];
        }""",
        call_sid,
    )
    assert answer[0] == 422
    assert list(answer[1]["fields"]) == ["phone"]
    phone.fill("+1 555 333 0000")  # spaces are fine: sent as E.164
    monitor.click()
    expect(dashboard.locator("#coach-result")).to_contain_text("ringing +15553330000")
    added = [r for r in center.carrier.requests if r[0] == "add_participant"]
    assert [r[2] for r in added] == ["+15553330000"]
    supervising.close()


def test_wallboard_mode_fills_a_tv_with_the_numbers_and_hides_the_controls(center, browser):
    tv = browser.new_context(viewport={"width": 1920, "height": 1080})
    customers = browser.new_context()
    dashboard = sign_in(tv, center, center.supervisor, "/dashboard")
    expect(dashboard.locator("#connection")).to_have_text("live")
    _start_chat(customers, center, "Dana", "Where is my claim?")
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
    _shot(dashboard, "wallboard-tv-1920")

    dashboard.reload()  # a TV's bookmark opens straight in wallboard mode
    expect(dashboard.locator("body")).to_have_class(re.compile(r"\bwallboard\b"))
    expect(fact(dashboard, "web", "Waiting")).to_have_text("1", timeout=SLOW)
    dashboard.get_by_role("button", name="Exit wallboard").click()
    expect(dashboard.locator("#coaching")).to_be_visible()
    assert "view=wallboard" not in dashboard.url
    tv.close()
    customers.close()


def test_dashboard_is_usable_at_390_px_and_its_charts_have_text_alternatives(center, browser):
    phone = browser.new_context(viewport={"width": 390, "height": 844})
    customers = browser.new_context()
    dashboard = sign_in(phone, center, center.supervisor, "/dashboard")
    expect(dashboard.locator("#connection")).to_have_text("live")
    center.command("set_status", agent_id=center.agents["ann"][0], status="available")
    center.command("set_status", agent_id=center.agents["bob"][0], status="break")
    _start_chat(customers, center, "Dana", "Where is my claim?")
    expect(dashboard.locator("#agents tbody tr")).to_have_count(2, timeout=SLOW)
    expect(dashboard.locator("#waiting tbody tr")).to_have_count(1, timeout=SLOW)

    _shot(dashboard, "wallboard-dashboard-390")
    width = dashboard.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways: {width} px wide"
    controls = dashboard.locator("#agents tbody :is(button, select), #waiting tbody button")
    assert controls.count() >= 4
    for n in range(controls.count()):
        box = controls.nth(n).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, (n, box)
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
