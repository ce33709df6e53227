"""The simulated carrier served over HTTP to other processes (CARRIER_URL)."""

from __future__ import annotations

import time

import pytest

from channels.factory import default_gateway
from channels.gateway import Dial, GatewayError
from channels.remote import CarrierServer, RemoteGateway, round_robin_transport
from channels.simulated import SimAgent, SimulatedCarrier
from crowdline.settings import load_settings


@pytest.fixture
def carrier():
    carrier = SimulatedCarrier(base_url="http://cc.test", auth_token="t" * 32)
    server = CarrierServer(carrier).start()
    yield carrier, RemoteGateway(server.url)
    server.stop()
    carrier.close()


def test_gateway_calls_reach_the_one_carrier_and_its_refusals_come_back(carrier):
    carrier, gateway = carrier
    carrier.agents["+15551110001"] = SimAgent(keys=None)
    dial = Dial(to="+15551110001", from_="+15550001000", url="http://cc.test/twilio/x",
                status_callback="http://cc.test/twilio/y", timeout=1)  # fmt: skip
    call_sid = gateway.dial(dial)
    assert call_sid.startswith("CA") and call_sid in carrier.calls
    gateway.mute("conf-1", call_sid, True)
    gateway.hang_up(call_sid)
    assert carrier.requests[:3] == [
        ("dial", "+15551110001", "http://cc.test/twilio/x"),
        ("mute", "conf-1", call_sid, True),
        ("hang_up", call_sid),
    ]
    with pytest.raises(GatewayError) as refused:
        gateway.dial(Dial(to="+15559999999", from_="+1555", url="u", status_callback="s"))
    assert refused.value.status == 400 and "unreachable" in str(refused.value)
    with pytest.raises(GatewayError) as missing:
        gateway.send_message("CHnope", author="agent:1", body="hi")
    assert missing.value.status == 404


def test_the_reconciler_asks_the_carrier_process_for_a_calls_own_status(carrier):
    carrier, gateway = carrier
    carrier.agents["+15551110002"] = SimAgent(keys=None)
    dial = Dial(to="+15551110002", from_="+15550001000", url="http://cc.test/twilio/x",
                status_callback="http://cc.test/twilio/y", timeout=30)  # fmt: skip
    call_sid = gateway.dial(dial)
    assert gateway.call_status(call_sid) == "ringing"
    gateway.hang_up(call_sid)
    deadline = time.monotonic() + 30
    while gateway.call_status(call_sid) == "ringing" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert gateway.call_status(call_sid) == "canceled"
    assert gateway.call_status("CA" + "0" * 32) is None


def test_unknown_method_is_refused_and_an_unreachable_carrier_is_a_gateway_error(carrier):
    _carrier, gateway = carrier
    with pytest.raises(GatewayError) as refused:
        gateway._call("delete_everything")
    assert refused.value.status == 400
    with pytest.raises(GatewayError, match="carrier unreachable"):
        RemoteGateway("http://127.0.0.1:1", timeout=1).hang_up("CA1")


def test_carrier_url_makes_every_process_use_the_carrier_process(tmp_path):
    env = {"CROWDLINE_INSTANCE": str(tmp_path), "CARRIER_URL": "http://127.0.0.1:5100"}
    gateway = default_gateway(load_settings(env))
    assert isinstance(gateway, RemoteGateway) and gateway.url == "http://127.0.0.1:5100"


def test_round_robin_transport_skips_a_process_that_refuses_connections():
    import threading

    from werkzeug.serving import make_server
    from werkzeug.wrappers import Response

    server = make_server("127.0.0.1", 0, Response("ok"))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        post = round_robin_transport(["http://127.0.0.1:1", f"http://127.0.0.1:{server.port}"])
        answers = [post("http://cc.test/twilio/voice", {}, {})[0] for _ in range(4)]
        assert answers == [200, 200, 200, 200]
    finally:
        server.shutdown()
