"""The console's and dashboard's JSON endpoints and namespaces, without a running engine:
presence bookkeeping, refusals with a reason, "my day" folded from the event log."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest

from channels.dispositions import DEFAULT_CODES, replace_codes
from channels.models import Contact, EntryPoint
from dispatcher.core.events import (
    ReservationAccepted,
    ReservationCreated,
    ReservationTimedOut,
    TaskAssigned,
    TaskCompleted,
    TaskTransferred,
    TaskWrapping,
)
from dispatcher.tables import RoutingQueue, RoutingTask
from tests.factories import log_events, make_program
from tests.web_client import csrf_token, login
from web.app import create_app
from web.console.presence import Presence
from web.extensions import limiter, socketio


@pytest.fixture
def app(settings, session_factory):
    """Socket.IO test clients refuse a message queue: an app made earlier in the session with
    REDIS_URL (tests/web/test_auth.py) leaves its Redis manager in the shared SocketIO's
    options, and create_app does not clear it."""
    socketio.server_options.pop("client_manager", None)
    app = create_app(settings, session_factory=session_factory)
    limiter.reset()
    return app


def test_agent_goes_due_for_offline_only_after_the_grace_period_with_no_socket_left():
    presence = Presence(grace=20.0)
    presence.connected("7", "sid-a")
    presence.connected("7", "sid-b")
    presence.disconnected("sid-a", now=100.0)
    assert presence.due(now=500.0) == []  # another console of theirs is still open
    presence.disconnected("sid-b", now=100.0)
    assert presence.due(now=119.0) == []
    assert presence.due(now=120.0) == ["7"]
    assert presence.due(now=121.0) == []  # reported once


def test_a_console_that_reconnects_within_the_grace_period_keeps_the_agent_signed_in():
    presence = Presence(grace=20.0)
    presence.connected("7", "sid-a")
    presence.disconnected("sid-a", now=100.0)
    presence.connected("7", "sid-b")
    assert presence.due(now=200.0) == []


def test_agent_console_socket_is_counted_and_its_departure_noted(app, as_role, users):
    agent = socketio.test_client(app, namespace="/agent", flask_test_client=as_role("agent"))
    assert agent.is_connected("/agent")
    presence = app.extensions["crowdline.presence"]
    agent.disconnect(namespace="/agent")
    assert presence.due(now=time.time() + presence.grace) == [str(users["agent"].agent.id)]


def test_only_supervisors_and_admins_join_the_supervisor_namespace(app, as_role):
    for role, allowed in (("agent", False), ("supervisor", True), ("admin", True)):
        client = socketio.test_client(app, namespace="/supervisor", flask_test_client=as_role(role))
        assert client.is_connected("/supervisor") is allowed, role
        if allowed:
            client.disconnect(namespace="/supervisor")
    anonymous = socketio.test_client(app, namespace="/supervisor")
    assert not anonymous.is_connected("/supervisor")


def _csrf(client) -> dict:
    import re

    html = client.get("/console").get_data(as_text=True)
    return {"X-CSRFToken": re.search(r'data-csrf="([^"]+)"', html).group(1)}


def test_status_and_reason_must_be_known_and_nothing_changes(as_role):
    client = as_role("agent")
    headers = _csrf(client)
    bad_reason = client.post("/console/api/status", json={"status": "break", "reason": "nap"},
                             headers=headers)  # fmt: skip
    assert bad_reason.status_code == 422
    assert bad_reason.json["fields"] == {"reason": bad_reason.json["error"]}
    assert "lunch" in bad_reason.json["error"]
    bad_status = client.post("/console/api/status", json={"status": "asleep"}, headers=headers)
    assert (bad_status.status_code, list(bad_status.json["fields"])) == (422, ["status"])


def test_agent_cannot_wrap_up_or_hang_up_a_task_that_is_not_theirs(as_role):
    client = as_role("agent")
    headers = _csrf(client)
    body = {"task_id": "someone-elses", "disposition": "resolved"}
    assert client.post("/console/api/wrap-up", json=body, headers=headers).status_code == 404
    assert client.post("/console/api/hang-up", json=body, headers=headers).status_code == 404
    missing = client.post("/console/api/hang-up", json={}, headers=headers)
    assert (missing.status_code, missing.json["error"]) == (422, "task_id: required")


def _log(session, *events):
    log_events(session, *events)
    session.commit()


def test_my_day_counts_contacts_talk_time_earnings_and_acceptance_from_the_event_log(
    app, db_session, users
):
    agent = users["agent"].agent
    agent.pay_rate_per_minute = Decimal("0.25")
    me, other = str(agent.id), "999"
    t = time.time() - 600
    _log(
        db_session,
        ReservationCreated(at=t, reservation_id="r1", task_id="a", agent_id=me, queue_id="q",
                           deadline=t + 15),
        ReservationTimedOut(at=t + 15, reservation_id="r1", task_id="a", agent_id=me),
        ReservationCreated(at=t + 20, reservation_id="r2", task_id="a", agent_id=me,
                           queue_id="q", deadline=t + 35),
        ReservationAccepted(at=t + 22, reservation_id="r2", task_id="a", agent_id=me),
        TaskAssigned(at=t + 22, task_id="a", agent_id=me, reservation_id="r2", queue_id="q",
                     waited=22.0),
        TaskAssigned(at=t + 22, task_id="b", agent_id=other, reservation_id="r3",
                     queue_id="q", waited=1.0),
        TaskWrapping(at=t + 262, task_id="a", agent_id=me, until=t + 292),
        TaskCompleted(at=t + 280, task_id="a", agent_id=me, queue_id="q"),
    )  # fmt: skip
    client = app.test_client()
    assert login(client, users["agent"].email).status_code == 302
    day = client.get("/console/api/my-day").json
    assert day == {
        "contacts": 1,
        "talk_seconds": 240,
        "talk_minutes": 4.0,
        "in_progress_minutes": 0.0,
        "pay_rate_per_minute": "0.2500",
        "earnings": "1.00",
        "offers": 2,
        "acceptance_rate": 0.5,
    }


def _my_day(app, users, now=None):
    client = app.test_client()
    assert login(client, users["agent"].email).status_code == 302
    return client.get("/console/api/my-day").json


def test_talk_time_stops_when_the_task_leaves_the_agent_and_does_not_grow_while_idle(
    app, db_session, users
):
    """A chat requeued when the console was lost (a transfer away) and a call transferred
    end the agent's talk at that instant; nothing grows afterwards, however long they idle."""
    agent = users["agent"].agent
    agent.pay_rate_per_minute = Decimal("0.30")
    me = str(agent.id)
    t = time.time() - 3600
    _log(
        db_session,
        TaskAssigned(at=t, task_id="chat", agent_id=me, reservation_id="r1", queue_id="q",
                     waited=1.0),
        TaskTransferred(at=t + 120, task_id="chat", from_agent=me, queue_id="q", to_agent=None),
        TaskAssigned(at=t + 200, task_id="call", agent_id=me, reservation_id="r2",
                     queue_id="q", waited=1.0),
        TaskTransferred(at=t + 260, task_id="call", from_agent=me, queue_id="q",
                        to_agent="999"),
        TaskAssigned(at=t + 270, task_id="call", agent_id="999", reservation_id="r3",
                     queue_id="q", waited=70.0),
    )  # fmt: skip
    first = _my_day(app, users)
    assert (first["talk_minutes"], first["earnings"]) == (3.0, "0.90")
    time.sleep(1.1)
    assert _my_day(app, users) == first


