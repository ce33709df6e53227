"""Hostile input — integers past 64 bits, JSON nested ~990 deep, lone surrogates — gets a 4xx
naming the field, never a 500, and writes nothing. One guard covers every JSON body and every
socket event; declared bounds cover ids in query strings."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from agents.models import Agent, AuditEntry, Program, User
from channels import entry_points
from channels.models import Contact, TranscriptMessage
from dispatcher.tables import RoutingCommand, RoutingQueue
from tests.web_client import csrf_token
from training.models import Attempt, Enrolment
from web.app import create_app
from web.extensions import limiter, socketio

HUGE = 99999999999999999999999
MODELS = (User, Agent, Program, AuditEntry, Attempt, Enrolment, RoutingCommand)


def _counts(session) -> tuple[int, ...]:
    session.expire_all()
    return tuple(session.scalar(select(func.count()).select_from(model)) for model in MODELS)


@pytest.fixture(autouse=True)
def claims_queue(db_session):
    db_session.add(RoutingQueue(queue_id="claims", program="acme-claims", data={}))
    db_session.commit()


def _api(as_role, role):
    client = as_role(role)
    client.environ_base["HTTP_X_CSRFTOKEN"] = csrf_token(
        client, "/me" if role == "agent" else "/roster/new"
    )
    return client


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def _deep_list(depth: int) -> list:
    value: list = []
    for _ in range(depth):
        value = [value]
    return value


def _assert_refused(response, field):
    assert 400 <= response.status_code < 500, (
        response.status_code,
        response.get_data(as_text=True),
    )
    payload = response.get_json()
    assert field in payload.get("fields", {}), payload


@pytest.mark.parametrize(
    ("role", "path", "body", "field"),
    [
        ("agent", "/api/v1/attempts", {"module_id": HUGE}, "module_id"),
        ("agent", "/api/v1/enrolments", {"course_id": HUGE}, "course_id"),
        ("agent", "/api/v1/attempts", {"module_id": 2**40}, "module_id"),
        ("admin", "/api/v1/tokens", {"name": "x", "user_id": -HUGE}, "user_id"),
    ],
)
def test_integers_past_the_database_range_in_a_body_are_named(
    as_role, db_session, users, role, path, body, field
):
    client = _api(as_role, role)
    before = _counts(db_session)
    _assert_refused(client.post(path, json=body), field)
    assert _counts(db_session) == before


@pytest.mark.parametrize(
    ("path", "field"),
    [
        (f"/api/v1/certifications?course_id={HUGE}&agent_id=1", "course_id"),
        (f"/api/v1/certifications?course_id=1&agent_id={HUGE}", "agent_id"),
        (f"/api/v1/enrolments?agent_id={HUGE}", "agent_id"),
        (f"/api/v1/attempts?agent_id={HUGE}", "agent_id"),
        (f"/api/v1/attempts?agent_id={2**40}", "agent_id"),
    ],
)
def test_integers_past_the_database_range_in_a_query_are_named(as_role, users, path, field):
    _assert_refused(_api(as_role, "admin").get(path), field)


@pytest.mark.parametrize(
    ("role", "method", "path", "field"),
    [
        ("agent", "patch", "/api/v1/me", "display_name"),
        ("admin", "put", "/api/v1/queues/claims/dispositions", "codes"),
        ("admin", "post", "/api/v1/routing/commands", "payload"),
    ],
)
def test_json_nested_990_deep_is_refused_naming_the_field(
    as_role, db_session, users, role, method, path, field
):
    client = _api(as_role, role)
    before = _counts(db_session)
    body = f'{{"{field}": {_nested(990)}}}'
    response = getattr(client, method)(path, data=body, content_type="application/json")
    _assert_refused(response, field)
    assert "deep" in response.get_json()["fields"][field]
    assert _counts(db_session) == before


def test_json_nested_past_the_parsers_own_limit_is_refused_without_parsing(as_role, users):
    client = _api(as_role, "agent")
    body = f'{{"display_name": {_nested(100_000)}}}'
    response = client.patch("/api/v1/me", data=body, content_type="application/json")
    _assert_refused(response, "display_name")
    bare = client.patch("/api/v1/me", data=_nested(5_000), content_type="application/json")
    _assert_refused(bare, "body")


@pytest.mark.parametrize("escape", ["\\ud800", "\\udcff", "a\\udbff", "\\udfffz"])
def test_a_lone_surrogate_in_a_body_is_named_and_nothing_is_saved(
    as_role, db_session, users, escape
):
    client = _api(as_role, "agent")
    before = _counts(db_session)
    body = f'{{"display_name": "{escape}"}}'
    response = client.patch("/api/v1/me", data=body, content_type="application/json")
    _assert_refused(response, "display_name")
    assert "surrogate" in response.get_json()["fields"]["display_name"]
    assert _counts(db_session) == before
    db_session.expire_all()
    assert db_session.get(User, users["agent"].id).display_name == users["agent"].display_name


def test_a_lone_surrogate_in_a_key_or_a_nested_list_names_its_path(as_role, users):
    client = _api(as_role, "admin")
    body = '{"codes": [{"code": "ok", "label": "x\\ud800"}]}'
    response = client.put(
        "/api/v1/queues/claims/dispositions", data=body, content_type="application/json"
    )
    _assert_refused(response, "codes.0.label")
    keyed = client.post(
        "/api/v1/routing/commands",
        data='{"kind": "cancel", "payload": {"\\ud800": 1}}',
        content_type="application/json",
    )
    _assert_refused(keyed, "payload")


def test_a_properly_paired_surrogate_escape_is_an_ordinary_character(as_role, db_session, users):
    client = _api(as_role, "agent")
    body = '{"display_name": "Ann \\ud83d\\ude00"}'
    response = client.patch("/api/v1/me", data=body, content_type="application/json")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["display_name"] == "Ann \U0001f600"


@pytest.fixture
def app(settings, session_factory):
    """Socket.IO test clients refuse a message queue left in the shared SocketIO's options by
    an earlier app made with REDIS_URL (see tests/web/test_console.py)."""
    socketio.server_options.pop("client_manager", None)
    made = create_app(settings, session_factory=session_factory)
    limiter.reset()
    return made


@pytest.fixture
def widget(db_session, program):
    entry_points.save(
        session=db_session, address="web:default", program_code=program.code, queue_id="claims"
    )
    db_session.commit()


def _chat_rows(session) -> tuple[int, ...]:
    session.expire_all()
    return tuple(
        session.scalar(select(func.count()).select_from(model))
        for model in (Contact, TranscriptMessage, RoutingCommand)
    )


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"entry": "default", "name": "\udcff"}, "name"),
        ({"entry": "default", "name": "Dana", "body": "hi \ud800 there"}, "body"),
        ({"entry": "default", "name": "Dana", "extra": _deep_list(40)}, "extra"),
        ({"entry": "default", "name": "Dana", "n": HUGE}, "n"),
    ],
)
def test_hostile_socket_events_are_refused_naming_the_field(app, db_session, widget, data, field):
    customer = socketio.test_client(app, namespace="/chat")
    before = _chat_rows(db_session)
    answer = customer.emit("start", data, namespace="/chat", callback=True)
    assert answer["ok"] is False and field in answer["fields"], answer
    assert _chat_rows(db_session) == before
    customer.disconnect(namespace="/chat")


def test_a_lone_surrogate_in_a_chat_message_is_refused_and_the_chat_goes_on(
    app, db_session, widget
):
    customer = socketio.test_client(app, namespace="/chat")
    started = customer.emit("start", {"entry": "default", "name": "Dana"}, namespace="/chat",
                            callback=True)  # fmt: skip
    assert started["ok"], started
    before = _chat_rows(db_session)
    refused = customer.emit("send_message", {"token": started["token"], "body": "\udcff"},
                            namespace="/chat", callback=True)  # fmt: skip
    assert refused["ok"] is False and "body" in refused["fields"], refused
    assert _chat_rows(db_session) == before
    sent = customer.emit("send_message", {"token": started["token"], "body": "still here"},
                         namespace="/chat", callback=True)  # fmt: skip
    assert sent["ok"], sent
    customer.disconnect(namespace="/chat")
