"""Prometheus metrics: /metrics of a web process after real routing work on the real database,
who may read it, and the metrics port of a `crowdline engine` process."""

from __future__ import annotations

import socket
import time
import urllib.request

from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import func, select

from dispatcher import commands
from dispatcher.core.codec import encode
from dispatcher.core.model import Queue
from dispatcher.tables import RoutingTask
from tests.channels.conftest import center, twilio_settings  # noqa: F401  (fixtures)
from tests.channels.helpers import NUMBER
from tests.integration.conftest import fresh_db  # noqa: F401
from tests.system_helpers import OutputWatcher, start_crowdline
from tests.waiting import wait_until
from web.app import create_app
from web.extensions import socketio

TOKEN = "metrics-token-0123456789"


def parse(text: str) -> dict[tuple[str, tuple], float]:
    """{(sample name, sorted labels): value} of a text exposition."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def scrape(client, **kwargs) -> dict[tuple[str, tuple], float]:
    response = client.get("/metrics", **kwargs)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.content_type.startswith("text/plain")
    return parse(response.get_data(as_text=True))


def value(samples, name: str, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def delta(after, before, name: str, **labels) -> float:
    return value(after, name, **labels) - value(before, name, **labels)


def tasks_in_database(sessions, queue_id: str, state: str) -> int:
    with sessions() as session:
        return session.scalar(
            select(func.count())
            .select_from(RoutingTask)
            .where(RoutingTask.queue_id == queue_id, RoutingTask.state == state)
        )


def test_metrics_show_waiting_tasks_as_in_the_database_and_count_the_routing_work(center):  # noqa: F811
    client = center.app.test_client()
    before = scrape(client)
    calls = [
        center.carrier.place_call(from_=f"+1555777000{n}", to=NUMBER, digits="1") for n in (1, 2)
    ]
    wait_until(lambda: tasks_in_database(center.sessions, "claims", "pending") == 2)

    waiting = scrape(client)
    assert value(waiting, "crowdline_tasks_waiting", queue="claims") == 2
    assert value(waiting, "crowdline_tasks_waiting", queue="web") == 0  # listed, though empty
    assert value(waiting, "crowdline_database_up") == 1
    for endpoint in ("twilio.incoming_call", "twilio.menu_choice"):
        name = "crowdline_webhook_latency_seconds_count"
        assert delta(waiting, before, name, endpoint=endpoint) == 2
    assert delta(waiting, before, "crowdline_routing_decisions_total", kind="TaskCreated") == 2
    latency = "crowdline_decision_latency_seconds_count"
    assert delta(waiting, before, latency, command="enqueue") == 2
    done = "crowdline_routing_commands_total"
    assert value(waiting, done, command="enqueue", result="done") >= 2

    center.available("ann")  # ann is offered the oldest call and presses 1
    wait_until(lambda: tasks_in_database(center.sessions, "claims", "assigned") == 1)
    answered = scrape(client)
    assert value(answered, "crowdline_tasks_waiting", queue="claims") == 1
    assert tasks_in_database(center.sessions, "claims", "pending") == 1
    assert delta(answered, before, "crowdline_offers_total") >= 1
    assert delta(answered, before, "crowdline_routing_decisions_total", kind="TaskAssigned") == 1
    with center.sessions() as session:
        first = session.scalar(select(RoutingTask.state).where(RoutingTask.task_id == calls[0]))
    assert first == "assigned"  # oldest first: the one still waiting is the second call


def test_connected_sockets_are_counted_per_namespace(app, as_role):
    client = app.test_client()
    before = value(scrape(client), "crowdline_sockets_connected", namespace="/agent")
    agent = socketio.test_client(app, namespace="/agent", flask_test_client=as_role("agent"))
    supervisor = socketio.test_client(
        app, namespace="/supervisor", flask_test_client=as_role("supervisor")
    )
    assert agent.is_connected("/agent") and supervisor.is_connected("/supervisor")
    connected = scrape(client)
    assert value(connected, "crowdline_sockets_connected", namespace="/agent") == before + 1
    assert value(connected, "crowdline_sockets_connected", namespace="/supervisor") >= 1
    agent.disconnect(namespace="/agent")
    supervisor.disconnect(namespace="/supervisor")
    left = scrape(client)
    assert value(left, "crowdline_sockets_connected", namespace="/agent") == before


def test_without_a_token_metrics_are_readable_from_this_machine_only(client):
    assert client.get("/metrics").status_code == 200
    remote = client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.7"})
    assert remote.status_code == 403
    assert "METRICS_TOKEN" in remote.get_json()["error"]
    # A proxy on this machine forwards internet requests from 127.0.0.1: still refused.
    proxied = client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.7"})
    assert proxied.status_code == 403


def test_with_a_token_metrics_need_the_bearer_token_from_anywhere(settings, session_factory):
    app = create_app(settings.with_(metrics_token=TOKEN), session_factory=session_factory)
    client = app.test_client()
    remote = {"REMOTE_ADDR": "203.0.113.7"}
    assert client.get("/metrics").status_code == 401  # even from this machine
    wrong = client.get("/metrics", environ_base=remote, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and wrong.headers["WWW-Authenticate"].startswith("Bearer")
    good = {"Authorization": f"Bearer {TOKEN}", "X-Forwarded-For": "203.0.113.7"}
    samples = scrape(client, environ_base=remote, headers=good)
    assert value(samples, "crowdline_database_up") == 1


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _scrape_port(port: int) -> dict[tuple[str, tuple], float]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
        return parse(response.read().decode())


def test_the_engine_process_serves_its_metrics_on_the_metrics_port(fresh_db):  # noqa: F811
    db, sessions = fresh_db
    port = _free_port()
    process = start_crowdline(
        ["engine", "--no-channels", "--metrics-port", str(port)],
        db.url.render_as_string(hide_password=False),
    )
    output = OutputWatcher(process)
    try:
        output.wait_for("engine active")
        with sessions.begin() as session:
            for kind, payload in [
                ("configure_queue", {"queue": encode(Queue("claims"))}),
                ("enqueue", {"task_id": "T-metrics-1", "queue_id": "claims"}),
            ]:
                commands.submit(session, kind, payload, now=time.time())

        def engine_counted_the_task():
            samples = _scrape_port(port)
            created = value(samples, "crowdline_routing_decisions_total", kind="TaskCreated")
            return samples if created == 1 else None

        samples = wait_until(engine_counted_the_task)
        assert value(samples, "crowdline_tasks_waiting", queue="claims") == 1
        assert tasks_in_database(sessions, "claims", "pending") == 1
        assert value(samples, "crowdline_decision_latency_seconds_count", command="enqueue") == 1
        assert ("crowdline_sockets_connected", (("namespace", "/agent"),)) not in samples
    finally:
        process.terminate()
        process.wait(60)
