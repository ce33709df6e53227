"""Simulated traffic: Poisson arrivals at the configured rates, customers played through the
carrier (a caller who is never answered hangs up when their patience runs out)."""

from __future__ import annotations

from random import Random

from channels.simulated import SimulatedCarrier
from channels.traffic import Profile, Traffic, arrivals


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
