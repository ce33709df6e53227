"""The wallboard's agents in a real browser on a live contact center (tests/browser/live.py):
per-agent figures today, pause and sign-out, a live chat's transcript label, and E.164 on
monitor / whisper / barge (the board itself: tests/browser/test_wallboard.py)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.live import (
    CALLER,
    NUMBER,
    SLOW,
    held_tasks,
    pending_offer,
    screenshot,
    start_chat,
    supervisor_dashboard,
)
from tests.waiting import wait_until

pytestmark = pytest.mark.browser


def test_supervisor_sees_agent_figures_today_pauses_and_signs_the_agent_out(center, browser):
    supervising, dashboard = supervisor_dashboard(browser, center, width=1400, height=1000)
    customers = browser.new_context()
    ann_id = center.agents["ann"][0]
    center.command("set_status", agent_id=ann_id, status="available")
    ann = dashboard.locator(f'#agents tr[data-agent="{ann_id}"]')
    expect(ann.get_by_label("Status of Ann")).to_have_value("available", timeout=SLOW)

    start_chat(customers, center, "Dana", "Where is my claim?", shown=True)
    center.command("accept", reservation_id=pending_offer(center, "ann"), agent_id=ann_id)
    expect(ann.locator('td[data-label="Task"]')).to_contain_text("Dana · web chat", timeout=SLOW)
    task_id = wait_until(lambda: [t for t in held_tasks(center, ann_id)])[0]
    center.command("wrap_up", task_id=task_id)
    center.command("complete", task_id=task_id)

    expect(ann.locator('td[data-label="Contacts"]')).to_have_text("1", timeout=SLOW)
    expect(ann.locator('td[data-label="AHT"]')).to_have_text(re.compile(r"^\d+ s$|min"))
    expect(ann.locator('td[data-label="Acceptance"]')).to_have_text("100%")
    expect(ann.locator('td[data-label="Occupancy"]')).to_have_text(re.compile(r"^\d+%$"))
    bob = dashboard.locator(f'#agents tr[data-agent="{center.agents["bob"][0]}"]')
    expect(bob).to_have_count(0)  # never signed in: not registered with the engine
    screenshot(dashboard, "wallboard-agents-1400")

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


def test_transcript_of_a_live_chat_says_in_progress_until_it_ends(center, browser):
    supervising, dashboard = supervisor_dashboard(browser, center)
    customers = browser.new_context()
    ann_id = center.agents["ann"][0]
    center.command("set_status", agent_id=ann_id, status="available")
    start_chat(customers, center, "Dana", "Where is my claim?", shown=True)
    center.command("accept", reservation_id=pending_offer(center, "ann"), agent_id=ann_id)
    task_id = wait_until(lambda: held_tasks(center, ann_id))[0]

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
    supervising, dashboard = supervisor_dashboard(browser, center)
    ann_id = center.agents["ann"][0]
    center.command("set_status", agent_id=ann_id, status="available")
    call_sid = center.carrier.place_call(from_=CALLER, to=NUMBER, digits="1")
    center.command("accept", reservation_id=pending_offer(center, "ann"), agent_id=ann_id)
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
