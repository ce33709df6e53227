"""Twilio webhooks over HTTP: signatures checked with twilio's RequestValidator scheme against
the public URL, bad input refused with nothing created, TwiML checked by parsing the XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import func, select

from channels import entry_points
from channels.models import CallLeg, Contact, TranscriptMessage
from dispatcher.tables import RoutingCommand
from tests.channels.helpers import NUMBER, PUBLIC_URL, signed_post
from tests.factories import make_program

CALL = {"CallSid": "CA" + "a" * 32, "From": "+15557770001", "To": NUMBER, "CallStatus": "ringing"}


@pytest.fixture
def number(db_session):
    make_program(db_session, code="acme", name="Acme Insurance")
    menu = [
        {"digit": "1", "label": "claims", "queue_id": "claims", "language": "en"},
        {"digit": "2", "label": "reclamos", "queue_id": "claims-es", "language": "es"},
    ]
    entry = entry_points.save(
        session=db_session,
        address=NUMBER,
        program_code="acme",
        queue_id="claims",
        greeting="Welcome to Acme.",
        menu=menu,
    )
    db_session.commit()
    return entry


def count(db_session, model) -> int:
    return db_session.scalar(select(func.count()).select_from(model))


def nothing_created(db_session) -> bool:
    return all(count(db_session, m) == 0 for m in (Contact, CallLeg, RoutingCommand))


def test_inbound_call_gets_the_ivr_menu_as_twiml(twilio_app, number, token):
    response = signed_post(twilio_app.test_client(), "/twilio/voice/incoming", CALL, token=token)
    assert response.status_code == 200 and response.mimetype == "application/xml"
    root = ET.fromstring(response.data)
    gather = root.find("Gather")
    assert gather.get("numDigits") == "1"
    assert gather.get("action") == f"{PUBLIC_URL}/twilio/voice/menu"
    said = [say.text for say in gather.iter("Say")]
    assert said == ["Welcome to Acme.", "For claims, press 1.", "For reclamos, press 2."]
    assert root.find("Redirect").text == f"{PUBLIC_URL}/twilio/voice/menu"


def test_menu_choice_queues_the_call_and_holds_the_caller_in_its_conference(
    twilio_app, number, token, db_session
):
    client = twilio_app.test_client()
    signed_post(client, "/twilio/voice/incoming", CALL, token=token)
    response = signed_post(client, "/twilio/voice/menu", {**CALL, "Digits": "2"}, token=token)
    conference = ET.fromstring(response.data).find("Dial/Conference")
    assert conference.text == f"task-{CALL['CallSid']}"
    assert conference.get("startConferenceOnEnter") == "false"
    assert conference.get("endConferenceOnExit") == "true"
    assert conference.get("waitUrl") == f"{PUBLIC_URL}/twilio/voice/hold?task={CALL['CallSid']}"
    command = db_session.scalars(select(RoutingCommand)).one()
    assert command.kind == "enqueue"
    assert (command.payload["queue_id"], command.payload["language"]) == ("claims-es", "es")


def test_a_key_that_is_not_an_option_repeats_the_menu(twilio_app, number, token, db_session):
    client = twilio_app.test_client()
    signed_post(client, "/twilio/voice/incoming", CALL, token=token)
    response = signed_post(client, "/twilio/voice/menu", {**CALL, "Digits": "7"}, token=token)
    said = [say.text for say in ET.fromstring(response.data).iter("Say")]
    assert said[0] == "Sorry, that is not an option."
    assert count(db_session, RoutingCommand) == 0


@pytest.mark.parametrize(
    "how",
    ["unsigned", "forged", "other_url", "other_token", "tampered_params"],
)
def test_webhooks_not_signed_by_twilio_for_this_url_are_refused_and_create_nothing(
    twilio_app, number, token, db_session, caplog, how
):
    client = twilio_app.test_client()
    path = "/twilio/voice/incoming"
    if how == "unsigned":
        response = client.post(path, data=CALL)
    elif how == "forged":
        response = client.post(path, data=CALL, headers={"X-Twilio-Signature": "bm90IGl0"})
    elif how == "other_url":
        response = signed_post(client, path, CALL, token=token, url="https://evil.example" + path)
    elif how == "other_token":
        response = signed_post(client, path, CALL, token="not-our-token")
    else:
        from channels.signing import sign

        signature = sign(token, PUBLIC_URL + path, CALL)
        response = client.post(
            path, data={**CALL, "To": "+15550009999"}, headers={"X-Twilio-Signature": signature}
        )
    assert response.status_code == 403
    assert response.get_json() == {"error": "invalid or missing X-Twilio-Signature"}
    assert "bad signature" in caplog.text
    assert nothing_created(db_session)


def test_missing_parameters_are_a_400_naming_them_and_create_nothing(
    twilio_app, number, token, db_session
):
    response = signed_post(
        twilio_app.test_client(), "/twilio/voice/incoming", {"To": NUMBER}, token=token
    )
    assert response.status_code == 400
    assert response.get_json()["fields"] == {"CallSid": "required", "From": "required"}
    assert nothing_created(db_session)


def test_a_call_to_an_unconfigured_number_hears_a_polite_message(
    twilio_app, number, token, db_session, caplog
):
    params = {**CALL, "To": "+15550009999"}
    response = signed_post(twilio_app.test_client(), "/twilio/voice/incoming", params, token=token)
    root = ET.fromstring(response.data)
    assert [e.tag for e in root] == ["Say", "Hangup"]
    assert "not in service" in root.find("Say").text
    assert "unconfigured number" in caplog.text
    assert nothing_created(db_session)


def test_agent_whisper_names_the_program_and_asks_for_1(twilio_app, number, token, db_session):
    client = twilio_app.test_client()
    signed_post(client, "/twilio/voice/incoming", CALL, token=token)
    signed_post(client, "/twilio/voice/menu", {**CALL, "Digits": "1"}, token=token)
    path = f"/twilio/voice/agent?task={CALL['CallSid']}&reservation=r1&agent=7"
    response = signed_post(client, path, {"CallSid": "CA" + "b" * 32}, token=token)
    gather = ET.fromstring(response.data).find("Gather")
    assert (
        gather.find("Say").text
        == "Crowdline call for Acme Insurance about claims. Press 1 to accept."
    )
    assert gather.get("action").startswith(f"{PUBLIC_URL}/twilio/voice/agent/answer?")


def test_voicemail_fallback_records_and_links_the_recording_once(
    twilio_app, number, token, db_session
):
    client = twilio_app.test_client()
    signed_post(client, "/twilio/voice/incoming", CALL, token=token)
    task = CALL["CallSid"]
    response = signed_post(
        client, f"/twilio/voice/fallback?task={task}&kind=voicemail", CALL, token=token
    )
    record = ET.fromstring(response.data).find("Record")
    assert record.get("action") == f"{PUBLIC_URL}/twilio/voice/recording?task={task}"
    assert record.get("maxLength") == "120"
    for url in ("https://api.twilio.test/r/1", "https://api.twilio.test/r/2"):
        recorded = {**CALL, "RecordingSid": "RE" + "1" * 32, "RecordingUrl": url}
        signed_post(client, f"/twilio/voice/recording?task={task}", recorded, token=token)
    contact = db_session.get(Contact, task)
    db_session.refresh(contact)
    assert (contact.outcome, contact.recording_url) == ("voicemail", "https://api.twilio.test/r/1")


def test_conversation_messages_arriving_before_their_conversation_are_kept_once(
    twilio_app, number, token, db_session
):
    client = twilio_app.test_client()
    message = {
        "EventType": "onMessageAdded",
        "ConversationSid": "CH" + "c" * 32,
        "MessageSid": "IM" + "d" * 32,
        "Author": "+15557770002",
        "Body": "Hello?",
    }
    for _ in range(2):
        assert signed_post(client, "/twilio/conversations", message, token=token).status_code == 204
    added = {
        "EventType": "onConversationAdded",
        "ConversationSid": message["ConversationSid"],
        "MessagingBinding.Address": "+15557770002",
        "MessagingBinding.ProxyAddress": NUMBER,
    }
    for _ in range(2):
        assert signed_post(client, "/twilio/conversations", added, token=token).status_code == 204
    assert count(db_session, TranscriptMessage) == 1
    assert count(db_session, Contact) == 1
    command = db_session.scalars(select(RoutingCommand)).one()
    assert (command.kind, command.payload["channel"]) == ("enqueue", "sms")


def test_without_public_url_the_signature_is_checked_against_the_request_url(app, number, settings):
    from channels.signing import webhook_token

    token = webhook_token(None, settings.secret_key)
    client = app.test_client()
    path = "/twilio/voice/incoming"
    assert (
        signed_post(client, path, CALL, token=token, url="http://localhost" + path).status_code
        == 200
    )
    assert signed_post(client, path, CALL, token=token).status_code == 403


def test_webhooks_get_a_retryable_503_while_the_database_is_unreachable(twilio_settings, token):
    """A restart or failover of PostgreSQL: Twilio gets 503 + Retry-After, nothing half-done,
    never a 500 or a stack trace."""
    from database.engine import make_engine, make_session_factory
    from web.app import create_app

    down = make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    app = create_app(twilio_settings, session_factory=make_session_factory(down))
    params = {"CallSid": "CA" + "3" * 32, "From": "+15557770001", "To": "+15550001000",
              "AccountSid": "AC" + "0" * 32, "CallStatus": "ringing"}  # fmt: skip
    response = signed_post(app.test_client(), "/twilio/voice/incoming", params, token=token)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "2"
    assert "briefly unavailable" in response.get_json()["error"]
    down.dispose()
