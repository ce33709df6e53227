"""Simulated traffic: Poisson arrivals at the configured rates, customers played through the
carrier (a caller who is never answered hangs up when their patience runs out; a texter answers
the CSAT question)."""

from __future__ import annotations

import threading
from random import Random

from channels import sms_survey
from channels.simulated import SimulatedCarrier
from channels.traffic import Profile, Traffic, arrivals
from tests.waiting import wait_until


def test_arrivals_follow_the_configured_rates_per_number():
    profiles = [Profile("+15550001000", calls_per_minute=6, chats_per_minute=2),
                Profile("+15550002000", calls_per_minute=1)]  # fmt: skip
    found = arrivals(profiles, duration=3600 * 10, rng=Random(7))
    calls = [a for a in found if a[1] == "call" and a[2].number == "+15550001000"]
    chats = [a for a in found if a[1] == "chat"]
    assert abs(len(calls) / 600 - 6) < 0.3
    assert abs(len(chats) / 600 - 2) < 0.2
    assert [a[0] for a in found] == sorted(a[0] for a in found)


def test_an_unanswered_caller_hangs_up_when_out_of_patience():
    carrier = SimulatedCarrier(base_url="https://cc.example.com", auth_token="t")  # no app
    traffic = Traffic(carrier, [], seed=1)
    traffic._caller(Profile("+15550001000", patience=0.01))
    (call,) = carrier.calls.values()
    assert call.ended.is_set() and call.status == "completed"


def test_a_simulated_texter_answers_the_chats_csat_question_with_a_rating():
    posted = []
    carrier = SimulatedCarrier(base_url="https://cc.example.com", auth_token="t",
                               transport=lambda url, params, headers: (posted.append(params)
                                                                       or (204, "")))  # fmt: skip
    traffic = Traffic(carrier, [], seed=1)

    def ask_once_texted():  # what the app does when the agent ends the chat
        wait_until(lambda: carrier.conversations)
        next(iter(carrier.conversations.values())).received.append(sms_survey.QUESTION)

    asker = threading.Thread(target=ask_once_texted)
    asker.start()
    traffic._texter(Profile("+15550001000", talk=0.01, ratings=(0, 0, 0, 0, 1)))
    asker.join()
    bodies = [p["Body"] for p in posted if p.get("EventType") == "onMessageAdded"]
    assert bodies[0] == "Hello, I need some help." and bodies[-1] == "5"
