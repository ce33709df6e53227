"""Voice end to end with a live engine and the simulated carrier: IVR, queue, offer to the
agent's phone, press 1, bridged, hangups, wrap-up, abandon, re-offer and idempotency."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from sqlalchemy import func, select

from channels.links import conference_name
from channels.models import CallLeg, Contact
from channels.simulated import SimAgent
from dispatcher.tables import RoutingCommand, RoutingTask
from tests.channels.helpers import NUMBER, signed_post
from tests.waiting import wait_until

CALLER = "+15557770001"


def task_state(center, task_id):
    with center.sessions() as session:
        return session.scalar(select(RoutingTask.state).where(RoutingTask.task_id == task_id))


def contact(center, task_id) -> Contact:
    with center.sessions() as session:
        return session.get(Contact, task_id)


def agent_legs(center, task_id):
    with center.sessions() as session:
        return session.scalars(
            select(CallLeg)
            .where(CallLeg.task_id == task_id, CallLeg.role == "agent")
            .order_by(CallLeg.id)
        ).all()


def test_caller_is_routed_through_the_ivr_to_an_agent_who_presses_1_then_wrap_up_completes(
    center,
):
    center.available("ann")
    call_sid = center.carrier.place_call(from_=CALLER, to=NUMBER, digits="1")
    caller = center.carrier.calls[call_sid]
    assert any("Welcome to Acme" in said for said in caller.heard)
    assert any("For claims, press 1" in said for said in caller.heard)

    wait_until(lambda: center.carrier.bridged(conference_name(call_sid)))
    assert task_state(center, call_sid) == "assigned"
    legs = agent_legs(center, call_sid)
    assert [(leg.agent_id, leg.accepted) for leg in legs] == [(center.agents["ann"][0], True)]
    ann_call = center.carrier.calls[legs[0].call_sid]
    assert any("Acme Insurance about claims. Press 1" in said for said in ann_call.heard)

    center.carrier.hang_up_caller(call_sid)
    wait_until(lambda: task_state(center, call_sid) == "completed")
    wait_until(ann_call.ended.is_set)
    finished = wait_until(lambda: (c := contact(center, call_sid)).ended_at and c)
    assert finished.outcome == "answered" and finished.agent_id == center.agents["ann"][0]


def test_caller_who_hangs_up_while_waiting_is_abandoned(center):
    call_sid = center.carrier.place_call(from_=CALLER, to=NUMBER, digits="1")
    wait_until(lambda: task_state(center, call_sid) == "pending")
    assert any("Please hold" in said for said in center.carrier.calls[call_sid].heard)
    hold = signed_post(
        center.app.test_client(),
        f"/twilio/voice/hold?task={call_sid}",
        {"CallSid": call_sid},
        token=center.carrier.auth_token,
    )
    said = [e.text for e in ET.fromstring(hold.data).iter("Say")]
    assert said == ["Please hold. You are next in line."]
    center.carrier.hang_up_caller(call_sid)
    wait_until(lambda: task_state(center, call_sid) == "canceled")
    wait_until(lambda: contact(center, call_sid).outcome == "abandoned")


def test_agent_who_does_not_answer_loses_the_offer_to_the_next_agent(center):
    center.carrier.agents["+15551110001"] = SimAgent(keys=None)  # ann's phone rings out
    center.available("ann")
    center.available("bob")
    call_sid = center.carrier.place_call(from_=CALLER, to=NUMBER, digits="1")
    wait_until(lambda: center.carrier.bridged(conference_name(call_sid)))
    legs = agent_legs(center, call_sid)
    assert [leg.agent_id for leg in legs] == [center.agents["ann"][0], center.agents["bob"][0]]
    assert [leg.accepted for leg in legs] == [False, True]
    wait_until(lambda: center.carrier.calls[legs[0].call_sid].ended.is_set())


def test_unreachable_agent_is_a_rejected_offer_and_the_caller_keeps_holding(center):
    del center.carrier.agents["+15551110001"]  # ann's number cannot be dialled
    center.available("ann")
    center.available("bob")
    call_sid = center.carrier.place_call(from_=CALLER, to=NUMBER, digits="1")
    wait_until(lambda: center.carrier.bridged(conference_name(call_sid)))
    legs = agent_legs(center, call_sid)
    assert [leg.agent_id for leg in legs] == [center.agents["bob"][0]]


def test_the_same_call_sid_twice_makes_one_task(center):
    params = {"CallSid": "CA" + "1" * 32, "From": CALLER, "To": NUMBER, "CallStatus": "ringing"}
    token = center.carrier.auth_token
    client = center.app.test_client()
    first = signed_post(client, "/twilio/voice/incoming", params, token=token)
    second = signed_post(client, "/twilio/voice/incoming", params, token=token)
    assert first.status_code == second.status_code == 200
    assert first.data == second.data
    menu = {**params, "Digits": "1"}
    for _ in range(2):
        assert signed_post(client, "/twilio/voice/menu", menu, token=token).status_code == 200
    wait_until(lambda: task_state(center, params["CallSid"]) == "pending")
    with center.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Contact)) == 1
        enqueues = session.scalar(
            select(func.count()).select_from(RoutingCommand).where(RoutingCommand.kind == "enqueue")
        )
        assert enqueues == 1


def test_caller_past_max_wait_leaves_a_voicemail_linked_to_the_task(center):
    from dispatcher.core.codec import encode
    from dispatcher.core.model import Queue

    center.command("configure_queue", queue=encode(Queue("claims", program="acme", max_wait=0.5)))
    call_sid = center.carrier.place_call(
        from_=CALLER, to=NUMBER, digits="1", voicemail="please call me"
    )
    wait_until(lambda: contact(center, call_sid).recording_url)
    assert task_state(center, call_sid) == "canceled"
    assert contact(center, call_sid).outcome == "voicemail"
    wait_until(center.carrier.calls[call_sid].ended.is_set)
