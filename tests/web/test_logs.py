"""Structured logs: JSON lines (LOG_FORMAT=json) carry the task they concern, in the web process
(webhooks, socket events), the channel reactor and the engine — also a separate engine process —
so one contact can be traced across processes; a bad LOG_FORMAT stops start-up."""

from __future__ import annotations

import io
import json
import logging
import time

import pytest
from click.testing import CliRunner

from channels import entry_points
from crowdline.cli import cli
from crowdline.logs import setup_logging
from dispatcher import commands
from dispatcher.core.codec import encode
from dispatcher.core.model import Queue
from tests.channels.conftest import center, twilio_settings  # noqa: F401  (fixtures)
from tests.channels.helpers import NUMBER, signed_post
from tests.factories import make_program
from tests.integration.conftest import fresh_db  # noqa: F401
from tests.system_helpers import OutputWatcher, start_crowdline
from tests.waiting import wait_until
from web.app import create_app
from web.realtime import writes

FIELDS = {"time", "level", "logger", "process", "pid", "thread", "message"}


class Captured:
    def __init__(self, stream: io.StringIO) -> None:
        self.stream = stream

    def lines(self) -> list[dict]:
        return [json.loads(line) for line in self.stream.getvalue().splitlines()]

    def of_task(self, task_id: str) -> list[dict]:
        return [line for line in self.lines() if line.get("task_id") == task_id]


@pytest.fixture
def restore_logging():
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    logging.getLogger("apscheduler").setLevel(logging.NOTSET)


@pytest.fixture
def json_logs(settings, restore_logging):
    stream = io.StringIO()
    setup_logging(settings.with_(log_format="json"), process="web", stream=stream)
    return Captured(stream)


def test_json_lines_of_a_call_carry_its_task_id_in_webhooks_reactor_and_engine(center, json_logs):  # noqa: F811
    center.command("register_agent", agent_id="nophone", queues={"claims": 1})
    center.command("set_status", agent_id="nophone", status="available")
    call_sid = center.carrier.place_call(from_="+15557770001", to=NUMBER, digits="1")

    def reactor_could_not_ring():
        lines = json_logs.of_task(call_sid)
        return [line for line in lines if line["logger"] == "channels.reactor"]

    warning = wait_until(reactor_could_not_ring)[0]
    assert warning["level"] == "WARNING" and "cannot ring agent nophone" in warning["message"]
    wait_until(
        lambda: any("ReservationRejected" in x["message"] for x in json_logs.of_task(call_sid))
    )
    lines = json_logs.of_task(call_sid)
    assert all(set(line) >= FIELDS and line["process"] == "web" for line in lines)
    webhooks = [x["message"] for x in lines if x["logger"] == "web.twilio.requests"]
    assert "POST /twilio/voice/incoming -> 200" in webhooks
    assert "POST /twilio/voice/menu -> 200" in webhooks
    decisions = [x["message"].split()[0] for x in lines if x["logger"] == "dispatcher.events"]
    assert decisions[:3] == ["TaskCreated", "ReservationCreated", "ReservationRejected"]


def test_a_refused_webhook_is_logged_with_the_task_it_claims(center, json_logs):  # noqa: F811
    call_sid = "CA" + "f" * 32
    client = center.app.test_client()
    unknown = signed_post(
        client, "/twilio/voice/menu", {"CallSid": call_sid}, token=center.carrier.auth_token
    )
    assert unknown.status_code == 200
    forged = client.post("/twilio/voice/incoming", data={"CallSid": call_sid, "To": NUMBER})
    assert forged.status_code == 403
    messages = [(x["level"], x["message"]) for x in json_logs.of_task(call_sid)]
    assert ("WARNING", f"menu answer for unknown call {call_sid}") in messages
    assert any(level == "WARNING" and "bad signature" in m for level, m in messages)
    assert ("INFO", "POST /twilio/voice/incoming -> 403") in messages


def test_socket_events_that_name_a_task_log_with_it(app, json_logs):
    @writes
    def on_reply(_namespace, data=None):
        logging.getLogger("web.console.namespace").warning("reply refused")

    with app.test_request_context():
        on_reply(None, {"task_id": "WC42", "body": "hello"})
        on_reply(None, {"task_id": "two\nlines"})  # not a task id: not trusted into the log
        on_reply(None, "not a dict")
    lines = [x for x in json_logs.lines() if x["message"] == "reply refused"]
    assert [x.get("task_id") for x in lines] == ["WC42", None, None]


