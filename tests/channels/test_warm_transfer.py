"""Warm transfer with a live engine and the simulated carrier, through the console socket: the
agent consults a colleague (the caller holds in the conference, the colleague's phone is called
into it), then completes — the call is the colleague's, by a routing command and its events —
or cancels; a colleague who declines or is not available is an error the agent reads."""

from __future__ import annotations

from sqlalchemy import select

from channels import console_view, consults
from channels.links import conference_name
from channels.models import CallLeg
from channels.simulated import SimAgent
from dispatcher.tables import RoutingEvent
from tests.channels.helpers import NUMBER
from tests.channels.test_call_controls import asked, call_answered_by, task
from tests.channels.test_chat_flow import agent_socket
from tests.waiting import wait_until


def emit(socket, event, data):
    return socket.emit(event, data, namespace="/agent", callback=True)


def consult_legs(center, task_id) -> list[CallLeg]:
    with center.sessions() as session:
        return consults.legs(session=session, task_id=task_id, live=False)


def consult_shown(center, name, task_id) -> dict | None:
    with center.sessions() as session:
        state = console_view.state_of(session=session, agent_id=center.agents[name][0], now=0)
    found = [t for t in state["tasks"] if t["task_id"] == task_id]
    return found[0]["consult"] if found else None


def caller_on_hold(center, call_sid) -> bool:
    return center.carrier.calls[call_sid].on_hold


def consulted_and_connected(center):
    """ann talks to a caller and consults bob, who picks up: (call_sid, ann's socket)."""
    call_sid = call_answered_by(center, "ann")
    center.available("bob")
    ann, _ = agent_socket(center, "ann")
    bob = center.agents["bob"][0]
    ack = emit(ann, "consult", {"task_id": call_sid, "agent_id": bob})
    assert ack == {"ok": True, "done": True, "task_id": call_sid, "agent_id": bob, "name": "Bob"}
    wait_until(lambda: (consult_shown(center, "ann", call_sid) or {}).get("state") == "connected",
               message="bob on the consult")  # fmt: skip
    return call_sid, ann


def test_completed_consult_hands_the_call_to_the_colleague_who_stays_with_the_caller(center):
    call_sid, ann = consulted_and_connected(center)
    assert caller_on_hold(center, call_sid)  # the caller did not hear the consult
    assert ("consult", conference_name(call_sid), "+15551110002") in asked(center, "consult")
    bob = center.agents["bob"][0]
    assert task(center, call_sid).agent_id == center.agents["ann"][0]  # still ann's until then
    (colleague_leg,) = consult_legs(center, call_sid)

    ack = emit(ann, "end_consult", {"task_id": call_sid, "complete": True})
    assert ack == {"ok": True, "done": True, "task_id": call_sid, "complete": True}
    assert (task(center, call_sid).state, task(center, call_sid).agent_id) == ("assigned", bob)
    wait_until(lambda: not caller_on_hold(center, call_sid), message="caller off hold")
    room = center.carrier.conferences[conference_name(call_sid)]
    wait_until(lambda: set(room.members) == {call_sid, colleague_leg.call_sid},
               message="ann's leg gone, caller and bob left in the conference")  # fmt: skip
    with center.sessions() as session:
        moved = session.scalars(
            select(RoutingEvent).where(RoutingEvent.task_id == call_sid,
                                       RoutingEvent.type == "TaskTransferred")
        ).one()  # fmt: skip
        assert moved.data["reason"] == "warm_transfer" and moved.data["to_agent"] == bob
    assert consult_shown(center, "ann", call_sid) is None  # ann holds the call no longer
    assert consult_legs(center, call_sid) == []  # bob's consult leg is now his agent leg

    center.carrier.hang_up(colleague_leg.call_sid)  # bob ends the conversation
    wait_until(lambda: task(center, call_sid).state in ("wrapping", "completed"),
               message="bob's hang-up wraps the call up")  # fmt: skip
    assert task(center, call_sid).agent_id == bob


def test_canceled_consult_drops_the_colleague_and_resumes_the_caller_with_the_agent(center):
    call_sid, ann = consulted_and_connected(center)
    ack = emit(ann, "end_consult", {"task_id": call_sid, "complete": False})
    assert ack["ok"] is True
    (colleague_leg,) = consult_legs(center, call_sid)
    wait_until(lambda: center.carrier.calls[colleague_leg.call_sid].ended.is_set(),
               message="bob's leg hung up")  # fmt: skip
    wait_until(lambda: not caller_on_hold(center, call_sid), message="caller back with ann")
    assert (task(center, call_sid).state, task(center, call_sid).agent_id) == (
        "assigned", center.agents["ann"][0])  # fmt: skip
    wait_until(lambda: consult_shown(center, "ann", call_sid) is None, message="no consult shown")
    # bob is free again: the next call is offered to him
    next_call = center.carrier.place_call(from_="+15557770009", to=NUMBER, digits="1")
    bob = center.agents["bob"][0]
    wait_until(lambda: getattr(task(center, next_call), "agent_id", None) == bob,
               message="the next call reaches bob")  # fmt: skip


def test_a_colleague_who_declines_ends_the_consult_and_the_agent_reads_why(center):
    center.carrier.agents["+15551110002"] = SimAgent(keys="1", declines=True)
    call_sid = call_answered_by(center, "ann")
    center.available("bob")
    ann, inbox = agent_socket(center, "ann")
    assert emit(ann, "consult", {"task_id": call_sid, "agent_id": center.agents["bob"][0]})["ok"]
    wait_until(lambda: (consult_shown(center, "ann", call_sid) or {}).get("state") == "ended",
               message="the declined consult")  # fmt: skip
    assert consult_shown(center, "ann", call_sid)["error"] == "Bob declined"
    wait_until(lambda: not caller_on_hold(center, call_sid), message="caller back with ann")
    assert task(center, call_sid).agent_id == center.agents["ann"][0]
    refused = emit(ann, "end_consult", {"task_id": call_sid, "complete": True})
    assert refused["ok"] is False


def test_consulting_a_colleague_who_is_not_available_is_refused_and_nothing_rings(center):
    call_sid = call_answered_by(center, "ann")
    center.available("bob")
    center.command("set_status", agent_id=center.agents["bob"][0], status="break")
    ann, _ = agent_socket(center, "ann")
    refused = emit(ann, "consult", {"task_id": call_sid, "agent_id": center.agents["bob"][0]})
    assert refused == {"ok": False, "error": "Bob: is break, not available"}
    assert asked(center, "consult") == []
    assert not caller_on_hold(center, call_sid)
    assert emit(ann, "consult", {"task_id": call_sid})["error"].startswith("agent_id or queue_id")
    bob, _ = agent_socket(center, "bob")
    mine = emit(bob, "consult", {"task_id": call_sid, "agent_id": center.agents["ann"][0]})
    assert mine == {"ok": False, "error": "task_id: not a call of yours"}
