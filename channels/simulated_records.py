"""What the simulated carrier keeps in memory: calls, conferences, conversations, and how a
simulated agent's phone answers."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field


@dataclass
class SimCall:
    sid: str
    from_: str
    to: str
    direction: str  # inbound | outbound-api
    status_callback: str | None
    digits: list[str] = field(default_factory=list)  # keys pressed at successive <Gather>s
    voicemail: str | None = None  # what the caller says at a <Record>, if anything
    status: str = "ringing"
    conference: str | None = None
    heard: list[str] = field(default_factory=list)
    answered_at: float | None = None
    on_hold: bool = False  # as a conference participant (the carrier's truth)
    muted: bool = False
    url: str | None = None  # an outbound call's TwiML, fetched when it is answered
    joins: str | None = None  # a consult call's conference, entered when it is answered
    ended: threading.Event = field(default_factory=threading.Event)

    def params(self) -> dict[str, str]:
        return {
            "CallSid": self.sid, "From": self.from_, "To": self.to, "CallStatus": self.status,
            "Direction": self.direction, "AccountSid": "AC" + "0" * 32,
        }  # fmt: skip


@dataclass
class SimConference:
    name: str
    started: bool = False
    members: dict[str, bool] = field(default_factory=dict)  # call sid → end conference on exit
    recording: str | None = None  # recordingStatusCallback of a recorded conference
    started_at: float | None = None


@dataclass
class SimAgent:
    """How a simulated agent's phone answers: keys pressed (e.g. "1"), or never (None); a phone
    that `declines` answers a consult call busy."""

    keys: str | None = "1"
    delay: float = 0.05
    declines: bool = False


@dataclass
class SimConversation:
    sid: str
    customer: str
    address: str
    received: list[str] = field(default_factory=list)  # bodies sent to the customer
    closed: bool = False
