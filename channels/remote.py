"""The simulated carrier as a process of its own, for a scaled-out deployment with no Twilio
account (the system test, a multi-process demo).

With several web processes and engines, the carrier must be one place that knows every call,
conference and conversation, as Twilio is. `CarrierServer` serves a SimulatedCarrier's gateway
methods over HTTP on 127.0.0.1 (JSON in, JSON out); `RemoteGateway` is the TelephonyGateway the
web and engine processes use when `CARRIER_URL` points at it. The carrier posts its signed
webhooks to the web processes (round-robin, like a load balancer).
"""

from __future__ import annotations

import itertools
import json
import logging
import threading
import urllib.error
import urllib.request
from dataclasses import asdict

from werkzeug.serving import WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from channels.gateway import Dial, GatewayError
from channels.transports import http_transport

log = logging.getLogger(__name__)
METHODS = ("dial", "redirect", "hang_up", "hold", "mute", "add_participant", "consult",
           "send_message", "close_conversation", "call_status", "send_text")  # fmt: skip


class RemoteGateway:
    """TelephonyGateway over HTTP to a CarrierServer. A carrier that cannot be reached is a
    GatewayError, as a Twilio REST failure is (an agent not rung becomes a rejected offer)."""

    def __init__(self, url: str, *, timeout: float = 10.0) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout

    def _call(self, method: str, **args):
        body = json.dumps({"method": method, "args": args}).encode()
        request = urllib.request.Request(f"{self.url}/gateway", data=body, method="POST",
                                         headers={"Content-Type": "application/json"})  # fmt: skip
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            message = error.read().decode(errors="replace")[:200]
            raise GatewayError(f"carrier: {message}", status=error.code) from None
        except (OSError, ValueError) as error:
            raise GatewayError(f"carrier unreachable at {self.url}: {error}") from None

    def dial(self, call: Dial) -> str:
        return self._call("dial", call=asdict(call))

    def redirect(self, call_sid: str, url: str) -> None:
        self._call("redirect", call_sid=call_sid, url=url)

    def hang_up(self, call_sid: str) -> None:
        self._call("hang_up", call_sid=call_sid)

    def call_status(self, call_sid: str) -> str | None:
        return self._call("call_status", call_sid=call_sid)

    def hold(self, conference: str, call_sid: str, on_hold: bool, hold_url: str) -> None:
        self._call("hold", conference=conference, call_sid=call_sid, on_hold=on_hold,
                   hold_url=hold_url)  # fmt: skip

    def mute(self, conference: str, call_sid: str, muted: bool) -> None:
        self._call("mute", conference=conference, call_sid=call_sid, muted=muted)

    def add_participant(
        self, conference: str, *, to: str, from_: str, muted: bool, coach_call_sid: str | None
    ) -> str:
        return self._call("add_participant", conference=conference, to=to, from_=from_,
                          muted=muted, coach_call_sid=coach_call_sid)  # fmt: skip

    def consult(
        self, conference: str, *, to: str, from_: str, status_callback: str, timeout: int
    ) -> str:
        return self._call("consult", conference=conference, to=to, from_=from_,
                          status_callback=status_callback, timeout=timeout)  # fmt: skip

    def send_message(self, conversation_sid: str, *, author: str, body: str) -> str:
        return self._call("send_message", conversation_sid=conversation_sid, author=author,
                          body=body)  # fmt: skip

    def close_conversation(self, conversation_sid: str) -> None:
        self._call("close_conversation", conversation_sid=conversation_sid)

    def send_text(self, *, to: str, from_: str, body: str) -> str:
        return self._call("send_text", to=to, from_=from_, body=body)


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:
        """One line per gateway call would drown the run's output; failures still log."""


class CarrierServer:
    """Serves `carrier`'s gateway methods at POST /gateway on host:port, in a thread."""

    def __init__(self, carrier, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.carrier = carrier
        self.server = make_server(host, port, self._wsgi, threaded=True,
                                  request_handler=_QuietHandler)  # fmt: skip
        self.url = f"http://{host}:{self.server.server_port}"
        self.thread: threading.Thread | None = None

    def start(self) -> CarrierServer:
        self.thread = threading.Thread(target=self.server.serve_forever, name="carrier-http",
                                       daemon=True)  # fmt: skip
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        if self.thread is not None:
            self.thread.join(5)

    def _wsgi(self, environ, start_response):
        request = Request(environ)
        if request.path != "/gateway" or request.method != "POST":
            return Response("not found", 404)(environ, start_response)
        try:
            body = json.loads(request.get_data() or b"{}")
            method, args = body["method"], dict(body.get("args") or {})
            if method not in METHODS:
                raise KeyError(method)
            if method == "dial":
                args["call"] = Dial(**args["call"])
            result = getattr(self.carrier, method)(**args)
        except (KeyError, TypeError, ValueError) as error:
            return Response(f"bad gateway request: {error}", 400)(environ, start_response)
        except GatewayError as error:
            return Response(str(error), error.status or 502)(environ, start_response)
        return Response(json.dumps(result), 200, mimetype="application/json")(
            environ, start_response
        )


def round_robin_transport(bases: list[str], timeout: float = 10.0):
    """Post each webhook to the next web process in turn, whatever URL it is signed for (the
    way a load balancer in front of them would); a process that refuses the connection is
    skipped, as a load balancer's health check would."""

    posts = [http_transport(base, timeout) for base in bases]
    turn = itertools.cycle(range(len(posts)))
    lock = threading.Lock()

    def post(url: str, params: dict[str, str], headers: dict[str, str]) -> tuple[int, str]:
        error: OSError | None = None
        with lock:
            first = next(turn)
        for step in range(len(posts)):
            try:
                return posts[(first + step) % len(posts)](url, params, headers)
            except OSError as refused:
                error = refused
        return 503, f"no web process answered: {error}"

    return post
