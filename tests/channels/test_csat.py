"""CSAT end to end with a live engine and the simulated carrier: the IVR survey after a call
(the caller keys a rating through the signed webhooks), the web widget's rating after a chat,
the texted question after an SMS chat (answered by a reply; unanswered it expires and a later
text opens a new conversation), once per contact, bad input refused with nothing written, and
the wallboard's figures."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from agents.models import Program
from channels import contacts, sms_survey
from channels.links import conference_name
from quality import settings as quality_settings
from quality.models import Survey
from tests.channels.helpers import NUMBER, signed_post
from tests.channels.test_chat_flow import Inbox, agent_socket, task_state, transcript
from tests.factories import make_user
from tests.waiting import wait_until
from tests.web_client import login
from web.extensions import socketio

CALLER = "+15557770042"


def enable(center, **values):
    with center.sessions.begin() as session:
        program = session.scalar(select(Program).where(Program.code == "acme"))
        quality_settings.save(session=session, program_id=program.id, values=values)


def survey(center, task_id) -> Survey | None:
    with center.sessions() as session:
        return session.get(Survey, task_id)


def talk_then_agent_ends(center, digits: str) -> str:
    """A caller reaches ann, they talk, ann ends the call (wrap-up); returns the CallSid."""
    center.available("ann")
    call_sid = center.carrier.place_call(from_=CALLER, to=NUMBER, digits=digits)
    wait_until(lambda: center.carrier.bridged(conference_name(call_sid)))
    with center.sessions.begin() as session:
        contacts.wrap_up(session=session, task_id=call_sid)
    return call_sid


def test_caller_rates_the_call_on_the_keypad_after_the_agent_leaves(center):
    enable(center, voice_survey=True)
    call_sid = talk_then_agent_ends(center, digits="14")
    caller = center.carrier.calls[call_sid]
    answered = wait_until(lambda: (s := survey(center, call_sid)) and s.rating and s)
    assert answered.rating == 4 and answered.agent_id == center.agents["ann"][0]
    assert answered.channel == "voice" and answered.queue_id == "claims"
    assert any("how satisfied were you" in said for said in caller.heard)
    wait_until(caller.ended.is_set)
    assert any("Thank you for your feedback" in said for said in caller.heard)

    # A replayed keypress (Twilio retries) changes nothing: accepted once per contact.
    replay = signed_post(
        center.app.test_client(), f"/twilio/voice/survey/answer?task={call_sid}&attempt=1",
        {"CallSid": call_sid, "Digits": "1"}, token=center.carrier.auth_token,
    )  # fmt: skip
    assert replay.status_code == 200
    assert survey(center, call_sid).rating == 4


def test_a_key_outside_1_to_5_is_asked_again_and_nothing_is_kept_until_a_rating(center):
    enable(center, voice_survey=True)
    call_sid = talk_then_agent_ends(center, digits="195")
    answered = wait_until(lambda: (s := survey(center, call_sid)) and s.rating and s)
    assert answered.rating == 5
    assert any("please press a key from 1 to 5" in said
               for said in center.carrier.calls[call_sid].heard)  # fmt: skip


def test_survey_answer_from_a_call_that_is_not_the_contacts_caller_is_refused(center):
    enable(center, voice_survey=True)
    call_sid = talk_then_agent_ends(center, digits="1")  # no rating key: the caller is thanked
    wait_until(lambda: survey(center, call_sid))
    wait_until(center.carrier.calls[call_sid].ended.is_set)
    forged = signed_post(
        center.app.test_client(), f"/twilio/voice/survey/answer?task={call_sid}&attempt=1",
        {"CallSid": "CA" + "9" * 32, "Digits": "5"}, token=center.carrier.auth_token,
    )  # fmt: skip
    assert forged.status_code == 403
    assert forged.get_json()["fields"] == {"CallSid": "not the caller of this contact"}
    assert survey(center, call_sid).rating is None


def test_without_a_survey_the_caller_is_hung_up_when_the_agent_leaves(center):
    call_sid = talk_then_agent_ends(center, digits="15")
    wait_until(center.carrier.calls[call_sid].ended.is_set)
    wait_until(lambda: task_state(center, call_sid) == "completed")
    assert survey(center, call_sid) is None
    assert not any("how satisfied" in said for said in center.carrier.calls[call_sid].heard)


def chat_that_ends(center) -> tuple[dict, Inbox]:
    agent, agent_inbox = agent_socket(center, "cat")
    center.available("cat")
    customer = socketio.test_client(center.app, namespace="/chat")
    inbox = Inbox(customer, "/chat")
    started = customer.emit("start", {"entry": "default", "name": "Dana", "body": "Hi"},
                            namespace="/chat", callback=True)  # fmt: skip
    offer = agent_inbox.wait("offer")[0]
    agent.emit("accept", {"reservation_id": offer["reservation_id"]}, namespace="/agent",
               callback=True)  # fmt: skip
    agent_inbox.wait("assigned")
    assert agent.emit("end", {"task_id": started["task_id"]}, namespace="/agent",
                      callback=True)["ok"]  # fmt: skip
    return started, inbox


def test_chat_customer_rates_once_in_the_widget_and_the_wallboard_shows_it(center):
    enable(center, chat_survey=True)
    started, inbox = chat_that_ends(center)
    assert inbox.wait("closed")[0]["survey"] is True
    task_id, token = started["task_id"], started["token"]
    web = center.app.test_client()

    bad_input = [
        ({"rating": 0}, "rating"),
        ({"rating": "five"}, "rating"),
        ({"rating": 6}, "rating"),
        ({"rating": 3, "comment": "x" * 1001}, "comment"),
    ]
    for bad, field in bad_input:
        refused = web.post("/chat/rating", json={"token": token, "task_id": task_id, **bad})
        assert refused.status_code == 422 and field in refused.get_json()["fields"], bad
    assert survey(center, task_id).rating is None  # nothing written

    other = web.post("/chat/rating", json={"token": token, "task_id": "WCother", "rating": 5})
    assert other.status_code == 403 and "task_id" in other.get_json()["fields"]
    forged = web.post("/chat/rating", json={"token": "forged", "task_id": task_id, "rating": 5})
    assert forged.status_code == 403 and "token" in forged.get_json()["fields"]

    rated = web.post("/chat/rating", json={"token": token, "task_id": task_id, "rating": 5,
                                           "comment": "Quick and kind."})  # fmt: skip
    assert rated.status_code == 201 and rated.get_json() == {"task_id": task_id, "rating": 5}
    again = web.post("/chat/rating", json={"token": token, "task_id": task_id, "rating": 1})
    assert again.status_code == 409
    kept = survey(center, task_id)
    assert (kept.rating, kept.comment) == (5, "Quick and kind.")
    resumed = socketio.test_client(center.app, namespace="/chat").emit(
        "resume", {"token": token}, namespace="/chat", callback=True
    )
    assert resumed["survey"] == "answered"

    with center.sessions.begin() as session:
        supervisor = make_user(session, "supervisor")
    board = center.app.test_client()
    assert login(board, supervisor.email).status_code == 302
    figures = board.get("/dashboard/api/summary").get_json()["csat"]
    program = next(p for p in figures["programs"] if p["id"] == "acme")
    assert program == {"id": "acme", "offered": 1, "answered": 1, "response_rate": 1.0,
                       "average": 5.0, "csat": 1.0}  # fmt: skip
    agent = next(a for a in figures["agents"] if a["id"] == center.agents["cat"][0])
    assert agent["answered"] == 1 and agent["csat"] == 1.0


def test_no_survey_is_offered_when_the_program_asks_none(center):
    started, inbox = chat_that_ends(center)
    assert inbox.wait("closed")[0]["survey"] is False
    refused = center.app.test_client().post(
        "/chat/rating", json={"token": started["token"], "task_id": started["task_id"],
                              "rating": 4},
    )  # fmt: skip
    assert refused.status_code == 404
    wait_until(lambda: task_state(center, started["task_id"]) == "completed")


def sms_chat_that_ends(center, phone: str = "+15557770077") -> str:
    """A customer texts, cat answers and ends the chat; returns the ConversationSid."""
    agent, inbox = agent_socket(center, "cat")
    center.available("cat")
    conversation = center.carrier.send_sms(from_=phone, to=NUMBER, body="Is my claim filed?")
    offer = inbox.wait("offer")[0]
    agent.emit("accept", {"reservation_id": offer["reservation_id"]}, namespace="/agent",
               callback=True)  # fmt: skip
    inbox.wait("assigned")
    assert agent.emit("end", {"task_id": conversation}, namespace="/agent",
                      callback=True)["ok"]  # fmt: skip
    return conversation


def test_sms_customer_is_asked_by_text_and_a_reply_1_to_5_is_recorded_once(center):
    enable(center, chat_survey=True)
    phone = "+15557770077"
    conversation = sms_chat_that_ends(center, phone)
    sim = center.carrier.conversations[conversation]
    wait_until(lambda: sms_survey.QUESTION in sim.received)
    asked = wait_until(lambda: survey(center, conversation))  # the reactor committed the offer
    assert asked.channel == "sms" and not sim.closed

    # Not a rating: answered clearly, nothing kept, still open for the answer.
    assert center.carrier.send_sms(from_=phone, to=NUMBER, body="great!") == conversation
    wait_until(lambda: sms_survey.UNREADABLE in sim.received)
    assert survey(center, conversation).rating is None and not sim.closed

    center.carrier.send_sms(from_=phone, to=NUMBER, body=" 4 ")
    answered = wait_until(lambda: (s := survey(center, conversation)) and s.rating and s)
    assert answered.rating == 4 and answered.agent_id == center.agents["cat"][0]
    wait_until(lambda: sms_survey.THANKS.format(rating=4) in sim.received)
    wait_until(lambda: sim.closed)

    # Once per contact: a replayed webhook or a later text changes nothing.
    client = center.app.test_client()
    said = len(sim.received)
    for message_sid, body in (("IM" + "7" * 32, "1"), ("IM" + "7" * 32, "1")):
        posted = signed_post(client, "/twilio/conversations", {
            "EventType": "onMessageAdded", "ConversationSid": conversation,
            "MessageSid": message_sid, "Author": phone, "Body": body,
        }, token=center.carrier.auth_token)  # fmt: skip
        assert posted.status_code == 204
    assert survey(center, conversation).rating == 4
    assert sim.received[said:] == [sms_survey.ALREADY]  # told once: the replay is one message

    def kept():
        rows = transcript(center, conversation)
        return ("system", sms_survey.QUESTION) in rows and rows

    rows = wait_until(kept)
    assert ("customer", " 4 ") in rows and ("system", sms_survey.UNREADABLE) in rows
    wait_until(lambda: task_state(center, conversation) == "completed")


def test_an_unanswered_sms_survey_expires_and_a_later_text_starts_a_new_conversation(center):
    enable(center, chat_survey=True)
    phone = "+15557770078"
    conversation = sms_chat_that_ends(center, phone)
    sim = center.carrier.conversations[conversation]
    wait_until(lambda: sms_survey.QUESTION in sim.received)
    asked = wait_until(lambda: survey(center, conversation)).offered_at  # committed
    clock = {"now": asked + sms_survey.EXPIRES_AFTER - timedelta(seconds=1)}
    job = sms_survey.SurveyExpiry(sessions=center.sessions, gateway=center.carrier,
                                  now=lambda: clock["now"])  # fmt: skip
    assert job.run_once() == 0 and not sim.closed  # a second early: still waiting
    clock["now"] += timedelta(seconds=1)
    assert job.run_once() == 1
    assert sim.closed and job.run_once() == 0  # closed once
    assert ("system", sms_survey.EXPIRED_NOTE) in transcript(center, conversation)

    later = center.carrier.send_sms(from_=phone, to=NUMBER, body="5 new problem with my claim")
    assert later != conversation  # the carrier opened a new conversation: a new contact
    wait_until(lambda: task_state(center, later) is not None)
    wait_until(lambda: ("customer", "5 new problem with my claim") in transcript(center, later))
    assert survey(center, conversation).rating is None and survey(center, later) is None
    assert sms_survey.THANKS.format(rating=5) not in sim.received


def test_a_text_reaching_an_expired_question_is_not_taken_as_its_answer(center):
    enable(center, chat_survey=True)
    phone = "+15557770079"
    conversation = sms_chat_that_ends(center, phone)
    sim = center.carrier.conversations[conversation]
    wait_until(lambda: sms_survey.QUESTION in sim.received)
    wait_until(lambda: survey(center, conversation))  # the reactor committed the offer
    with center.sessions.begin() as session:  # asked a day ago; the job has not run yet
        session.get(Survey, conversation).offered_at -= sms_survey.EXPIRES_AFTER
    assert center.carrier.send_sms(from_=phone, to=NUMBER, body="4") == conversation
    wait_until(lambda: sms_survey.EXPIRED in sim.received)
    wait_until(lambda: sim.closed)
    assert survey(center, conversation).rating is None
    later = center.carrier.send_sms(from_=phone, to=NUMBER, body="hello again")
    assert later != conversation
    wait_until(lambda: task_state(center, later) is not None)


def test_sms_chat_of_a_program_that_asks_no_survey_is_closed_at_once(center):
    conversation = sms_chat_that_ends(center)
    sim = center.carrier.conversations[conversation]
    wait_until(lambda: sim.closed)
    assert survey(center, conversation) is None
    assert sms_survey.QUESTION not in sim.received
