"""Sign-ins and command submissions keep working while the engine thread commits beside the
web server (the embedded default): no "database is locked" failures."""

from __future__ import annotations

import re
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from http.cookiejar import CookieJar
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

import database.engine
from crowdline import wiring
from dispatcher import commands
from dispatcher.core.codec import encode
from dispatcher.core.model import Queue
from dispatcher.runner import EngineRunner
from dispatcher.tables import RoutingCommand
from tests import databases
from tests.factories import PASSWORD, make_user
from tests.waiting import PATIENCE, wait_until
from tests.web_client import csrf_token, login
from web.app import create_app
from web.extensions import limiter

sqlite_only = pytest.mark.skipif(
    databases.suite_backend() != "sqlite", reason="SQLite's one-writer locking"
)


def _sign_in(base: str, email: str) -> str:
    """Where the browser lands after signing in (the roster for a supervisor), or the error."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    html = opener.open(f"{base}/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    data = urlencode({"email": email, "password": PASSWORD, "csrf_token": token}).encode()
    try:
        with opener.open(f"{base}/login", data=data) as response:
            return response.url.removeprefix(base)
    except urllib.error.HTTPError as error:
        return f"HTTP {error.code}"


def test_sign_ins_and_commands_succeed_while_the_engine_commits(fresh_db, settings):
    db, sessions = fresh_db
    with sessions.begin() as session:
        email = make_user(session, "supervisor").email
        commands.submit(session, "configure_queue", {"queue": encode(Queue("q"))}, now=time.time())
    app = create_app(
        settings.with_(
            login_limit_per_address="1000 per minute", login_limit_per_account="1000 per minute"
        ),
        session_factory=sessions,
    )
    limiter.reset()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    runner = EngineRunner(db, poll=0.05, projections=wiring.domain_projections()).start()
    stop, failures, submitted = threading.Event(), [], []

    def submit_forever(prefix: str) -> None:
        n = 0
        while not stop.is_set():
            try:
                with sessions.begin() as session:
                    submitted.append(
                        commands.submit(
                            session,
                            "enqueue",
                            {"task_id": f"{prefix}{n}", "queue_id": "q"},
                            now=time.time(),
                        )
                    )
            except Exception as error:  # any failure is the bug this test guards against
                failures.append(repr(error))
            n += 1

    workers = [threading.Thread(target=submit_forever, args=(p,)) for p in ("a", "b")]
    for worker in workers:
        worker.start()
    statuses = []
    try:
        try:
            for _ in range(15):
                # Each sign-in overlaps fresh submissions (and the engine deciding them),
                # however slowly a loaded machine runs the threads: one more, never a rate.
                before = len(submitted) + len(failures)
                wait_until(lambda n=before: len(submitted) + len(failures) > n,
                           message="a submission between two sign-ins")  # fmt: skip
                statuses.append(_sign_in(f"http://127.0.0.1:{server.server_port}", email))
        finally:
            stop.set()
            for worker in workers:
                worker.join(PATIENCE)
        assert failures == []
        assert statuses == ["/dashboard"] * 15
        # The engine decided every one of them, in order: the last one too.
        done, error = commands.wait_for(sessions, submitted[-1], timeout=PATIENCE)
        assert done and error is None
    finally:
        runner.stop()
        server.shutdown()


@contextmanager
def writer_holding(sessions):
    """Another thread of this process in the middle of a write transaction until released."""
    began, release = threading.Event(), threading.Event()

    def write():
        with sessions.begin() as session:
            session.execute(select(func.count()).select_from(RoutingCommand))
            began.set()
            release.wait(PATIENCE)

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    assert began.wait(PATIENCE)
    try:
        yield
    finally:
        release.set()
        thread.join(PATIENCE)


@sqlite_only
def test_pages_are_read_while_another_thread_writes(fresh_db, settings):
    """A GET reads the last commit without waiting for the writer (it would otherwise queue
    behind every engine step and status change, and fail with "database is locked")."""
    _db, sessions = fresh_db
    with sessions.begin() as session:
        email = make_user(session, "supervisor").email
    app = create_app(settings, session_factory=sessions)
    limiter.reset()
    client = app.test_client()
    assert login(client, email).status_code == 302
    with writer_holding(sessions):  # held until the pages answered
        assert client.get("/roster/").status_code == 200
        assert client.get("/api/v1/routing/queues").status_code == 200
        assert client.get("/roster/no-such-page").status_code == 404


@sqlite_only
def test_a_write_that_gets_no_turn_is_refused_with_a_page_never_a_500(
    fresh_db, settings, monkeypatch
):
    """No turn to write within the wait: 503 with Retry-After and the rendered error page
    (its layout reads the signed-in user without queueing); nothing is written."""
    _db, sessions = fresh_db
    with sessions.begin() as session:
        user = make_user(session, "supervisor")
        email, name = user.email, user.display_name
    app = create_app(settings, session_factory=sessions)
    limiter.reset()
    client = app.test_client()
    assert login(client, email).status_code == 302
    token = csrf_token(client, "/roster/new")
    monkeypatch.setattr(database.engine, "WRITER_WAIT_SECONDS", 0.2)
    with sessions() as session:
        before = session.scalar(select(func.count()).select_from(RoutingCommand))
    with writer_holding(sessions):
        api = client.post("/api/v1/routing/commands", headers={"X-CSRFToken": token},
                          json={"kind": "set_status",
                                "payload": {"agent_id": "1", "status": "break"}})  # fmt: skip
        page = client.post("/roster/new", data={"csrf_token": token, "email": "x@example.com"})
    assert api.status_code == 503 and api.headers["Retry-After"]
    assert "briefly unavailable" in api.get_json()["error"]
    assert page.status_code == 503 and page.headers["Retry-After"]
    html = page.get_data(as_text=True)
    assert "<html" in html and name in html and "briefly unavailable" in html
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(RoutingCommand)) == before
