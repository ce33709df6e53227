"""An agent who takes calls in the browser (Twilio Voice JS SDK) with a live engine and the
simulated carrier: the carrier rings `client:agent-<id>`; the agent accepts in the console and
the browser's answer goes straight into the caller's conference — no whisper, no "press 1"."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from sqlalchemy import select

from channels.links import Links, conference_name
from channels.models import AgentVoiceEndpoint, CallLeg
from channels.simulated import SimAgent
from dispatcher.tables import RoutingReservation, RoutingTask
from tests.channels.helpers import NUMBER, PUBLIC_URL, signed_post
from tests.channels.test_chat_flow import agent_socket
from tests.waiting import wait_until

CALLER = "+15557770009"


def browser_agent(center, name: str) -> str:
    """`name` takes calls in the browser; returns the browser phone's address."""
    agent_id = center.agents[name][0]
    with center.sessions.begin() as session:
        session.add(AgentVoiceEndpoint(agent_id=int(agent_id), kind="browser"))
    address = f"client:agent-{agent_id}"
    center.carrier.agents[address] = SimAgent(keys=None)  # rings until the page answers
    return address


def ringing_leg(center, address: str) -> CallLeg:
    def placed():
        with center.sessions() as session:
            return session.scalar(
                select(CallLeg).where(CallLeg.role == "agent", CallLeg.ended_at.is_(None))
            )

    leg = wait_until(placed)
    assert center.carrier.calls[leg.call_sid].to == address
    return leg


def accept_in_console(center, name: str, reservation_id: str) -> dict:
    console, _inbox = agent_socket(center, name)
    return console.emit("accept", {"reservation_id": reservation_id}, namespace="/agent",
                        callback=True)  # fmt: skip


def task(center, task_id) -> RoutingTask:
    with center.sessions() as session:
        return session.get(RoutingTask, task_id)


def reservation_state(center, reservation_id) -> str:
    with center.sessions() as session:
        return session.get(RoutingReservation, reservation_id).state


def test_browser_agent_accepts_in_the_console_and_the_answer_bridges_into_the_conference(center):
    address = browser_agent(center, "ann")
    center.available("ann")
    call_sid = center.carrier.place_call(from_=CALLER, to=NUMBER, digits="1")
    leg = ringing_leg(center, address)

    assert accept_in_console(center, "ann", leg.reservation_id) == {"ok": True, "done": True}
    center.carrier.answer(leg.call_sid)  # the SDK's call.accept() in the page

    wait_until(lambda: center.carrier.bridged(conference_name(call_sid)))
    assert task(center, call_sid).agent_id == center.agents["ann"][0]
    agent_call = center.carrier.calls[leg.call_sid]
    assert not any("Press 1" in said for said in agent_call.heard)
    with center.sessions() as session:
        assert session.scalar(select(CallLeg.accepted).where(CallLeg.call_sid == leg.call_sid))


def test_browser_answer_before_the_page_accepted_accepts_the_offer_itself(center):
    address = browser_agent(center, "ann")
    center.available("ann")
    call_sid = center.carrier.place_call(from_=CALLER, to=NUMBER, digits="1")
    leg = ringing_leg(center, address)

    center.carrier.answer(leg.call_sid)

    wait_until(lambda: center.carrier.bridged(conference_name(call_sid)))
    assert reservation_state(center, leg.reservation_id) == "accepted"
    assert task(center, call_sid).state == "assigned"


def test_browser_twiml_joins_the_callers_conference_with_no_gather(center, token):
    address = browser_agent(center, "ann")
    center.available("ann")
    call_sid = center.carrier.place_call(from_=CALLER, to=NUMBER, digits="1")
    leg = ringing_leg(center, address)
    assert accept_in_console(center, "ann", leg.reservation_id) == {"ok": True, "done": True}

    url = Links(PUBLIC_URL).agent_answer(call_sid, leg.reservation_id, center.agents["ann"][0])
    path = url[len(PUBLIC_URL) :]
    params = {"CallSid": leg.call_sid, "To": address, "From": NUMBER, "CallStatus": "in-progress"}
    response = signed_post(center.app.test_client(), path, params, token=token, url=url)

    twiml = ET.fromstring(response.get_data(as_text=True))
    assert [verb.tag for verb in twiml] == ["Dial", "Hangup"]
    assert twiml.find("Gather") is None and twiml.find("Say") is None
    conference = twiml.find("Dial/Conference")
    assert conference.text == conference_name(call_sid)
    assert conference.get("startConferenceOnEnter") == "true"
    assert conference.get("endConferenceOnExit") == "false"


def test_home_phone_agent_still_hears_the_whisper_and_presses_1(center, token):
    center.carrier.agents["+15551110001"] = SimAgent(keys=None)
    center.available("ann")
    call_sid = center.carrier.place_call(from_=CALLER, to=NUMBER, digits="1")
    leg = ringing_leg(center, "+15551110001")
    url = Links(PUBLIC_URL).agent_answer(call_sid, leg.reservation_id, center.agents["ann"][0])
    params = {"CallSid": leg.call_sid, "To": "+15551110001", "From": NUMBER}
    response = signed_post(center.app.test_client(), url[len(PUBLIC_URL) :], params,
                           token=token, url=url)  # fmt: skip
    twiml = ET.fromstring(response.get_data(as_text=True))
    assert "Press 1 to accept" in twiml.find("Gather/Say").text
    assert twiml.find("Dial") is None


def test_browser_call_that_never_connects_after_accept_keeps_the_caller_for_another_agent(
    center,
):
    """ann accepts in the console, then her browser declines (microphone denied, page closed):
    the caller is not hung up — they hold at their place and bob's phone rings."""
    address = browser_agent(center, "ann")
    center.available("ann")
    call_sid = center.carrier.place_call(from_=CALLER, to=NUMBER, digits="1")
    leg = ringing_leg(center, address)
    assert accept_in_console(center, "ann", leg.reservation_id) == {"ok": True, "done": True}
    center.carrier.decline(leg.call_sid)

    wait_until(lambda: task(center, call_sid).state == "pending" or
               task(center, call_sid).agent_id == center.agents["bob"][0])  # fmt: skip
    assert not center.carrier.calls[call_sid].ended.is_set()  # the caller still holds
    center.available("bob")  # bob's phone presses 1
    wait_until(lambda: center.carrier.bridged(conference_name(call_sid)))
    assert task(center, call_sid).agent_id == center.agents["bob"][0]
    assert task(center, call_sid).state == "assigned"