def test_a_conversation_going_on_now_shows_in_progress_and_is_paid_when_it_ends(
    app, db_session, users
):
    agent = users["agent"].agent
    agent.pay_rate_per_minute = Decimal("0.30")
    me = str(agent.id)
    _queue(db_session, "q")
    _my_task(db_session, agent, "live", "q", state="assigned")
    _log(db_session, TaskAssigned(at=time.time() - 120, task_id="live", agent_id=me,
                                  reservation_id="r1", queue_id="q", waited=1.0))  # fmt: skip
    day = _my_day(app, users)
    assert 2.0 <= day["in_progress_minutes"] < 2.5
    assert (day["talk_minutes"], day["earnings"]) == (0.0, "0.00")  # paid when it ends


def test_talk_time_and_earnings_of_a_short_call_are_counted_on_the_same_whole_seconds(
    app, db_session, users
):
    """Calls of 2.4 s and 0.4 s show 3 s of talk (0:03, never "0 min" beside money) and the
    ledger's pay: each entry rounded half up to the cent (2.4 s at 0.30 = 0.012 -> 0.01, 0.4 s
    -> 0.00), the total never rounded again."""
    agent = users["agent"].agent
    agent.pay_rate_per_minute = Decimal("0.30")
    me = str(agent.id)
    t = time.time() - 60
    _log(
        db_session,
        TaskAssigned(at=t, task_id="short", agent_id=me, reservation_id="r1", queue_id="q",
                     waited=1.0),
        TaskWrapping(at=t + 2.4, task_id="short", agent_id=me, until=t + 30),
        TaskAssigned(at=t + 10, task_id="blip", agent_id=me, reservation_id="r2", queue_id="q",
                     waited=1.0),
        TaskWrapping(at=t + 10.4, task_id="blip", agent_id=me, until=t + 40),
    )  # fmt: skip
    day = _my_day(app, users)
    assert (day["talk_seconds"], day["earnings"]) == (3, "0.01")


