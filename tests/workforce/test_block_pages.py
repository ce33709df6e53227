"""Supervisors and one block: who committed to it, and a message to the certified agents who
could still fill it (console push over real Socket.IO, SMS through the gateway for those who
opted in), refused with the field or reason, audited and rate limited."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from agents.models import AuditEntry
from channels import entry_points
from channels.signing import webhook_token
from channels.simulated import SimulatedCarrier
from tests.conftest import login
from tests.factories import make_user
from tests.workforce.helpers import NOW, certified_agent, published_block
from web.app import create_app
from web.extensions import limiter, socketio
from workforce import bookings, standing

NUMBER = "+15550003000"


class FixedClock:
    def now(self) -> float:
        return NOW.timestamp()


@pytest.fixture
def carrier(settings):
    carrier = SimulatedCarrier(base_url="https://cc.example.com",
                               auth_token=webhook_token(None, settings.secret_key))  # fmt: skip
    yield carrier
    carrier.close()


@pytest.fixture
def block_app(settings, session_factory, carrier):
    app = create_app(settings, session_factory=session_factory, gateway=carrier)
    app.config["WORKFORCE_CLOCK"] = FixedClock()
    limiter.reset()
    return app


@pytest.fixture
def scene(db_session, program, course, ann, bob, users):
    """A 3-seat block: Ann booked, Bob booked then released; Cat certified, opted in to SMS;
    Dan of the program but not certified."""
    entry_points.save(session=db_session, address=NUMBER, program_code=program.code,
                      queue_id="claims")  # fmt: skip
    cat = certified_agent(db_session, program, course)
    cat.phone = "+15551240003"
    standing.standing_of(session=db_session, agent_id=cat.id).sms_reminders = True
    dan = make_user(db_session, "agent").agent
    dan.programs = [program]
    block = published_block(db_session, program, hours_ahead=24, needed=3)
    bookings.commit(session=db_session, agent_id=ann.id, block_id=block.id,
                    now=NOW - timedelta(hours=2))  # fmt: skip
    bookings.commit(session=db_session, agent_id=bob.id, block_id=block.id,
                    now=NOW - timedelta(hours=1))  # fmt: skip
    bookings.uncommit(session=db_session, agent_id=bob.id, block_id=block.id,
                      now=NOW - timedelta(minutes=58))  # fmt: skip
    db_session.commit()
    return block, cat, dan


def signed_in(app, user):
    client = app.test_client()
    assert login(client, user.email).status_code == 302
    return client


def csrf(page) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True))[1]


def console(app, agent):
    client = socketio.test_client(app, namespace="/agent",
                                  flask_test_client=signed_in(app, agent.user))  # fmt: skip
    assert client.is_connected("/agent")
    client.get_received("/agent")
    return client


def messages(client):
    return [m["args"][0] for m in client.get_received("/agent") if m["name"] == "schedule_message"]


def test_a_supervisor_sees_who_committed(block_app, users, scene, ann, bob):
    block, _cat, _dan = scene
    page = signed_in(block_app, users["supervisor"]).get(f"/schedule/blocks/{block.id}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "1 of 3" in text
    rows = re.findall(r'<tr data-agent="(\d+)"><td data-label="Agent">[^<]*</td>'
                      r'<td data-label="State">(\w+)', text)  # fmt: skip
    assert rows == [(str(ann.id), "booked"), (str(bob.id), "released")]
    assert 'id="reachable">2<' in text  # Bob (released) and Cat; not Dan (not certified)


def test_messaging_an_under_booked_block_reaches_consoles_and_sms(block_app, users, scene,
                                                                  db_session, ann, bob,
                                                                  carrier):  # fmt: skip
    block, cat, dan = scene
    sockets = {name: console(block_app, agent)
               for name, agent in (("ann", ann), ("bob", bob), ("cat", cat), ("dan", dan))}
    client = signed_in(block_app, users["supervisor"])
    page = client.get(f"/schedule/blocks/{block.id}")
    try:
        sent = client.post(f"/schedule/blocks/{block.id}/message",
                           data={"csrf_token": csrf(page), "text": "Seats left at 10:00!",
                                 "sms": "on"})  # fmt: skip
        assert sent.status_code == 200
        assert "Sent to 2 agent(s), 1 by SMS." in sent.get_data(as_text=True)
        for name in ("bob", "cat"):
            (note,) = messages(sockets[name])
            assert note == {"block_id": block.id, "start": block.starts_at.isoformat(),
                            "queue_id": "claims", "text": "Seats left at 10:00!"}  # fmt: skip
        assert messages(sockets["ann"]) == [] and messages(sockets["dan"]) == []
        assert carrier.texts == [("+15551240003", NUMBER, "Seats left at 10:00!")]
        entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action
                                                           == "workforce.message"))  # fmt: skip
        assert entry.entity_id == block.id and entry.after == {"agents": 2, "sms": 1}
    finally:
        for socket in sockets.values():
            socket.disconnect("/agent")


def test_bad_messages_and_full_blocks_are_refused_and_nothing_is_sent(block_app, users, scene,
                                                                     db_session, program, ann,
                                                                     carrier):  # fmt: skip
    block, _cat, _dan = scene
    client = signed_in(block_app, users["supervisor"])
    token = csrf(client.get(f"/schedule/blocks/{block.id}"))
    empty = client.post(f"/schedule/blocks/{block.id}/message",
                        data={"csrf_token": token, "text": "  "})  # fmt: skip
    assert empty.status_code == 422 and "text: the message is 1 to 500" in empty.text
    full = published_block(db_session, program, hours_ahead=30, needed=1)
    bookings.commit(session=db_session, agent_id=ann.id, block_id=full.id, now=NOW)
    db_session.commit()
    refused = client.post(f"/schedule/blocks/{full.id}/message",
                          data={"csrf_token": token, "text": "anyone?"})  # fmt: skip
    assert refused.status_code == 409 and "fully booked" in refused.text
    unknown = client.post("/schedule/blocks/999999/message",
                          data={"csrf_token": token, "text": "x"})  # fmt: skip
    assert unknown.status_code == 422 and "no block 999999" in unknown.text
    assert client.post(f"/schedule/blocks/{block.id}/message",
                       data={"text": "no csrf"}).status_code == 400  # fmt: skip
    assert carrier.texts == []
    assert db_session.scalar(select(AuditEntry).where(
        AuditEntry.action == "workforce.message")) is None  # fmt: skip


def test_messages_about_one_block_are_rate_limited(block_app, users, scene):
    block, _cat, _dan = scene
    client = signed_in(block_app, users["supervisor"])
    token = csrf(client.get(f"/schedule/blocks/{block.id}"))
    answers = [client.post(f"/schedule/blocks/{block.id}/message",
                           data={"csrf_token": token, "text": f"please {n}"}).status_code
               for n in range(7)]  # fmt: skip
    assert answers == [200] * 6 + [429]
