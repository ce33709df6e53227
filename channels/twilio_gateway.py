"""TwilioGateway: the telephony gateway on Twilio's REST API (twilio's Client), with retries.

Server errors (5xx), throttling (429) and network failures are retried with exponential
backoff (base_delay × 2^n seconds); anything else, or the last failure, is a GatewayError for
the caller to turn into a rejected offer — never a lost caller.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.rest import Client

from channels.gateway import Dial, GatewayError

log = logging.getLogger(__name__)
RETRIED_STATUSES = frozenset({429, 500, 502, 503, 504})
#: Twilio error codes that mean "the call already ended": hanging up again is not a failure.
CALL_NOT_ACTIVE = frozenset({20404, 21220})
#: Call progress a consult leg reports (the console shows ringing, then connected).
CONSULT_EVENTS = ["initiated", "ringing", "answered", "completed"]


class TwilioGateway:
    def __init__(
        self,
        *,
        account_sid: str,
        auth_token: str,
        http_client=None,
        attempts: int = 3,
        base_delay: float = 0.2,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.client = Client(account_sid, auth_token, http_client=http_client)
        self.attempts = attempts
        self.base_delay = base_delay
        self.sleep = sleep

    def _call(self, what: str, action: Callable):
        """Run one REST action, retrying transient failures; GatewayError when it gives up."""
        for attempt in range(1, self.attempts + 1):
            try:
                return action()
            except TwilioRestException as error:
                if error.status not in RETRIED_STATUSES or attempt == self.attempts:
                    raise GatewayError(
                        f"{what}: Twilio answered {error.status} ({error.msg})", status=error.status
                    ) from error
                reason = f"HTTP {error.status}"
            except (TwilioException, OSError) as error:
                if attempt == self.attempts:
                    raise GatewayError(f"{what}: Twilio unreachable ({error})") from error
                reason = type(error).__name__
            delay = self.base_delay * 2 ** (attempt - 1)
            log.warning("%s failed (%s); retry %d in %.2fs", what, reason, attempt, delay)
            self.sleep(delay)
        raise AssertionError("unreachable")

    def dial(self, call: Dial) -> str:
        created = self._call(
            f"dial {call.to}",
            lambda: self.client.calls.create(
                to=call.to,
                from_=call.from_,
                url=call.url,
                method="POST",
                status_callback=call.status_callback,
                status_callback_method="POST",
                status_callback_event=["completed"],
                timeout=call.timeout,
            ),
        )
        return created.sid

    def redirect(self, call_sid: str, url: str) -> None:
        self._call(
            f"redirect {call_sid}",
            lambda: self.client.calls(call_sid).update(url=url, method="POST"),
        )

    def hang_up(self, call_sid: str) -> None:
        try:
            self._call(
                f"hang up {call_sid}",
                lambda: self.client.calls(call_sid).update(status="completed"),
            )
        except GatewayError as error:
            cause = error.__cause__
            if isinstance(cause, TwilioRestException) and (
                cause.code in CALL_NOT_ACTIVE or cause.status == 404
            ):
                return
            raise

    def call_status(self, call_sid: str) -> str | None:
        """GET the call from Twilio's REST API; None when Twilio does not know it (404)."""
        try:
            call = self._call(f"status of {call_sid}", lambda: self.client.calls(call_sid).fetch())
        except GatewayError as error:
            if error.status == 404:
                return None
            raise
        return str(call.status) if call.status is not None else None

    def _conference_sid(self, name: str) -> str:
        found = self._call(
            f"find conference {name}",
            lambda: self.client.conferences.list(friendly_name=name, status="in-progress", limit=1),
        )
        if not found:
            raise GatewayError(f"conference {name} is not in progress", status=404)
        return found[0].sid

    def hold(self, conference: str, call_sid: str, on_hold: bool, hold_url: str) -> None:
        sid = self._conference_sid(conference)
        self._call(
            f"hold {call_sid}",
            lambda: (
                self.client.conferences(sid)
                .participants(call_sid)
                .update(hold=on_hold, hold_url=hold_url, hold_method="POST")
            ),
        )

    def mute(self, conference: str, call_sid: str, muted: bool) -> None:
        sid = self._conference_sid(conference)
        self._call(
            f"mute {call_sid}",
            lambda: self.client.conferences(sid).participants(call_sid).update(muted=muted),
        )

    def add_participant(
        self, conference: str, *, to: str, from_: str, muted: bool, coach_call_sid: str | None
    ) -> str:
        sid = self._conference_sid(conference)
        extra = {"coaching": True, "call_sid_to_coach": coach_call_sid} if coach_call_sid else {}
        participant = self._call(
            f"add {to} to {conference}",
            lambda: self.client.conferences(sid).participants.create(
                from_=from_, to=to, muted=muted, end_conference_on_exit=False, **extra
            ),
        )
        return participant.call_sid

    def consult(
        self, conference: str, *, to: str, from_: str, status_callback: str, timeout: int
    ) -> str:
        """A Participants API call into the live conference; its leaving does not end it."""
        sid = self._conference_sid(conference)
        participant = self._call(
            f"consult {to} in {conference}",
            lambda: self.client.conferences(sid).participants.create(
                from_=from_, to=to, timeout=timeout, end_conference_on_exit=False, beep="false",
                status_callback=status_callback, status_callback_method="POST",
                status_callback_event=CONSULT_EVENTS,
            ),
        )
        return participant.call_sid

    def send_message(self, conversation_sid: str, *, author: str, body: str) -> str:
        message = self._call(
            f"message to {conversation_sid}",
            lambda: self.client.conversations.v1.conversations(conversation_sid).messages.create(
                author=author, body=body
            ),
        )
        return message.sid

    def send_text(self, *, to: str, from_: str, body: str) -> str:
        message = self._call(f"SMS to {to}",
                             lambda: self.client.messages.create(to=to, from_=from_, body=body))
        return message.sid

    def close_conversation(self, conversation_sid: str) -> None:
        self._call(
            f"close {conversation_sid}",
            lambda: self.client.conversations.v1.conversations(conversation_sid).update(
                state="closed"
            ),
        )

    def delete_recording(self, recording_sid: str) -> None:
        """Delete a recording's media at Twilio (the retention purge); gone already is fine."""
        try:
            self.client.recordings(recording_sid).delete()
        except TwilioRestException as error:
            if error.status != 404:
                raise GatewayError(f"delete {recording_sid}: {error.msg}",
                                   status=error.status) from error  # fmt: skip
