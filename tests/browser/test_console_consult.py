"""Warm transfer in the agent console, in a real browser on a live contact center: the agent
consults a colleague (who declines, then answers), cancels, consults again and completes; the
colleague's console and the supervisor's wallboard show the call with the colleague after."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from channels.simulated import SimAgent
from tests.browser.live import CALLER, NUMBER, go_available, new_context, sign_in
from tests.browser.live import screenshots as _shots
from tests.waiting import wait_until

pytestmark = pytest.mark.browser
ANN_PHONE, BOB_PHONE = "+15551110001", "+15551110002"


def _consult_bob(task):
    task.get_by_label("Transfer to").select_option(label="Bob")
    task.get_by_role("button", name="Consult first").click()


def test_agent_consults_a_colleague_cancels_then_completes_and_the_wallboard_follows(
    center, browser
):
    center.carrier.agents[ANN_PHONE] = SimAgent(keys="1")  # ann's home phone: she presses 1
    center.carrier.agents[BOB_PHONE] = SimAgent(keys="1", declines=True)  # bob is busy at first
    supervising, working, helping = new_context(browser), new_context(browser), new_context(browser)
    dashboard = sign_in(supervising, center, center.supervisor, "/dashboard")
    console = sign_in(working, center, center.agents["ann"][1], "/console")
    go_available(console)
    call_sid = center.carrier.place_call(from_=CALLER, to=NUMBER, digits="1")
    # Ann accepts by pressing 1 on her home phone, which rings with the offer (a click on the
    # console's Accept would race her phone: whichever comes first takes the offer).
    task = console.locator(f'.task[data-task="{call_sid}"]')
    expect(task.locator(".call-state")).to_have_text("Your phone: in-progress")

    colleague = sign_in(helping, center, center.agents["bob"][1], "/console")
    go_available(colleague)  # after ann took the call: it stays hers
    console.reload()  # bob is available now: among the targets
    task = console.locator(f'.task[data-task="{call_sid}"]')

    _consult_bob(task)  # bob's phone answers busy
    expect(task.locator(".error")).to_contain_text("Bob declined")
    expect(task.locator(".consult-box")).to_be_hidden()
    expect(task.get_by_role("button", name="Hold")).to_be_visible()  # the caller is back

    center.carrier.agents[BOB_PHONE] = SimAgent(keys="1", delay=1.0)
    _consult_bob(task)
    box = task.locator(".consult-box")
    expect(box).to_contain_text("Bob is on the line; your caller is on hold.")
    expect(task.get_by_role("button", name="Resume")).to_be_visible()  # caller on hold
    expect(task.locator(".transfer-controls")).to_be_hidden()
    expect(colleague.locator("#state")).to_have_text("busy")  # bob is on ann's call
    _shots(console, "console-consult-connected")
    task.get_by_role("button", name="Cancel consult").click()
    expect(box).to_be_hidden()
    expect(task.get_by_role("button", name="Hold")).to_be_visible()
    assert center.task(call_sid).agent_id == center.agents["ann"][0]
    expect(colleague.locator("#state")).to_have_text("idle")

    _consult_bob(task)
    expect(box).to_contain_text("Bob is on the line")
    task.get_by_role("button", name="Complete transfer").click()
    expect(console.locator(".task")).to_have_count(0)  # ann has left the call
    moved = colleague.locator(f'.task[data-task="{call_sid}"]')
    expect(moved.locator(".call-state")).to_have_text("Your phone: in-progress")
    expect(moved.get_by_role("button", name="Hang up")).to_be_visible()
    wait_until(lambda: center.task(call_sid).agent_id == center.agents["bob"][0],
               message="the call is bob's")  # fmt: skip
    bob_row = dashboard.locator(f'#agents tr[data-agent="{center.agents["bob"][0]}"]')
    ann_row = dashboard.locator(f'#agents tr[data-agent="{center.agents["ann"][0]}"]')
    expect(bob_row).to_contain_text(CALLER)
    expect(ann_row).not_to_contain_text(CALLER)
    expect(console.locator(".history-list")).to_contain_text("transferred")
    _shots(colleague, "console-after-warm-transfer")
    _shots(dashboard, "dashboard-after-warm-transfer")
    supervising.close()
    working.close()
    helping.close()
