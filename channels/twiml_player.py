"""Plays TwiML for the simulated carrier, as Twilio would: Say, Gather (keys from the call's
script), Dial/Conference (recorded or not), Record, Redirect, Hangup; the call ends when the
document does."""

from __future__ import annotations

import logging
import threading
import xml.etree.ElementTree as ET
from typing import Protocol

from channels.simulated_ids import sid

log = logging.getLogger(__name__)
MAX_DOCUMENTS = 20  # a loop of redirects is cut short, as Twilio does


class PlayedCall(Protocol):
    """A simulated call as the player sees it: its script and what it heard."""

    digits: list[str]  # keys pressed at successive <Gather>s
    voicemail: str | None  # what the caller says at a <Record>, if anything
    heard: list[str]
    ended: threading.Event

    def params(self) -> dict[str, str]: ...


class Carrier(Protocol):
    """What the player asks of the simulated carrier (channels.simulated.SimulatedCarrier)."""

    def post(self, url: str, params: dict[str, str]) -> tuple[int, str]: ...

    def end(self, call: PlayedCall, status: str) -> None: ...

    def join(self, call: PlayedCall, name: str, *, start: bool, end_on_exit: bool,
             wait_url, recording: str | None = None) -> None: ...  # fmt: skip


class TwimlPlayer:
    def __init__(self, carrier: Carrier) -> None:
        self.carrier = carrier

    def fetch(self, call: PlayedCall, url: str, extra: dict | None = None, depth: int = 0) -> None:
        """Request `url` for the call and play what comes back."""
        if call.ended.is_set():
            return
        status, body = self.carrier.post(url, {**call.params(), **(extra or {})})
        if status != 200 or not body.strip():
            self.carrier.end(call, "failed" if status >= 400 else "completed")
            return
        self.play(call, ET.fromstring(body), depth)

    def listen(self, call: PlayedCall, url: str) -> None:
        """A conference wait URL: what the caller hears while holding."""
        status, body = self.carrier.post(url, call.params())
        if status == 200 and body.strip():
            call.heard.extend(e.text or "" for e in ET.fromstring(body).iter("Say"))

    def play(self, call: PlayedCall, response: ET.Element, depth: int = 0) -> None:
        if depth > MAX_DOCUMENTS:
            self.carrier.end(call, "failed")
            return
        for verb in response:
            if call.ended.is_set():
                return
            if verb.tag == "Say":
                call.heard.append(verb.text or "")
            elif verb.tag == "Gather":
                call.heard.extend(e.text or "" for e in verb.iter("Say"))
                if call.digits:
                    digit = call.digits.pop(0)
                    self.fetch(call, verb.get("action"), {"Digits": digit}, depth + 1)
                    return
            elif verb.tag == "Dial":
                if self._dial(call, verb):
                    return
            elif verb.tag == "Record":
                if call.voicemail is not None:
                    recording = {
                        "RecordingSid": sid("RE"), "RecordingDuration": "7",
                        "RecordingUrl": f"https://api.twilio.test/recordings/{sid('RE')}",
                    }  # fmt: skip
                    self.fetch(call, verb.get("action"), recording, depth + 1)
                    return
            elif verb.tag == "Redirect":
                self.fetch(call, verb.text or "", None, depth + 1)
                return
            elif verb.tag == "Hangup":
                break
        self.carrier.end(call, "completed")

    def _dial(self, call: PlayedCall, verb: ET.Element) -> bool:
        """Join a <Conference>; True while the call stays there (it ends with the conference)."""
        conference = verb.find("Conference")
        if conference is None:
            log.warning("simulated carrier: only <Dial><Conference> is simulated")
            return False
        self.carrier.join(
            call,
            (conference.text or "").strip(),
            start=conference.get("startConferenceOnEnter", "true") == "true",
            end_on_exit=conference.get("endConferenceOnExit", "false") == "true",
            wait_url=conference.get("waitUrl"),
            recording=conference.get("recordingStatusCallback") if conference.get("record")
            else None,
        )
        return True
