"""SimulatedCarrier: the telephony gateway of a deployment with no Twilio account (demo, tests).

It keeps calls, conferences and conversations in memory and plays both sides: callers and chat
customers post **signed** webhooks to the app exactly as Twilio would (same parameters, same
URLs, same X-Twilio-Signature), and simulated agents answer offer calls by pressing keys.
Customer actions run in the calling thread; agent-side work runs on the carrier's own threads.
"""

from __future__ import annotations

import logging
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from channels.gateway import Dial, GatewayError
from channels.links import Links
from channels.signing import HEADER, sign
from channels.simulated_conferences import SimConferences
from channels.simulated_ids import sid
from channels.simulated_records import SimAgent, SimCall, SimConference, SimConversation
from channels.transports import Transport
from channels.twiml_player import TwimlPlayer
from database.clock import SYSTEM, Clock

log = logging.getLogger(__name__)

__all__ = ["SimAgent", "SimCall", "SimConference", "SimConversation", "SimulatedCarrier"]


class SimulatedCarrier(SimConferences):
    def __init__(
        self, *, base_url: str, auth_token: str, transport: Transport | None = None,
        workers: int = 4, clock: Clock = SYSTEM, recordings_dir: Path | None = None,
    ) -> None:  # fmt: skip
        self.links = Links(base_url)
        self.recordings_dir = recordings_dir or Path(tempfile.gettempdir()) / "crowdline-recordings"
        self.clock = clock
        self.auth_token = auth_token
        self.transport = transport
        self.calls: dict[str, SimCall] = {}
        self.conferences: dict[str, SimConference] = {}
        self.agents: dict[str, SimAgent] = {}
        self.conversations: dict[str, SimConversation] = {}
        self.texts: list[tuple[str, str, str]] = []  # SMS sent to phones: (to, from, body)
        self.requests: list[tuple] = []  # what the app asked of the gateway, in order
        self.default_agent: SimAgent | None = None
        self.lock = threading.RLock()
        self.executor = ThreadPoolExecutor(workers, thread_name_prefix="carrier")
        self.player = TwimlPlayer(self)

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)

    # Webhooks -----------------------------------------------------------------------------

    def post(self, url: str, params: dict[str, str]) -> tuple[int, str]:
        """POST a webhook signed with the deployment's token, as Twilio does."""
        if self.transport is None:
            return 204, ""
        headers = {HEADER: sign(self.auth_token, url, params)}
        status, body = self.transport(url, params, headers)
        if status >= 400:
            log.warning("simulated carrier: %s answered %s: %s", url, status, body[:200])
        return status, body

    def _spawn(self, work: Callable, *args, **kwargs) -> None:
        def run():
            try:
                work(*args, **kwargs)
            except Exception:
                log.exception("simulated carrier task failed")

        self.executor.submit(run)

    # Customer side ----------------------------------------------------------------------

    def place_call(
        self, *, from_: str, to: str, digits: str = "", voicemail: str | None = None
    ) -> str:
        """A caller dials `to`; returns the CallSid once the caller is holding (or done)."""
        call = SimCall(sid("CA"), from_, to, "inbound", self.links.call_status(),
                       digits=list(digits), voicemail=voicemail)  # fmt: skip
        with self.lock:
            self.calls[call.sid] = call
        call.status, call.answered_at = "in-progress", self.clock.now()
        self.player.fetch(call, self.links.incoming())
        return call.sid

    def hang_up_caller(self, call_sid: str) -> None:
        self.end(self.calls[call_sid], "completed")

    def send_sms(self, *, from_: str, to: str, body: str, whatsapp: bool = False) -> str:
        """A customer texts `to`; the first message opens a conversation. Returns its sid."""
        customer = f"whatsapp:{from_}" if whatsapp else from_
        with self.lock:
            conversation = next(
                (c for c in self.conversations.values()
                 if c.customer == customer and c.address == to and not c.closed), None,
            )  # fmt: skip
            created = conversation is None
            if created:
                conversation = SimConversation(sid("CH"), customer, to)
                self.conversations[conversation.sid] = conversation
        if created:
            self.post(self.links.conversations(), {
                "EventType": "onConversationAdded", "ConversationSid": conversation.sid,
                "MessagingBinding.Address": customer, "MessagingBinding.ProxyAddress": to,
            })  # fmt: skip
        self._message_added(conversation, author=customer, body=body, message_sid=sid("IM"))
        return conversation.sid

    def _message_added(self, conversation, *, author: str, body: str, message_sid: str) -> None:
        self.post(self.links.conversations(), {
            "EventType": "onMessageAdded", "ConversationSid": conversation.sid,
            "MessageSid": message_sid, "Author": author, "Body": body,
            "Source": "WHATSAPP" if conversation.customer.startswith("whatsapp:") else "SMS",
        })  # fmt: skip

    # Gateway side (called by the app) --------------------------------------------------

    def dial(self, call: Dial) -> str:
        agent = self.agents.get(call.to, self.default_agent)
        with self.lock:
            self.requests.append(("dial", call.to, call.url))
            if agent is None:
                raise GatewayError(f"dial {call.to}: number unreachable", status=400)
            leg = SimCall(sid("CA"), call.from_, call.to, "outbound-api", call.status_callback,
                          digits=list(agent.keys or ""), url=call.url)  # fmt: skip
            self.calls[leg.sid] = leg
        self._spawn(self._ring, leg, call, agent)
        return leg.sid

    def _ring(self, leg: SimCall, call: Dial, agent: SimAgent) -> None:
        if agent.keys is None:  # rings out unless hung up or answered in a browser first
            if not leg.ended.wait(call.timeout) and leg.answered_at is None:
                self.end(leg, "no-answer")
            return
        if leg.ended.wait(agent.delay):
            return
        leg.status, leg.answered_at = "in-progress", self.clock.now()
        self.player.fetch(leg, call.url)

    def answer(self, call_sid: str) -> None:
        """A browser phone (Voice JS SDK) accepts a ringing call: its TwiML is fetched."""
        with self.lock:
            call = self.calls[call_sid]
            if call.ended.is_set() or call.answered_at is not None:
                return
            if call.joins is None:
                call.status, call.answered_at = "in-progress", self.clock.now()
        if call.joins is not None:  # a colleague's consult call
            self._spawn(self.enter_consult, call)
            return
        self._spawn(self.player.fetch, call, call.url)

    def decline(self, call_sid: str) -> None:
        """A browser phone rejects a ringing call (Twilio reports it busy)."""
        self._spawn(self.end, self.calls[call_sid], "busy")

    def redirect(self, call_sid: str, url: str) -> None:
        with self.lock:
            self.requests.append(("redirect", call_sid, url))
            call = self.calls.get(call_sid)
        if call is None or call.ended.is_set():
            raise GatewayError(f"redirect {call_sid}: call not in progress", status=400)

        def run():
            self.leave_conference(call)
            self.player.fetch(call, url)

        self._spawn(run)

    def hang_up(self, call_sid: str) -> None:
        with self.lock:
            self.requests.append(("hang_up", call_sid))
            call = self.calls.get(call_sid)
        if call is not None and not call.ended.is_set():
            self._spawn(self.end, call, "completed" if call.answered_at else "canceled")

    def call_status(self, call_sid: str) -> str | None:
        """The carrier's own state of the call, whether or not its webhooks got through."""
        with self.lock:
            self.requests.append(("call_status", call_sid))
            call = self.calls.get(call_sid)
            return call.status if call is not None else None

    def answer_ringing(self, to: str) -> list[str]:
        """The phone at `to` picks up every call ringing it (a person who accepted in the
        console picks up the phone beside it); returns their CallSids."""
        with self.lock:
            ringing = [
                c.sid for c in self.calls.values()
                if c.to == to and c.answered_at is None and not c.ended.is_set()
            ]  # fmt: skip
        for call_sid in ringing:
            self.answer(call_sid)
        return ringing

    def send_message(self, conversation_sid: str, *, author: str, body: str) -> str:
        with self.lock:
            self.requests.append(("send_message", conversation_sid, author, body))
            conversation = self.conversations.get(conversation_sid)
        if conversation is None:
            raise GatewayError(f"conversation {conversation_sid} not found", status=404)
        conversation.received.append(body)
        message_sid = sid("IM")
        # Twilio also reports our own message back through the webhook: same MessageSid.
        self._spawn(self._message_added, conversation, author=author, body=body,
                    message_sid=message_sid)  # fmt: skip
        return message_sid

    def send_text(self, *, to: str, from_: str, body: str) -> str:
        """An SMS to a phone (e.g. an agent's reminder), kept in `texts` as (to, from, body)."""
        with self.lock:
            self.requests.append(("send_text", to, from_, body))
            self.texts.append((to, from_, body))
        return sid("SM")

    def close_conversation(self, conversation_sid: str) -> None:
        with self.lock:
            self.requests.append(("close_conversation", conversation_sid))
            conversation = self.conversations.get(conversation_sid)
        if conversation is not None:
            conversation.closed = True
