"""Simulated customers for the demo: Poisson arrivals per number (calls and SMS chats at
configurable rates), each caller with an exponential patience and talk time, played through
the SimulatedCarrier — so every contact goes through the real, signed webhooks; both answer the
CSAT survey when asked (a key, or a texted number)."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from random import Random

from channels import sms_survey
from channels.links import conference_name

log = logging.getLogger(__name__)
SURVEY_WAIT = 300.0  # seconds a simulated texter waits for the chat's CSAT question


@dataclass(frozen=True, slots=True)
class Profile:
    """Traffic of one number; rates per minute, means in seconds."""

    number: str
    calls_per_minute: float = 2.0
    chats_per_minute: float = 0.0
    patience: float = 60.0
    talk: float = 90.0
    digits: str = "1"
    #: How callers rate the call when surveyed (weights of keys 1–5, the key after the menu's).
    ratings: tuple[int, ...] = (1, 1, 2, 4, 5)


def arrivals(profiles, duration: float, rng: Random) -> list[tuple[float, str, Profile]]:
    """(at seconds, "call" | "chat", profile), sorted: exponential gaps of mean 60/rate."""
    found = []
    for profile in profiles:
        for kind, rate in (("call", profile.calls_per_minute), ("chat", profile.chats_per_minute)):
            at = 0.0
            while rate > 0:
                at += rng.expovariate(rate / 60.0)
                if at >= duration:
                    break
                found.append((at, kind, profile))
    return sorted(found, key=lambda item: item[0])


class Traffic:
    def __init__(self, carrier, profiles, *, seed: int | None = None) -> None:
        self.carrier = carrier
        self.profiles = list(profiles)
        self.rng = Random(seed)
        self.stop_event = threading.Event()
        self.thread: threading.Thread | None = None
        self.started = 0

    def start(self, duration: float = 24 * 3600) -> Traffic:
        self.thread = threading.Thread(target=self.run, args=(duration,), name="traffic",
                                       daemon=True)  # fmt: skip
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stop_event.set()

    def run(self, duration: float) -> None:
        elapsed = 0.0
        for at, kind, profile in arrivals(self.profiles, duration, self.rng):
            if self.stop_event.wait(at - elapsed):
                return
            elapsed = at
            self.started += 1
            target = self._caller if kind == "call" else self._texter
            threading.Thread(target=self._safely, args=(target, profile), daemon=True).start()

    def _safely(self, target, profile: Profile) -> None:
        try:
            target(profile)
        except Exception:
            log.exception("simulated customer failed")

    def _customer_number(self) -> str:
        return f"+1555{self.rng.randrange(10**7):07d}"

    def _caller(self, profile: Profile) -> None:
        """Wait up to `patience` for an agent, talk for `talk`, hang up (unless the agent ended
        the call first: then the caller answers the CSAT survey, if asked, with a key 1–5)."""
        rating = self.rng.choices("12345", weights=profile.ratings)[0]
        call_sid = self.carrier.place_call(
            from_=self._customer_number(), to=profile.number, digits=profile.digits + rating
        )
        call = self.carrier.calls[call_sid]
        patience = self.rng.expovariate(1 / profile.patience)
        waited = 0.0
        while not call.ended.is_set() and waited < patience:
            if self.carrier.bridged(conference_name(call_sid)):
                call.ended.wait(self.rng.expovariate(1 / profile.talk))
                break
            self.stop_event.wait(0.5)
            waited += 0.5
        if not call.ended.is_set():
            self.carrier.hang_up_caller(call_sid)

    def _texter(self, profile: Profile) -> None:
        """Text, text again after `talk` unless the chat has ended, and answer the CSAT question
        if it is texted within SURVEY_WAIT seconds (a rating 1–5 drawn from the profile)."""
        customer = self._customer_number()
        sid = self.carrier.send_sms(from_=customer, to=profile.number,
                                    body="Hello, I need some help.")  # fmt: skip
        conversation = self.carrier.conversations[sid]
        if self.stop_event.wait(self.rng.expovariate(1 / profile.talk)):
            return
        if not self._asked(conversation) and not conversation.closed:
            self.carrier.send_sms(from_=customer, to=profile.number, body="Are you there?")
        waited = 0.0
        while not self._asked(conversation) and not conversation.closed and waited < SURVEY_WAIT:
            if self.stop_event.wait(1.0):
                return
            waited += 1.0
        if self._asked(conversation) and not conversation.closed:
            rating = self.rng.choices("12345", weights=profile.ratings)[0]
            self.carrier.send_sms(from_=customer, to=profile.number, body=rating)

    @staticmethod
    def _asked(conversation) -> bool:
        return sms_survey.QUESTION in conversation.received