def test_fresh_agent_has_nothing_today(app, users):
    day = _my_day(app, users)
    assert (day["talk_minutes"], day["earnings"], day["contacts"]) == (0.0, "0.00", 0)


def test_dashboard_summary_is_served_to_supervisors_from_the_engines_tables(as_role):
    summary = as_role("supervisor").get("/dashboard/api/summary")
    assert summary.status_code == 200
    assert set(summary.json) == {"now", "occupancy", "queues", "alerts", "agents", "waiting",
                                 "intervals", "csat", "community"}  # fmt: skip


def _queue(session, queue_id: str) -> None:
    session.add(RoutingQueue(queue_id=queue_id, program="acme-claims", data={}))
    session.commit()


def _my_task(session, agent, task_id: str, queue_id: str, state: str = "completed", **contact):
    session.add(RoutingTask(task_id=task_id, queue_id=queue_id, state=state,
                            agent_id=str(agent.id), created_at=time.time(), data={}))  # fmt: skip
    if contact:
        session.add(Contact(task_id=task_id, queue_id=queue_id, agent_id=str(agent.id),
                            **contact))  # fmt: skip
    session.commit()


def test_queue_without_codes_uses_the_default_list_and_staff_replace_it(as_role, db_session,
                                                                      supervising):
    _queue(db_session, "claims")
    supervisor = as_role("supervisor")
    found = supervisor.get("/api/v1/queues/claims/dispositions").json
    assert found["default"] is True
    assert [c["code"] for c in found["codes"]] == [c for c, _ in DEFAULT_CODES]

    codes = {"codes": [{"code": "claim_filed", "label": "Claim filed", "conversion": True},
                       {"code": "no_policy"}]}  # fmt: skip
    saved = supervisor.put("/api/v1/queues/claims/dispositions", json=codes,
                           headers={"X-CSRFToken": csrf_token(supervisor, "/roster/")})  # fmt: skip
    assert saved.status_code == 200, saved.json
    assert saved.json == {
        "queue_id": "claims",
        "default": False,
        "codes": [
            {"code": "claim_filed", "label": "Claim filed", "conversion": True},
            {"code": "no_policy", "label": "No policy", "conversion": False},
        ],
    }
    assert as_role("admin").get("/api/v1/queues/claims/dispositions").json == saved.json


def test_bad_disposition_lists_are_refused_naming_the_field(as_role, db_session):
    _queue(db_session, "claims")
    admin = as_role("admin")
    headers = {"X-CSRFToken": csrf_token(admin, "/roster/")}
    put = lambda body, queue="claims": admin.put(  # noqa: E731
        f"/api/v1/queues/{queue}/dispositions", json=body, headers=headers
    )
    bad = put({"codes": [{"code": "Has Spaces"}]})
    assert bad.status_code == 422 and "codes.0.code" in bad.json["fields"]
    twice = put({"codes": [{"code": "a"}, {"code": "a"}]})
    assert (twice.status_code, list(twice.json["fields"])) == (422, ["codes.1.code"])
    unknown = put({"codes": []}, queue="nowhere")
    assert (unknown.status_code, unknown.json["fields"]) == (404, {"queue_id": "unknown"})
    assert admin.get("/api/v1/queues/claims/dispositions").json["default"] is True
    assert "/api/v1/queues/{queue_id}/dispositions" in admin.get("/api/openapi.json").json["paths"]


def test_wrap_up_accepts_only_the_codes_of_the_tasks_queue(as_role, db_session, users):
    _queue(db_session, "claims")
    replace_codes(session=db_session, queue_id="claims", codes=[("claim_filed", "Claim filed")])
    db_session.commit()
    agent = users["agent"].agent
    _my_task(db_session, agent, "CA1", "claims", channel="voice", customer="+15557770001")
    _my_task(db_session, agent, "CA2", "sales")
    client = as_role("agent")
    headers = _csrf(client)
    refused = client.post("/console/api/wrap-up", headers=headers,
                          json={"task_id": "CA1", "disposition": "resolved"})  # fmt: skip
    assert (refused.status_code, list(refused.json["fields"])) == (422, ["disposition"])
    assert "claim_filed" in refused.json["error"]
    done = client.post("/console/api/wrap-up", headers=headers,
                       json={"task_id": "CA1", "disposition": "claim_filed"})  # fmt: skip
    assert done.status_code == 200
    db_session.expire_all()
    assert db_session.get(Contact, "CA1").disposition == "claim_filed"
    default = client.post("/console/api/wrap-up", headers=headers,
                          json={"task_id": "CA2", "disposition": "resolved"})  # fmt: skip
    assert default.status_code == 200  # a queue with no codes takes the default list


