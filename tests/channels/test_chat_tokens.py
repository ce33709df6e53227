"""A web-chat customer's token opens the chat only until the chat ended plus a grace
(CHAT_TOKEN_GRACE_SECONDS): after that, resume, send and typing are refused and the transcript
stays shut."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from channels.models import Contact
from crowdline.settings import ConfigError, validate_chat_token_grace
from database.base import utcnow
from dispatcher.tables import RoutingTask
from tests.waiting import wait_until
from web.chat.customer import token_expired
from web.extensions import socketio


def _customer(center):
    return socketio.test_client(center.app, namespace="/chat")


def _emit(client, event, data):
    return client.emit(event, data, namespace="/chat", callback=True)


def _start(center):
    customer = _customer(center)
    started = _emit(customer, "start", {"entry": "default", "name": "Dana", "body": "Hello?"})
    assert started["ok"], started
    return customer, started


def _ended_ago(center, task_id, seconds):
    """As if the chat had ended `seconds` ago (the clock moved on)."""
    with center.sessions.begin() as session:
        session.execute(
            update(Contact)
            .where(Contact.task_id == task_id)
            .values(customer_left_at=utcnow() - timedelta(seconds=seconds))
        )


def test_the_token_still_resumes_within_the_grace_after_leaving(center):
    customer, started = _start(center)
    assert _emit(customer, "leave", {"token": started["token"]})["ok"]
    resumed = _emit(_customer(center), "resume", {"token": started["token"]})
    assert resumed["ok"] and resumed["ended"] is True
    assert [m["body"] for m in resumed["transcript"]] == ["Hello?"]


def test_the_token_expires_after_the_chat_ended_plus_the_grace(center):
    customer, started = _start(center)
    token = started["token"]
    assert _emit(customer, "leave", {"token": token})["ok"]
    wait_until(lambda: _task_state(center, started["task_id"]) == "canceled", timeout=60)
    _ended_ago(center, started["task_id"], 301)  # the default grace is 300 s
    later = _customer(center)
    for event, data in [
        ("resume", {"token": token}),
        ("send_message", {"token": token, "body": "still there?"}),
        ("typing", {"token": token}),
        ("leave", {"token": token}),
    ]:
        answer = _emit(later, event, data)
        assert answer["ok"] is False, (event, answer)
        assert "expired" in answer["fields"]["token"]
        assert "transcript" not in answer


def test_a_zero_grace_expires_the_token_as_the_customer_leaves(center):
    center.app.config["CHAT_TOKEN_GRACE_SECONDS"] = 0.0
    customer, started = _start(center)
    assert _emit(customer, "resume", {"token": started["token"]})["ok"]  # open chat: valid
    assert _emit(customer, "leave", {"token": started["token"]})["ok"]
    refused = _emit(_customer(center), "resume", {"token": started["token"]})
    assert refused["ok"] is False and "token" in refused["fields"]


def test_an_open_chat_token_never_expires_and_an_ended_one_expires_at_the_earlier_end():
    now = utcnow()
    open_chat = Contact(task_id="WCx", channel="web")
    assert not token_expired(open_chat, now=now + timedelta(days=30), grace=300)
    ended = Contact(
        task_id="WCy", channel="web", ended_at=now, customer_left_at=now - timedelta(seconds=100)
    )
    assert not token_expired(ended, now=now + timedelta(seconds=199), grace=300)
    assert token_expired(ended, now=now + timedelta(seconds=200), grace=300)


@pytest.mark.parametrize("raw", ["soon", "-1", "86401"])
def test_a_bad_chat_token_grace_is_refused_at_start(raw):
    with pytest.raises(ConfigError, match="CHAT_TOKEN_GRACE_SECONDS"):
        validate_chat_token_grace(raw)
    assert validate_chat_token_grace(None) == 300.0


def _task_state(center, task_id):
    with center.sessions() as session:
        return session.scalar(select(RoutingTask.state).where(RoutingTask.task_id == task_id))
