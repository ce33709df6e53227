"""A live server on 127.0.0.1 and the system Chromium driven by Playwright (no downloads)."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests import databases
from tests.browser.live import ARTIFACTS, center  # noqa: F401  (center: the live contact center)
from web.app import create_app
from web.extensions import limiter

CHROMIUM = os.environ.get("CROWDLINE_CHROMIUM", "/usr/bin/chromium")
# Milliseconds. Playwright's own defaults (5 s for expect) fail on a loaded machine where the
# live server, the engine thread and Chromium share two busy cores; a state that does arrive
# passes as soon as it does.
EXPECT_TIMEOUT_MS = 30_000


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if databases.services_required():
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=EXPECT_TIMEOUT_MS)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_database(tmp_path):
    """A database of its own, committed for real: the live server uses its own connections."""
    with databases.fresh_database(tmp_path) as (_engine, sessions):
        yield sessions


@pytest.fixture
def live_server(settings, browser_database):
    """The app served by a real threaded HTTP server on a free port."""
    app = create_app(settings, session_factory=browser_database)
    limiter.reset()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    yield page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()

