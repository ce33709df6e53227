"""TwilioGateway against a recording twilio HttpClient (Twilio-shaped JSON, no network):
requests as Twilio expects them, retries with backoff, and errors that become GatewayError."""

from __future__ import annotations

import json

import pytest
from twilio.http import HttpClient
from twilio.http.response import Response

from channels.gateway import Dial, GatewayError
from channels.twilio_gateway import TwilioGateway

SID = "AC" + "0" * 32


class RecordingHttpClient(HttpClient):
    """Answers each request with the next scripted (status, body); records what was asked."""

    def __init__(self, *answers):
        super().__init__(logger=None, is_async=False)
        self.answers = list(answers)
        self.requests = []

    def request(
        self,
        method,
        uri,
        params=None,
        data=None,
        headers=None,
        auth=None,
        timeout=None,
        allow_redirects=False,
    ):
        self.requests.append((method, uri, dict(data or {})))
        status, body = self.answers.pop(0)
        return Response(status, json.dumps(body))


def error(status, code, message):
    return status, {"code": code, "message": message, "status": status, "more_info": ""}


def gateway(client, sleeps=None):
    return TwilioGateway(
        account_sid=SID,
        auth_token="t" * 32,
        http_client=client,
        sleep=(sleeps.append if sleeps is not None else lambda s: None),
    )


DIAL = Dial(
    to="+15551110001",
    from_="+15550001000",
    url="https://cc.example.com/twilio/voice/agent?task=CA1",
    status_callback="https://cc.example.com/twilio/voice/agent/status?task=CA1",
    timeout=15,
)


def test_dial_creates_a_call_with_answer_and_status_urls():
    client = RecordingHttpClient((201, {"sid": "CA" + "9" * 32, "status": "queued"}))
    assert gateway(client).dial(DIAL) == "CA" + "9" * 32
    method, uri, data = client.requests[0]
    assert (method, uri) == ("POST", f"https://api.twilio.com/2010-04-01/Accounts/{SID}/Calls.json")
    assert data["To"] == DIAL.to and data["From"] == DIAL.from_
    assert data["Url"] == DIAL.url and data["StatusCallback"] == DIAL.status_callback
    assert data["Timeout"] == 15 and data["Method"] == "POST"


def test_server_errors_are_retried_with_exponential_backoff():
    sleeps = []
    client = RecordingHttpClient(
        error(503, 20503, "Service unavailable"),
        error(500, 20500, "Internal error"),
        (201, {"sid": "CA" + "8" * 32}),
    )
    assert gateway(client, sleeps).dial(DIAL) == "CA" + "8" * 32
    assert len(client.requests) == 3
    assert sleeps == [0.2, 0.4]


def test_the_last_failure_and_client_errors_become_gateway_errors():
    client = RecordingHttpClient(*[error(503, 20503, "Service unavailable")] * 3)
    with pytest.raises(GatewayError) as failed:
        gateway(client).dial(DIAL)
    assert failed.value.status == 503 and len(client.requests) == 3
    invalid = RecordingHttpClient(error(400, 21211, "Invalid 'To' Phone Number"))
    with pytest.raises(GatewayError, match="Invalid 'To' Phone Number"):
        gateway(invalid).dial(DIAL)
    assert len(invalid.requests) == 1  # a refusal is not retried


def test_hanging_up_a_call_that_already_ended_is_not_an_error():
    client = RecordingHttpClient(error(400, 21220, "Call is not in-progress. Cannot redirect."))
    gateway(client).hang_up("CA" + "7" * 32)
    method, uri, data = client.requests[0]
    assert uri.endswith(f"/Calls/CA{'7' * 32}.json") and data == {"Status": "completed"}


def test_agent_replies_go_to_the_conversation_and_return_the_message_sid():
    client = RecordingHttpClient((201, {"sid": "IM" + "6" * 32, "body": "Hi"}))
    sid = gateway(client).send_message("CH" + "5" * 32, author="agent-3", body="Hi")
    assert sid == "IM" + "6" * 32
    method, uri, data = client.requests[0]
    assert uri == f"https://conversations.twilio.com/v1/Conversations/CH{'5' * 32}/Messages"
    assert data == {"Author": "agent-3", "Body": "Hi"}


