"""SIGTERM or SIGINT stops `crowdline engine` and `crowdline run` gracefully: the current step
is finished, the lease released (a standby takes over), sockets closed, logs flushed, exit 0.
The takeover time is measured by `crowdline bench takeover`, never asserted here."""

from __future__ import annotations

import signal
import socket
import threading
import time
import urllib.request

import pytest
import socketio as socketio_client
from sqlalchemy import func, select

from dispatcher import commands
from dispatcher.core.codec import encode
from dispatcher.core.model import Queue
from dispatcher.lease import lease_for
from dispatcher.tables import RoutingCommand
from tests import databases
from tests.system_helpers import OutputWatcher, start_crowdline

STOP_SIGNALS = [signal.SIGTERM, signal.SIGINT]


def _submit(sessions, *items) -> list[int]:
    with sessions.begin() as session:
        return [commands.submit(session, kind, payload, now=time.time()) for kind, payload in items]


def _setup(sessions) -> None:
    items = [("configure_queue", {"queue": encode(Queue("q", reservation_timeout=30))})]
    for n in range(4):
        items += [
            ("register_agent", {"agent_id": f"a{n}", "queues": {"q": 1}}),
            ("set_status", {"agent_id": f"a{n}", "status": "available"}),
        ]
    _submit(sessions, *items)


def _undecided(sessions) -> int:
    with sessions() as session:
        return session.scalar(
            select(func.count()).select_from(RoutingCommand).where(RoutingCommand.done_at.is_(None))
        )


def _stop(process, watcher) -> None:
    if process.poll() is None:
        process.kill()
        process.wait(30)
    watcher.join()


@pytest.mark.parametrize("signum", STOP_SIGNALS, ids=lambda s: signal.Signals(s).name)
def test_a_stopped_engine_exits_0_releasing_the_lease_and_the_standby_takes_over(
    fresh_db, signum
):
    if databases.suite_backend() != "postgresql":
        pytest.skip("a standby needs the PostgreSQL lease (CROWDLINE_TEST_DATABASE=postgresql)")
    db, sessions = fresh_db
    url = db.url.render_as_string(hide_password=False)
    _setup(sessions)
    first = start_crowdline(["engine", "--no-channels"], url)
    first_out = OutputWatcher(first)
    try:
        first_out.wait_for("engine active", timeout=60)  # before the standby exists: it wins
    except AssertionError:
        _stop(first, first_out)
        raise
    second = start_crowdline(["engine", "--no-channels"], url)
    second_out = OutputWatcher(second)
    try:
        second_out.wait_for("waiting for the lease", timeout=60)
        for n in range(20):  # commands in flight while the signal arrives
            _submit(sessions, ("enqueue", {"task_id": f"t{n}", "queue_id": "q"}))
        first.send_signal(signum)
        signalled_at = time.monotonic()
        assert first.wait(60) == 0
        first_out.join()
        assert second_out.wait_for("engine active", timeout=60) > signalled_at
        probe = _submit(sessions, ("enqueue", {"task_id": "probe", "queue_id": "q"}))[0]
        done, error = commands.wait_for(sessions, probe, timeout=60)
        assert done and error is None
    finally:
        _stop(first, first_out)
        second.terminate()
        assert second.wait(60) == 0
        _stop(second, second_out)
    lines = [line for _at, line in first_out.lines]
    assert any(f"{signal.Signals(signum).name} received" in line for line in lines), lines
    assert any("engine stopped; lease released" in line for line in lines), lines
    assert not any("Traceback" in line for line in lines), lines
    assert _undecided(sessions) == 0


@pytest.mark.parametrize("signum", STOP_SIGNALS, ids=lambda s: signal.Signals(s).name)
def test_a_stopped_web_process_closes_its_sockets_releases_the_lease_and_exits_0(
    fresh_db, signum
):
    db, sessions = fresh_db
    _setup(sessions)
    port = _free_port()
    process = start_crowdline(
        ["run", "--port", str(port)], db.url.render_as_string(hide_password=False)
    )
    output = OutputWatcher(process)
    customer = socketio_client.Client(reconnection=False)
    gone = threading.Event()
    customer.on("disconnect", lambda *_: gone.set(), namespace="/chat")
    try:
        output.wait_for("Crowdline is running", timeout=60)
        _wait_for_health(port)
        customer.connect(f"http://127.0.0.1:{port}", namespaces=["/chat"], wait_timeout=30)
        probe = _submit(sessions, ("enqueue", {"task_id": "before-stop", "queue_id": "q"}))[0]
        assert commands.wait_for(sessions, probe, timeout=60) == (True, None)
        process.send_signal(signum)
        assert process.wait(60) == 0
        assert gone.wait(30), "the customer's socket was not closed"
    finally:
        customer.disconnect()
        _stop(process, output)
    lines = [line for _at, line in output.lines]
    assert any("stopped (1 socket connections closed)" in line for line in lines), lines
    assert any("engine stopped; lease released" in line for line in lines), lines
    assert not any("Traceback" in line for line in lines), lines
    lease = lease_for(db)
    assert lease.try_acquire(), "the engine lease was not released"
    lease.release()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_health(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"port {port} did not answer /healthz within {timeout}s")
