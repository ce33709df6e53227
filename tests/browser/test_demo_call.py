"""A new user takes a call end to end in the living demo (`crowdline demo`, the `make run`
process, started here on a scratch instance): the simulated carrier plays the person's phone
too, so a call accepted in the console connects, and hold and mute show the carrier's truth."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.browser.live import fill_login

pytestmark = pytest.mark.browser
PASSWORD = "demo-pass-123456"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def demo_url(tmp_path, browser):
    """`crowdline demo` with no bots (every call comes to the person) and frequent callers."""
    port = _free_port()
    env = {**os.environ, "CROWDLINE_INSTANCE": str(tmp_path / "instance"),
           "CROWDLINE_PASSWORD": PASSWORD, "SECRET_KEY": "demo-test-secret-key-0123456789"}
    for name in ("DATABASE_URL", "REDIS_URL", "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN",
                 "CARRIER_URL", "PUBLIC_URL"):  # fmt: skip
        env.pop(name, None)
    command = [str(Path(sys.executable).with_name("crowdline")), "demo", "--port", str(port),
               "--bots", "0", "--calls-per-minute", "30", "--chats-per-minute", "0",
               "--patience", "36000", "--talk", "36000"]  # callers wait and talk for hours
    (tmp_path / "instance").mkdir()
    with open(tmp_path / "demo.log", "w") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            yield _listening(process, port, tmp_path / "demo.log")
        finally:
            process.terminate()
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(30)


def _listening(process, port: int, log: Path) -> str:
    deadline = time.monotonic() + 90
    while True:
        assert process.poll() is None, log.read_text()
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return f"http://127.0.0.1:{port}"
        except OSError:
            assert time.monotonic() < deadline, "the demo never listened"
            time.sleep(0.3)


def test_new_user_takes_a_call_end_to_end_in_the_demo(demo_url, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    console = context.new_page()
    fill_login(console, demo_url, "agent@demo.example.com", password=PASSWORD)
    console.goto(f"{demo_url}/console")
    expect(console.locator("#connection")).to_have_text("connected", timeout=30_000)
    console.get_by_label("Status", exact=True).select_option("available")
    console.get_by_role("button", name="Set status").click()
    expect(console.locator("#status")).to_have_text("available", timeout=30_000)

    offer = console.get_by_role("dialog", name="Incoming offer")
    expect(offer).to_contain_text("Incoming call", timeout=60_000)
    offer.get_by_role("button", name="Accept (A)").click()
    task = console.locator(".task").first
    expect(task.locator(".task-state")).to_have_text("assigned", timeout=30_000)
    expect(task.locator(".call-state")).to_have_text("Your phone: in-progress", timeout=30_000)
    expect(task.locator(".talk-timer")).to_have_text(re.compile(r"^\d+:\d\d$"))
    task.get_by_role("button", name="Hold").click()
    expect(task.get_by_role("button", name="Resume")).to_be_visible()
    task.get_by_role("button", name="Mute", exact=True).click()
    expect(task.get_by_role("button", name="Unmute")).to_be_visible()
    expect(task.locator(".error")).to_have_text("")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width in (1400, 390):
        console.set_viewport_size({"width": width, "height": 900})
        console.screenshot(path=str(ARTIFACTS / f"demo-call-connected-{width}.png"), full_page=True)
    console.set_viewport_size({"width": 1400, "height": 900})
    console.reload()  # the stored truth, as the carrier reported it
    expect(task.get_by_role("button", name="Resume")).to_be_visible(timeout=30_000)
    expect(task.get_by_role("button", name="Unmute")).to_be_visible()
    task.get_by_role("button", name="Resume").click()
    expect(task.get_by_role("button", name="Hold")).to_be_visible()

    task.get_by_role("button", name="Hang up").click()
    expect(task.locator(".task-state")).to_have_text("wrapping", timeout=30_000)
    task.get_by_label("Disposition").select_option(index=0)
    task.get_by_role("button", name="Finish wrap-up").click()
    expect(console.locator("#day-contacts")).to_have_text("1", timeout=30_000)
    context.close()