def test_redirect_sends_the_live_call_to_new_twiml():
    client = RecordingHttpClient((200, {"sid": "CA" + "4" * 32}))
    gateway(client).redirect("CA" + "4" * 32, "https://cc.example.com/twilio/voice/fallback")
    assert client.requests[0][2] == {
        "Url": "https://cc.example.com/twilio/voice/fallback",
        "Method": "POST",
    }


def test_mute_finds_the_live_conference_and_mutes_the_participant():
    conference = {"sid": "CF" + "3" * 32, "friendly_name": "task-CA1", "status": "in-progress"}
    client = RecordingHttpClient(
        (200, {"conferences": [conference], "meta": {"key": "conferences"}}),
        (200, {"call_sid": "CA" + "2" * 32, "muted": True}),
    )
    gateway(client).mute("task-CA1", "CA" + "2" * 32, True)
    (_, found, query), (method, uri, data) = client.requests
    assert found.endswith(f"/Accounts/{SID}/Conferences.json")
    assert method == "POST"
    assert uri.endswith(f"/Conferences/CF{'3' * 32}/Participants/CA{'2' * 32}.json")
    assert data == {"Muted": "true"}


def test_call_status_is_the_rest_call_resource_status():
    call_sid = "CA" + "5" * 32
    client = RecordingHttpClient((200, {"sid": call_sid, "status": "completed"}))
    assert gateway(client).call_status(call_sid) == "completed"
    method, uri, _data = client.requests[0]
    assert (method, uri) == (
        "GET", f"https://api.twilio.com/2010-04-01/Accounts/{SID}/Calls/{call_sid}.json"
    )  # fmt: skip


def test_call_status_of_a_call_twilio_does_not_know_is_none_and_outages_are_errors():
    unknown = RecordingHttpClient(error(404, 20404, "The requested resource was not found"))
    assert gateway(unknown).call_status("CA" + "1" * 32) is None
    down = RecordingHttpClient(*[error(503, 20503, "Service unavailable")] * 3)
    with pytest.raises(GatewayError) as raised:
        gateway(down).call_status("CA" + "1" * 32)
    assert raised.value.status == 503 and len(down.requests) == 3


def test_consult_calls_the_colleague_into_the_live_conference_with_progress_callbacks():
    conference = {"sid": "CF" + "3" * 32, "friendly_name": "task-CA1", "status": "in-progress"}
    client = RecordingHttpClient(
        (200, {"conferences": [conference], "meta": {"key": "conferences"}}),
        (201, {"call_sid": "CA" + "4" * 32, "conference_sid": conference["sid"]}),
    )
    callback = "https://cc.example.com/twilio/voice/consult/status?task=CA1&agent=2"
    call_sid = gateway(client).consult(
        "task-CA1", to="+15551110002", from_="+15550001000", status_callback=callback, timeout=20
    )
    assert call_sid == "CA" + "4" * 32
    (_, found, _query), (method, uri, data) = client.requests
    assert found.endswith(f"/Accounts/{SID}/Conferences.json")
    assert (method, uri.split("/Accounts/")[1]) == (
        "POST", f"{SID}/Conferences/CF{'3' * 32}/Participants.json")  # fmt: skip
    assert data["To"] == "+15551110002" and data["From"] == "+15550001000"
    assert data["StatusCallback"] == callback and data["StatusCallbackMethod"] == "POST"
    assert data["StatusCallbackEvent"] == ["initiated", "ringing", "answered", "completed"]
    assert (data["EndConferenceOnExit"], data["Timeout"], data["Beep"]) == ("false", 20, "false")


def test_consult_into_a_conference_that_is_not_live_is_a_404_gateway_error():
    client = RecordingHttpClient((200, {"conferences": [], "meta": {"key": "conferences"}}))
    with pytest.raises(GatewayError, match="not in progress") as refused:
        gateway(client).consult("task-CA9", to="+15551110002", from_="+15550001000",
                                status_callback="https://cc.example.com/x", timeout=20)  # fmt: skip
    assert refused.value.status == 404
