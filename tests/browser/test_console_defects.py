"""The console's defects of issue 11, each as an agent meets it in a real browser on a live
contact center (tests/browser/live.py): typing while offers arrive, my day while idle, one
offer at a time and the pause notice, a chat lost with the console."""

from __future__ import annotations

import threading
import time

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from dispatcher.tables import RoutingReservation, RoutingTask
from tests.browser.live import (
    accept_chat,
    configure_queue,
    go_available,
    new_context,
    screenshots,
    sign_in,
)
from tests.waiting import wait_until
from web.realtime import push_to_agent

pytestmark = pytest.mark.browser
REPLY = ("Thank you for waiting, Dana. I can see your claim 4471-B was approved this morning; "
         "the payment of 812.40 dollars leaves today and reaches your account in 2 to 3 "
         "business days. Is there anything else?")  # fmt: skip
assert len(REPLY) == 200


def _reservations(center, agent: str) -> dict[str, str]:
    with center.sessions() as session:
        rows = session.execute(
            select(RoutingReservation.reservation_id, RoutingReservation.state)
            .where(RoutingReservation.agent_id == center.agents[agent][0])
        ).all()  # fmt: skip
    return dict(rows)


def test_typing_a_reply_while_offers_arrive_keeps_every_key_and_answers_no_offer(center, browser):
    """200 characters, a key every 60 ms, while offers arrive (several at once: the queue
    offers concurrently) and pushes make the console re-read its state: the text is intact,
    the reply box kept focus, no offer changed state; the draft survives a reload."""
    configure_queue(center, "claims", reservation_timeout=900.0, concurrent_offers=True)
    configure_queue(center, "web", reservation_timeout=900.0)
    working = new_context(browser)
    console = sign_in(working, center, center.agents["ann"][1], "/console")
    go_available(console)
    customer, _widget, task = accept_chat(console, center, "Dana")
    ann = center.agents["ann"][0]
    before = _reservations(center, "ann")

    stop = threading.Event()

    def traffic():
        n = 0
        while not stop.is_set():
            if n < 4:  # API tasks: offered without ringing any phone (nothing can answer them)
                center.command("enqueue", task_id=f"typing-{n}", queue_id="claims",
                               channel="sms" if n else "voice")  # fmt: skip
            push_to_agent(ann, "offer", {})  # every push makes the console refresh
            n += 1
            stop.wait(0.4)

    pusher = threading.Thread(target=traffic, daemon=True)
    pusher.start()
    try:
        task.get_by_label("Reply").press_sequentially(REPLY, delay=60)
    finally:
        stop.set()
        pusher.join(30)
    # they did arrive meanwhile: a call (voice capacity 1) and three SMS (capacity 3)
    expect(console.locator(".offer")).to_have_count(4)
    expect(task.get_by_label("Reply")).to_have_value(REPLY)
    expect(task.get_by_label("Reply")).to_be_focused()
    offered = {rid: state for rid, state in _reservations(center, "ann").items()
               if rid not in before}  # fmt: skip
    assert sorted(offered.values()) == ["pending"] * 4, offered
    with center.sessions() as session:
        assigned = session.scalars(select(RoutingTask.task_id).where(
            RoutingTask.agent_id == ann, RoutingTask.state == "assigned")).all()  # fmt: skip
    assert len(assigned) == 1  # only the chat ann chose
    screenshots(console, "console-typing")

    console.reload()
    expect(console.locator("#connection")).to_have_text("connected")
    expect(console.locator(".task").get_by_label("Reply")).to_have_value(REPLY)
    console.locator(".task").get_by_role("button", name="Send").click()
    expect(console.locator(".task .transcript")).to_contain_text("the payment of 812.40")
    console.reload()  # sent: the draft is gone
    expect(console.locator("#connection")).to_have_text("connected")
    expect(console.locator(".task .transcript")).to_contain_text("the payment of 812.40")
    expect(console.locator(".task").get_by_label("Reply")).to_have_value("")
    customer.close()
    working.close()


def test_shortcuts_do_not_fire_from_keys_typed_into_a_field_that_went_away(center, browser):
    working = new_context(browser)
    console = sign_in(working, center, center.agents["ann"][1], "/console")
    go_available(console)
    customer, _widget, task = accept_chat(console, center, "Dana")
    configure_queue(center, "claims", reservation_timeout=900.0)
    center.command("enqueue", task_id="shortcut-1", queue_id="claims", channel="voice")
    push_to_agent(center.agents["ann"][0], "offer", {})  # an API task pushes nothing itself
    expect(console.locator(".offer")).to_have_count(1, timeout=30_000)
    task.get_by_label("Reply").press_sequentially("I will check", delay=30)
    # The field loses focus mid-sentence (here: focus moved by a script); the rest of the
    # sentence — with its a's and r's — goes to the page and must not answer the offer.
    console.evaluate("document.activeElement.blur()")
    console.keyboard.type(" a r a r", delay=30)
    time.sleep(2)
    assert list(_reservations(center, "ann").values()).count("pending") == 1
    expect(console.locator(".offer")).to_have_count(1)
    time.sleep(1.6)  # the agent stopped typing: the shortcut works again, on purpose
    console.keyboard.press("r")
    expect(console.locator(".offer")).to_have_count(0)
    customer.close()
    working.close()


