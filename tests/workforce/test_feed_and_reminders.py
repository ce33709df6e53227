"""The agent's booked blocks as an iCalendar feed at a secret URL they can revoke, and reminders
before a block: once, in the console (a real Socket.IO push) and by SMS through the gateway
when the agent opted in."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from icalendar import Calendar

from channels import entry_points
from channels.signing import webhook_token
from channels.simulated import SimulatedCarrier
from channels.texts import texter
from tests.conftest import login
from tests.workforce.helpers import NOW, published_block
from web.app import create_app
from web.extensions import limiter, socketio
from web.realtime import push_to_agent
from workforce import bookings, feed, reminders, standing

NUMBER = "+15550002000"


class FixedClock:
    def __init__(self, at):
        self.at = at

    def now(self) -> float:
        return self.at.timestamp()


@pytest.fixture
def schedule_app(settings, session_factory):
    app = create_app(settings, session_factory=session_factory)  # CSRF on, as in production
    app.config["WORKFORCE_CLOCK"] = FixedClock(NOW)
    limiter.reset()
    return app


def booked(session, program, agent, *, hours_ahead: float, **options):
    block = published_block(session, program, hours_ahead=hours_ahead, **options)
    bookings.commit(session=session, agent_id=agent.id, block_id=block.id,
                    now=NOW - timedelta(hours=1))  # fmt: skip
    return block


def csrf(page) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)


def events(body: bytes):
    return [c for c in Calendar.from_ical(body).walk("VEVENT")]


def test_the_feed_lists_booked_blocks_only_and_a_new_secret_stops_the_old(db_session, program,
                                                                           ann, bob):  # fmt: skip
    kept = booked(db_session, program, ann, hours_ahead=24, bonus="0.25")
    released = booked(db_session, program, ann, hours_ahead=48)
    bookings.uncommit(session=db_session, agent_id=ann.id, block_id=released.id,
                      now=NOW - timedelta(minutes=58))  # fmt: skip
    booked(db_session, program, bob, hours_ahead=72)  # someone else's
    first = feed.make_token(session=db_session, agent_id=ann.id)
    assert feed.agent_of_token(session=db_session, token=first) == ann.id
    (event,) = events(feed.calendar(session=db_session, agent_id=ann.id, now=NOW))
    assert str(event["uid"]) == f"block-{kept.id}@crowdline"
    assert event.decoded("dtstart") == kept.starts_at and event.decoded("dtend") == kept.ends_at
    assert "claims" in str(event["summary"]) and "0.25/min" in str(event["description"])
    assert standing.standing_of(session=db_session, agent_id=ann.id).feed_token_hash != first
    second = feed.make_token(session=db_session, agent_id=ann.id)
    assert feed.agent_of_token(session=db_session, token=first) is None
    assert feed.agent_of_token(session=db_session, token=second) == ann.id
    feed.revoke(session=db_session, agent_id=ann.id)
    assert feed.agent_of_token(session=db_session, token=second) is None
    assert feed.agent_of_token(session=db_session, token="") is None


def test_an_agent_makes_sees_uses_and_revokes_the_feed_from_my_schedule(schedule_app,
                                                                        db_session, program,
                                                                        ann):  # fmt: skip
    block = booked(db_session, program, ann, hours_ahead=24)
    db_session.commit()
    client = schedule_app.test_client()
    assert login(client, ann.user.email).status_code == 302
    page = client.get("/schedule")
    assert "Make my calendar feed" in page.get_data(as_text=True)
    assert client.post("/schedule/feed").status_code == 400  # no CSRF token: refused
    made = client.post("/schedule/feed", data={"csrf_token": csrf(page)})
    assert made.status_code == 200
    url = re.search(r'id="feed-url" readonly value="([^"]+)"', made.get_data(as_text=True))[1]
    path = url.split("localhost", 1)[1]
    assert path.startswith("/schedule/feed/") and path.endswith(".ics")
    anonymous = schedule_app.test_client()
    fetched = anonymous.get(path)
    assert fetched.status_code == 200 and fetched.mimetype == "text/calendar"
    assert [str(e["uid"]) for e in events(fetched.data)] == [f"block-{block.id}@crowdline"]
    again = client.get("/schedule").get_data(as_text=True)
    assert "Your calendar feed is active" in again and url not in again  # shown once only
    revoked = client.post("/schedule/feed/revoke", data={"csrf_token": csrf(made)})
    assert revoked.status_code == 302
    assert anonymous.get(path).status_code == 404
    assert anonymous.get("/schedule/feed/not-a-secret.ics").status_code == 404


def test_sms_reminders_are_opted_in_on_my_schedule(schedule_app, db_session, program, ann):
    client = schedule_app.test_client()
    assert login(client, ann.user.email).status_code == 302
    page = client.get("/schedule")
    assert 'id="sms" checked' not in page.get_data(as_text=True)
    saved = client.post("/schedule/reminders", data={"csrf_token": csrf(page), "sms": "on"})
    assert saved.status_code == 302
    assert 'id="sms" checked' in client.get("/schedule").get_data(as_text=True)
    db_session.expire_all()
    assert standing.standing_of(session=db_session, agent_id=ann.id).sms_reminders is True


def test_reminders_are_due_once_shortly_before_booked_blocks(db_session, program, ann, bob):
    soon = booked(db_session, program, ann, hours_ahead=0.5)
    booked(db_session, program, bob, hours_ahead=0.5)
    booked(db_session, program, ann, hours_ahead=3)  # later: not yet
    db_session.flush()
    due = reminders.take_due(session=db_session, now=soon.starts_at - timedelta(minutes=20))
    assert sorted(r.agent_id for r in due) == sorted([ann.id, bob.id])
    assert all(r.block_id == soon.id and r.phone is None for r in due)  # nobody opted in to SMS
    assert reminders.take_due(session=db_session,
                              now=soon.starts_at - timedelta(minutes=10)) == []  # fmt: skip


def test_the_reminder_job_pushes_to_the_console_and_texts_agents_who_opted_in(
    schedule_app, session_factory, db_session, program, ann, bob, settings
):
    entry_points.save(session=db_session, address=NUMBER, program_code=program.code,
                      queue_id="claims")  # fmt: skip
    ann.phone, bob.phone = "+15551230001", "+15551230002"
    standing.standing_of(session=db_session, agent_id=ann.id).sms_reminders = True
    soon = booked(db_session, program, ann, hours_ahead=0.5)
    bookings.commit(session=db_session, agent_id=bob.id, block_id=soon.id, now=NOW)
    db_session.commit()
    console = schedule_app.test_client()
    assert login(console, ann.user.email).status_code == 302
    socket = socketio.test_client(schedule_app, namespace="/agent", flask_test_client=console)
    assert socket.is_connected("/agent")
    socket.get_received("/agent")
    carrier = SimulatedCarrier(base_url="https://cc.example.com",
                               auth_token=webhook_token(None, settings.secret_key))  # fmt: skip
    job = reminders.ReminderJob(sessions=session_factory, notify=push_to_agent,
                                send_sms=texter(session_factory, carrier),
                                clock=lambda: soon.starts_at - timedelta(minutes=15))  # fmt: skip
    try:
        assert job.run() == 2
        pushed = [m for m in socket.get_received("/agent") if m["name"] == "schedule_reminder"]
        assert len(pushed) == 1 and pushed[0]["args"][0]["block_id"] == soon.id
        assert "starts at" in pushed[0]["args"][0]["text"]
        assert carrier.texts == [("+15551230001", NUMBER, pushed[0]["args"][0]["text"])]
        assert job.run() == 0  # once only
        assert len(carrier.texts) == 1
    finally:
        socket.disconnect("/agent")
        carrier.close()
