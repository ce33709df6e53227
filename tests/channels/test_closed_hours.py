"""A program's working hours in the channels: outside them a caller hears the closed message and
goes to voicemail (nothing queued), the chat widget says when it opens again and starts no chat,
and an SMS is answered with the opening time (no task, the conversation closed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from agents.models import Program
from channels.models import Contact, TranscriptMessage
from dispatcher.tables import RoutingCommand
from tests.channels.helpers import NUMBER
from tests.waiting import wait_until
from web.extensions import socketio
from workforce import blocks, hours

CALLER = "+15557770002"


def close_until_tomorrow(center) -> datetime:
    """Acme works only tomorrow (UTC), 09:00-17:00; returns tomorrow's opening."""
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).replace(hour=9, minute=0, second=0,
                                                              microsecond=0)  # fmt: skip
    with center.sessions.begin() as session:
        program = session.scalar(select(Program).where(Program.code == "acme"))
        calendar = blocks.calendar_of(session=session, program_id=program.id)
        calendar.country = "XX"  # no public holidays: only the hours close it
        hours.set_hours(calendar, [(tomorrow.isoweekday(), 9 * 60, 17 * 60)])
    return tomorrow


def contact(center, task_id) -> Contact:
    with center.sessions() as session:
        return session.get(Contact, task_id)


def enqueues(center) -> int:
    with center.sessions() as session:
        return session.scalar(select(func.count()).select_from(RoutingCommand)
                              .where(RoutingCommand.kind == "enqueue"))  # fmt: skip


def test_a_caller_outside_hours_hears_when_it_opens_and_leaves_a_voicemail(center):
    opens = close_until_tomorrow(center)
    center.available("ann")
    call_sid = center.carrier.place_call(from_=CALLER, to=NUMBER, digits="1",
                                         voicemail="please call me back")  # fmt: skip
    wait_until(lambda: contact(center, call_sid) and contact(center, call_sid).recording_url)
    heard = " ".join(center.carrier.calls[call_sid].heard)
    assert "Thank you for calling Acme Insurance. We are closed now." in heard
    assert f"We open again {opens:%A} {opens.day} {opens:%B} at 09:00 (UTC)" in heard
    assert "Welcome to Acme" not in heard  # no menu, no hold: nobody is there to answer
    assert contact(center, call_sid).outcome == "voicemail"
    assert contact(center, call_sid).enqueued is False
    assert enqueues(center) == 0
    wait_until(center.carrier.calls[call_sid].ended.is_set)


def test_a_closed_call_hung_up_without_a_message_is_recorded_as_closed(center):
    close_until_tomorrow(center)
    call_sid = center.carrier.place_call(from_=CALLER, to=NUMBER, digits="1")
    wait_until(center.carrier.calls[call_sid].ended.is_set)
    wait_until(lambda: contact(center, call_sid).ended_at is not None)
    assert contact(center, call_sid).outcome == "closed"
    assert enqueues(center) == 0


def test_the_same_number_answers_again_once_the_program_is_open(center):
    close_until_tomorrow(center)
    with center.sessions.begin() as session:
        program = session.scalar(select(Program).where(Program.code == "acme"))
        hours.set_hours(blocks.calendar_of(session=session, program_id=program.id), [])
    call_sid = center.carrier.place_call(from_=CALLER, to=NUMBER, digits="1")
    wait_until(lambda: enqueues(center) == 1)
    assert contact(center, call_sid).outcome != "closed"
    center.carrier.hang_up_caller(call_sid)


def test_the_chat_widget_says_when_it_opens_again_and_starts_no_chat(center):
    opens = close_until_tomorrow(center)
    page = center.app.test_client().get("/chat")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert f"We open again {opens:%A} {opens.day} {opens:%B} at 09:00 (UTC)" in text
    assert '<form id="start" hidden>' in text
    customer = socketio.test_client(center.app, namespace="/chat")
    answer = customer.emit("start", {"entry": "default", "name": "Dana", "body": "Hi"},
                           namespace="/chat", callback=True)  # fmt: skip
    assert answer["ok"] is False and answer["closed"] is True
    assert "We are closed now" in answer["fields"]["entry"]
    assert datetime.fromisoformat(answer["opens_at"]) == opens
    with center.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Contact)) == 0
    assert enqueues(center) == 0
    customer.disconnect(namespace="/chat")


def test_an_sms_while_closed_is_answered_with_the_opening_time_and_never_queued(center):
    opens = close_until_tomorrow(center)
    conversation = center.carrier.send_sms(from_="+15557770003", to=NUMBER, body="Hello?")
    sim = center.carrier.conversations[conversation]
    wait_until(lambda: sim.closed)
    (reply,) = sim.received
    assert reply.startswith("We are closed now.")
    assert f"We open again {opens:%A} {opens.day} {opens:%B} at 09:00 (UTC)" in reply
    assert contact(center, conversation).outcome == "closed"
    assert enqueues(center) == 0

    def transcript():
        with center.sessions() as session:
            rows = session.scalars(select(TranscriptMessage)
                                   .where(TranscriptMessage.task_id == conversation))  # fmt: skip
            return sorted((m.author_kind, m.body) for m in rows)

    wait_until(lambda: len(transcript()) == 2)  # our reply reported back is stored once
    assert transcript() == sorted([("customer", "Hello?"), ("system", reply)])