def test_my_day_does_not_move_while_the_agent_is_on_break(center, browser):
    """ann talks in two chats: one she ends, one is taken from her (transferred back to the
    queue); then she is on break for 60 s with no task: talk minutes and earnings stay put."""
    working = new_context(browser)
    console = sign_in(working, center, center.agents["ann"][1], "/console")
    go_available(console)
    first, _w1, task = accept_chat(console, center, "Dana")
    task.get_by_role("button", name="End chat").click()
    expect(task.locator(".task-state")).to_have_text("wrapping")
    task.get_by_role("button", name="Finish wrap-up").click()
    expect(console.locator(".task")).to_have_count(0)
    second, _w2, task = accept_chat(console, center, "Eve")
    task_id = task.get_attribute("data-task")
    time.sleep(3)  # some talk time
    center.command("transfer", task_id=task_id)  # taken from her: back to the queue
    expect(console.locator(".task")).to_have_count(0)
    console.get_by_label("Status", exact=True).select_option("break")
    console.get_by_label("Reason").select_option("lunch")
    console.get_by_role("button", name="Set status").click()
    expect(console.locator("#status")).to_have_text("break")
    expect(console.locator("#day-contacts")).to_have_text("1")
    console.reload()
    expect(console.locator("#connection")).to_have_text("connected")
    expect(console.locator("#day-contacts")).to_have_text("1")
    talk = console.locator("#day-talk").inner_text()
    earnings = console.locator("#day-earnings").inner_text()
    assert float(talk) > 0
    time.sleep(60)  # idle on break; the console re-reads every 15 s meanwhile
    console.reload()
    expect(console.locator("#connection")).to_have_text("connected")
    expect(console.locator("#day-contacts")).to_have_text("1")
    expect(console.locator("#day-talk")).to_have_text(talk)
    expect(console.locator("#day-earnings")).to_have_text(earnings)
    first.close()
    second.close()
    working.close()


def test_one_offer_at_a_time_and_a_paused_agent_is_told_why_and_resumes(center, browser):
    configure_queue(center, "claims", reservation_timeout=4.0)
    working = new_context(browser)
    console = sign_in(working, center, center.agents["ann"][1], "/console")
    expect(console.locator("#connection")).to_have_text("connected")
    for n in range(3):
        center.command("enqueue", task_id=f"one-{n}", queue_id="claims", channel="sms")
    go_available(console)
    expect(console.locator(".offer")).to_have_count(1, timeout=30_000)
    time.sleep(1)
    expect(console.locator(".offer")).to_have_count(1)  # the others wait their turn
    assert list(_reservations(center, "ann").values()) == ["pending"]
    # ann lets three offers go unanswered, one after the other: the engine pauses her
    expect(console.locator("#status")).to_have_text("paused", timeout=60_000)
    note = console.locator("#paused-note")
    expect(note).to_be_visible()
    expect(note).to_contain_text("3 offers in a row went unanswered")
    screenshots(console, "console-paused")
    note.get_by_role("button", name="Resume: go available").click()
    expect(console.locator("#status")).to_have_text("available")
    expect(note).to_be_hidden()
    working.close()


def test_chat_lost_with_the_console_goes_back_at_once_and_shows_in_the_agents_history(
    center, browser
):
    supervising, working = new_context(browser), new_context(browser)
    dashboard = sign_in(supervising, center, center.supervisor, "/dashboard")
    expect(dashboard.locator("#connection")).to_have_text("live")
    console = sign_in(working, center, center.agents["ann"][1], "/console")
    go_available(console)
    customer, _widget, task = accept_chat(console, center, "Dana")
    accepted = time.time()
    task_id = task.get_attribute("data-task")
    time.sleep(2)  # the chat has waited and talked a little
    console.close()  # the only console of ann is gone (grace: 1 s in this center)

    wait_until(lambda: center.task(task_id).state == "pending", message="the chat never went back")
    assert center.status_of("ann") == "offline"
    read = "async () => (await fetch('/dashboard/api/summary')).json()"
    for _ in ("requeued", "then moved by the supervisor"):
        summary = dashboard.evaluate(read)
        waiting = {w["task_id"]: w["waited"] for w in summary["waiting"]}
        # Waited counts from the customer's arrival (before `accepted`), not from the requeue
        # (more than 2 s after it) nor from the move.
        assert waiting[task_id] >= summary["now"] - accepted, waiting
        center.command("move", task_id=task_id, queue_id="claims")
        time.sleep(1)

    console = working.new_page()
    console.goto(f"{center.url}/console")
    expect(console.locator("#connection")).to_have_text("connected")
    item = console.locator(f'.history-list li[data-task="{task_id}"]')
    expect(item).to_contain_text("back to the queue: your console was closed")
    item.get_by_role("button", name="Transcript").click()
    expect(console.locator("#transcript-dialog")).to_contain_text("Where is my claim?")
    screenshots(console, "console-history")
    customer.close()
    supervising.close()
    working.close()
