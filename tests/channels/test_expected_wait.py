"""The hold message: a waiting caller hears their place and the expected wait derived from the
queue's recent answer pace (engine statistics), never a made-up figure."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from channels.expected_wait import WaitEstimator, spoken
from tests.channels.helpers import NUMBER, signed_post
from tests.channels.test_call_controls import call_answered_by, task
from tests.waiting import wait_until


def hold_message(center, task_id: str) -> list[str]:
    response = signed_post(
        center.app.test_client(), f"/twilio/voice/hold?task={task_id}", {"CallSid": task_id},
        token=center.carrier.auth_token,
    )  # fmt: skip
    return [e.text for e in ET.fromstring(response.data).iter("Say")]


def test_waiting_callers_hear_their_place_and_the_wait_the_recent_answer_pace_gives(center):
    first = call_answered_by(center, "ann")  # one answered call in the last half hour
    center.command("set_status", agent_id=center.agents["ann"][0], status="break")
    center.carrier.hang_up_caller(first)
    waiting = [center.carrier.place_call(from_=f"+1555777001{n}", to=NUMBER, digits="1")
               for n in range(2)]  # fmt: skip
    for call_sid in waiting:
        wait_until(lambda c=call_sid: (t := task(center, c)) is not None and t.state == "pending")
    center.app.extensions["crowdline.wait_estimator"] = WaitEstimator()  # not folded yet
    assert hold_message(center, waiting[0]) == [
        "Please hold. You are next in line. Your expected wait is about 30 minutes."
    ]
    assert hold_message(center, waiting[1]) == [
        "Please hold. You are number 2 in line. Your expected wait is about 60 minutes."
    ]


def test_a_caller_no_longer_waiting_hears_no_place(center):
    call_sid = call_answered_by(center, "ann")
    assert hold_message(center, call_sid) == ["Please hold; an agent will be with you shortly."]


@pytest.mark.parametrize(
    ("seconds", "said"),
    [(12, "less than a minute"), (60, "about 1 minute"), (61, "about 2 minutes"),
     (3600, "about 60 minutes")],
)  # fmt: skip
def test_expected_waits_are_said_in_whole_minutes_rounded_up(seconds, said):
    assert spoken(seconds) == said
