"""The simulated carrier's conferences: who is in which room, hold and mute as participants,
and a call's end (it leaves its room; a participant that ends the conference ends the others);
a recorded conference, once ended, is reported with its WAV (channels.simulated_media)."""

from __future__ import annotations

from channels.gateway import GatewayError
from channels.simulated_ids import sid
from channels.simulated_media import report_recording
from channels.simulated_records import SimCall, SimConference


class SimConferences:
    """Mixed into SimulatedCarrier: uses its lock, calls, conferences, requests, player, post."""

    def hold(self, conference: str, call_sid: str, on_hold: bool, hold_url: str) -> None:
        with self.lock:
            self.requests.append(("hold", conference, call_sid, on_hold))
            self._participant_or_raise(conference, call_sid, "hold")
            self.calls[call_sid].on_hold = on_hold

    def mute(self, conference: str, call_sid: str, muted: bool) -> None:
        with self.lock:
            self.requests.append(("mute", conference, call_sid, muted))
            self._participant_or_raise(conference, call_sid, "mute")
            self.calls[call_sid].muted = muted

    def _participant_or_raise(self, conference: str, call_sid: str, what: str) -> None:
        """As Twilio answers 404 for a participant that is not in the conference (yet)."""
        room = self.conferences.get(conference)
        if room is None or call_sid not in room.members:
            raise GatewayError(f"{what} {call_sid}: not a participant of {conference}", status=404)

    def consult(self, conference: str, *, to: str, from_: str, status_callback: str,
                timeout: int) -> str:  # fmt: skip
        """The colleague's phone at `to` rings; answered, it joins the conference (progress and
        end posted to `status_callback`, as Twilio's participant callbacks are)."""
        agent = self.agents.get(to, self.default_agent)
        with self.lock:
            self.requests.append(("consult", conference, to))
            if conference not in self.conferences:
                raise GatewayError(f"conference {conference} is not in progress", status=404)
            if agent is None:
                raise GatewayError(f"consult {to}: number unreachable", status=400)
            leg = SimCall(sid("CA"), from_, to, "outbound-api", status_callback, joins=conference)
            self.calls[leg.sid] = leg
        self._spawn(self._ring_consult, leg, agent, timeout)
        return leg.sid

    def _ring_consult(self, leg: SimCall, agent, timeout: int) -> None:
        self.post(leg.status_callback, leg.params())  # ringing
        if agent.declines:
            self.end(leg, "busy")
        elif agent.keys is None:  # rings out unless answered in a browser or hung up first
            if not leg.ended.wait(timeout) and leg.answered_at is None:
                self.end(leg, "no-answer")
        elif not leg.ended.wait(agent.delay):
            self.enter_consult(leg)

    def enter_consult(self, leg: SimCall) -> None:
        """A consult call answered: it joins its conference and says so."""
        with self.lock:
            if leg.ended.is_set():
                return
            leg.status, leg.answered_at = "in-progress", self.clock.now()
        self.join(leg, leg.joins, start=True, end_on_exit=False, wait_url=None)
        self.post(leg.status_callback, leg.params())

    def add_participant(self, conference, *, to, from_, muted, coach_call_sid) -> str:
        with self.lock:
            self.requests.append(("add_participant", conference, to, muted, coach_call_sid))
        return sid("CA")

    def join(self, call: SimCall, name: str, *, start: bool, end_on_exit: bool, wait_url,
             recording: str | None = None) -> None:  # fmt: skip
        with self.lock:
            conference = self.conferences.setdefault(name, SimConference(name))
            conference.members[call.sid] = end_on_exit
            conference.recording = conference.recording or recording
            if start and not conference.started:
                conference.started, conference.started_at = True, self.clock.now()
            call.conference = name
        if wait_url and not conference.started:
            self.player.listen(call, wait_url)

    def leave_conference(self, call: SimCall) -> None:
        with self.lock:
            conference = self.conferences.get(call.conference or "")
            call.conference = None
            if conference is None or call.sid not in conference.members:
                return
            ends = conference.members.pop(call.sid)
            others = list(conference.members) if ends else []
            closed = ends or not conference.members
            if closed:
                del self.conferences[conference.name]
        for other in others:
            self.end(self.calls[other], "completed")
        if closed and conference.recording and conference.started_at is not None:
            seconds = self.clock.now() - conference.started_at  # recorded from its start
            self._spawn(report_recording, self, conference.recording, seconds)

    def bridged(self, name: str) -> bool:
        with self.lock:
            conference = self.conferences.get(name)
            return bool(conference and conference.started and len(conference.members) >= 2)

    def end(self, call: SimCall, status: str) -> None:
        with self.lock:
            if call.ended.is_set():
                return
            call.ended.set()
            call.status = status
        self.leave_conference(call)
        if call.status_callback:
            params = call.params()
            now = self.clock.now()
            params["CallDuration"] = str(int(now - (call.answered_at or now)))
            self.post(call.status_callback, params)
