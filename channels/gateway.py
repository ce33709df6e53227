"""The telephony gateway port: what Crowdline asks of the carrier (dial, redirect, hang up,
hold, mute, add a participant, call a colleague in to consult, send a chat message or an SMS,
tell a call's status). TwilioGateway,
SimulatedCarrier and RemoteGateway implement it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


class GatewayError(RuntimeError):
    """The carrier refused or could not be reached (after retries); `status` is its HTTP code."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True, slots=True)
class Dial:
    """An outbound call: when answered the carrier fetches `url` (TwiML); `status_callback` gets
    the call's end (completed, busy, no-answer, failed, canceled). timeout = ring seconds."""

    to: str
    from_: str
    url: str
    status_callback: str
    timeout: int = 20
    params: dict[str, str] = field(default_factory=dict)


class TelephonyGateway(Protocol):
    def dial(self, call: Dial) -> str:
        """Place the call; returns its CallSid."""

    def redirect(self, call_sid: str, url: str) -> None:
        """Make a live call fetch new TwiML from `url` (e.g. the voicemail fallback)."""

    def hang_up(self, call_sid: str) -> None:
        """End a call (no error if it already ended)."""

    def call_status(self, call_sid: str) -> str | None:
        """The carrier's own status of a call (queued, ringing, in-progress, completed, busy,
        failed, no-answer, canceled); None when the carrier does not know the call."""

    def hold(self, conference: str, call_sid: str, on_hold: bool, hold_url: str) -> None:
        """Put a conference participant on hold (music from hold_url) or take them off."""

    def mute(self, conference: str, call_sid: str, muted: bool) -> None:
        """Mute a conference participant (the caller no longer hears them) or unmute them."""

    def add_participant(
        self, conference: str, *, to: str, from_: str, muted: bool, coach_call_sid: str | None
    ) -> str:
        """Call `to` into a conference (a supervisor monitoring, whispering or barging)."""

    def consult(
        self, conference: str, *, to: str, from_: str, status_callback: str, timeout: int
    ) -> str:
        """Call a colleague `to` into a conference (warm transfer); the call's progress
        (ringing, in-progress, its end) is posted to `status_callback`. Returns its CallSid."""

    def send_message(self, conversation_sid: str, *, author: str, body: str) -> str:
        """Post a message into a Conversation; returns its MessageSid."""

    def close_conversation(self, conversation_sid: str) -> None:
        """Close a Conversation once its chat is wrapped up."""

    def send_text(self, *, to: str, from_: str, body: str) -> str:
        """Send one SMS outside any conversation (an agent's schedule reminder); its sid."""