def test_task_card_lists_the_customers_five_latest_earlier_contacts(as_role, db_session, users):
    from datetime import UTC, datetime, timedelta

    agent = users["agent"].agent
    program = agent.programs[0]
    other = make_program(db_session, code="other", name="Other program")
    entry = EntryPoint(address="+15550001000", program=program, queue_id="claims")
    elsewhere = EntryPoint(address="+15550002000", program=other, queue_id="x")
    db_session.add_all([entry, elsewhere])
    start = datetime(2026, 11, 1, 9, tzinfo=UTC)
    caller = "+15557770001"
    for n in range(7):
        at = start + timedelta(days=n)
        db_session.add(Contact(task_id=f"OLD{n}", channel="voice", customer=caller,
                               entry_point=entry, queue_id="claims", outcome="answered",
                               disposition="resolved", created_at=at))  # fmt: skip
    db_session.add(Contact(task_id="STRANGER", channel="voice", customer="+15550000000",
                           entry_point=entry, created_at=start))  # fmt: skip
    db_session.add(Contact(task_id="OTHERPROG", channel="voice", customer=caller,
                           entry_point=elsewhere, created_at=start))  # fmt: skip
    db_session.commit()
    _my_task(db_session, agent, "NOW", "claims", state="assigned", channel="voice",
             customer=caller, entry_point_id=entry.id)  # fmt: skip

    state = as_role("agent").get("/console/api/state").json
    past = state["tasks"][0]["past_contacts"]
    assert [p["task_id"] for p in past] == ["OLD6", "OLD5", "OLD4", "OLD3", "OLD2"]
    assert past[0] == {
        "task_id": "OLD6",
        "at": "2026-11-07T09:00:00+00:00",
        "channel": "voice",
        "queue_id": "claims",
        "outcome": "answered",
        "disposition": "resolved",
    }
    assert state["tasks"][0]["dispositions"][0] == {"code": "resolved", "label": "Resolved",
                                                      "conversion": False}


def test_a_web_chat_shows_no_history_a_typed_name_does_not_prove_who_it_is(
    as_role, db_session, users
):
    from datetime import UTC, datetime

    agent = users["agent"].agent
    entry = EntryPoint(address="web:default", program=agent.programs[0], queue_id="web")
    db_session.add(entry)
    db_session.add(Contact(task_id="OTHERJOHN", channel="web", customer="John",
                           entry_point=entry, queue_id="web", outcome="answered",
                           created_at=datetime(2026, 11, 1, 9, tzinfo=UTC)))  # fmt: skip
    db_session.commit()
    _my_task(db_session, agent, "WCNOW", "web", state="assigned", channel="web",
             customer="John", entry_point_id=entry.id)  # fmt: skip
    state = as_role("agent").get("/console/api/state").json
    assert state["tasks"][0]["past_contacts"] == []


def test_canned_responses_api_names_bad_fields_and_writes_nothing(as_role, db_session, program):
    supervisor = as_role("supervisor")
    headers = {"X-CSRFToken": csrf_token(supervisor, "/roster/")}
    bad = supervisor.post("/api/v1/canned-responses", headers=headers,
                          json={"program_id": program.id, "shortcut": "no spaces", "title": "",
                                "body": "x" * 2001})  # fmt: skip
    assert bad.status_code == 422
    assert set(bad.json["fields"]) == {"shortcut", "title", "body"}
    assert supervisor.get("/api/v1/canned-responses").json["items"] == []
    good = {"program_id": program.id, "shortcut": "hi", "title": "Hello", "body": "Hello!"}
    made = supervisor.post("/api/v1/canned-responses", headers=headers, json=good)
    assert made.status_code == 201, made.json
    again = supervisor.post("/api/v1/canned-responses", headers=headers, json=good)
    assert (again.status_code, list(again.json["fields"])) == (422, ["shortcut"])
    changed = supervisor.patch(f"/api/v1/canned-responses/{made.json['id']}", headers=headers,
                               json={"body": "Hello there!"})  # fmt: skip
    assert changed.json["body"] == "Hello there!"
    assert supervisor.delete(f"/api/v1/canned-responses/{made.json['id']}",
                             headers=headers).status_code == 204  # fmt: skip
    assert supervisor.get("/api/v1/canned-responses").json["items"] == []