def test_text_lines_name_the_process_and_the_task(settings, restore_logging):
    stream = io.StringIO()
    setup_logging(settings, process="engine", stream=stream)
    from dispatcher.telemetry import task_scope

    with task_scope("CA123"):
        logging.getLogger("dispatcher.events").info("TaskCreated queue_id=claims")
    logging.getLogger("dispatcher.runner").warning("lease lost")
    first, second = stream.getvalue().splitlines()
    assert " INFO engine[" in first
    assert first.endswith("dispatcher.events [task CA123]: TaskCreated queue_id=claims")
    assert second.endswith("dispatcher.runner: lease lost")


def test_one_call_is_traced_by_its_task_id_across_the_web_and_engine_processes(
    fresh_db,  # noqa: F811
    twilio_settings,  # noqa: F811
    json_logs,
    monkeypatch,
):
    db, sessions = fresh_db
    url = db.url.render_as_string(hide_password=False)
    with sessions.begin() as session:
        make_program(session, code="acme", name="Acme Insurance")
        entry_points.save(session=session, address=NUMBER, program_code="acme", queue_id="claims")
        payload = {"queue": encode(Queue("claims", program="acme"))}
        commands.submit(session, "configure_queue", payload, now=time.time())
    monkeypatch.setenv("LOG_FORMAT", "json")
    engine = start_crowdline(["engine", "--no-channels"], url)
    output = OutputWatcher(engine)
    try:
        output.wait_for("engine active")
        app = create_app(twilio_settings.with_(database_url=url), session_factory=sessions)
        call_sid = "CA" + "7" * 32
        params = {"CallSid": call_sid, "To": NUMBER, "From": "+15557770002"}
        answer = signed_post(app.test_client(), "/twilio/voice/incoming", params, token=_token(app))
        assert answer.status_code == 200
        engine_line = output.wait_for(f'"task_id": "{call_sid}"')
        assert engine_line
    finally:
        engine.terminate()
        engine.wait(60)
    engine_lines = [json.loads(line) for _at, line in output.lines if line.startswith("{")]
    traced = [x for x in engine_lines if x.get("task_id") == call_sid]
    assert traced[0]["process"] == "engine" and traced[0]["logger"] == "dispatcher.events"
    assert traced[0]["message"].startswith("TaskCreated queue_id=claims")
    assert all(set(x) >= FIELDS for x in engine_lines)
    web = json_logs.of_task(call_sid)
    assert [x["message"] for x in web] == ["POST /twilio/voice/incoming -> 200"]
    assert web[0]["pid"] != traced[0]["pid"]


def _token(app) -> str:
    from channels.signing import webhook_token

    return webhook_token(None, app.config["CROWDLINE_SETTINGS"].secret_key)


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"LOG_FORMAT": "yaml"}, "LOG_FORMAT"),
        ({"LOG_LEVEL": "loud"}, "LOG_LEVEL"),
        ({"METRICS_TOKEN": "short"}, "METRICS_TOKEN"),
    ],
)
def test_bad_logging_or_metrics_setting_stops_start_up_naming_the_variable(tmp_path, env, variable):
    base = {"CROWDLINE_INSTANCE": str(tmp_path / "instance")}
    base |= dict.fromkeys(
        ("DATABASE_URL", "SECRET_KEY", "REDIS_URL", "PUBLIC_URL", "TWILIO_ACCOUNT_SID",
         "TWILIO_AUTH_TOKEN", "CARRIER_URL", "PRESENCE_GRACE_SECONDS", "LOG_FORMAT", "LOG_LEVEL",
         "METRICS_TOKEN"),
        "",
    )  # fmt: skip
    for command in (["run"], ["engine"]):
        result = CliRunner().invoke(cli, command, env={**base, **env})
        assert result.exit_code == 2, result.output
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert len(lines) == 1, result.output
        assert lines[0].startswith(f"crowdline: configuration error: {variable}:")
        assert "Traceback" not in result.output
