"""Controls on a live call with a live engine and the simulated carrier: the agent holds and
resumes the caller, transfers to a queue or a named agent; supervisors monitor, whisper and
barge; a caller past max wait who asked for a callback keeps their place and is dialled back."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from agents.tokens import create_token
from channels.links import conference_name
from channels.models import CallLeg, Contact
from channels.reactor import next_callback_id
from channels.simulated import SimAgent
from dispatcher.core.codec import encode
from dispatcher.core.model import Queue
from dispatcher.tables import RoutingTask
from tests.channels.helpers import CLAIMS_OFFER_SECONDS, NUMBER
from tests.channels.test_chat_flow import agent_socket
from tests.factories import make_user
from tests.waiting import wait_until

CALLER = "+15557770003"


def task(center, task_id) -> RoutingTask | None:
    with center.sessions() as session:
        return session.get(RoutingTask, task_id)


def accepted_legs(center, task_id) -> list[CallLeg]:
    with center.sessions() as session:
        return session.scalars(
            select(CallLeg)
            .where(CallLeg.task_id == task_id, CallLeg.role == "agent", CallLeg.accepted)
            .order_by(CallLeg.id)
        ).all()


def call_answered_by(center, name: str) -> str:
    """A caller on NUMBER (key 1) talking to agent `name`, the only one available."""
    center.available(name)
    call_sid = center.carrier.place_call(from_=CALLER, to=NUMBER, digits="1")
    wait_until(lambda: center.carrier.bridged(conference_name(call_sid)))
    assert task(center, call_sid).agent_id == center.agents[name][0]
    return call_sid


def asked(center, kind: str) -> list[tuple]:
    return [r for r in center.carrier.requests if r[0] == kind]


def test_only_the_agent_on_the_call_can_hold_and_resume_the_caller(center):
    call_sid = call_answered_by(center, "ann")
    ann, _ = agent_socket(center, "ann")
    bob, _ = agent_socket(center, "bob")

    refused = bob.emit("hold", {"task_id": call_sid, "hold": True}, namespace="/agent",
                       callback=True)  # fmt: skip
    assert refused == {"ok": False, "error": "task_id: not a call of yours"}
    assert asked(center, "hold") == []
    bad = ann.emit("hold", {"task_id": call_sid, "hold": "yes"}, namespace="/agent", callback=True)
    assert bad == {"ok": False, "error": "hold: true or false"}

    for on_hold in (True, False):
        ack = ann.emit("hold", {"task_id": call_sid, "hold": on_hold}, namespace="/agent",
                       callback=True)  # fmt: skip
        assert ack == {"ok": True, "task_id": call_sid, "on_hold": on_hold}
    conference = conference_name(call_sid)
    assert asked(center, "hold") == [
        ("hold", conference, call_sid, True), ("hold", conference, call_sid, False),
    ]  # fmt: skip
    assert task(center, call_sid).state == "assigned"


def test_agent_transfers_the_call_to_a_queue_and_the_next_agent_takes_it(center):
    call_sid = call_answered_by(center, "ann")
    center.available("bob")
    ann, _ = agent_socket(center, "ann")
    assert ann.emit("hold", {"task_id": call_sid, "hold": True}, namespace="/agent",
                    callback=True)["ok"]  # fmt: skip
    ack = ann.emit("transfer", {"task_id": call_sid, "queue_id": "claims"}, namespace="/agent",
                   callback=True)  # fmt: skip
    assert ack["ok"] is True
    rejoin = ("redirect", call_sid, center.carrier.links.rejoin(call_sid))
    wait_until(lambda: rejoin in center.carrier.requests)  # the reactor acts after the commit
    wait_until(lambda: len(accepted_legs(center, call_sid)) == 2)
    legs = accepted_legs(center, call_sid)
    assert [leg.agent_id for leg in legs] == [center.agents[n][0] for n in ("ann", "bob")]
    wait_until(lambda: center.carrier.bridged(conference_name(call_sid)))
    assert task(center, call_sid).agent_id == center.agents["bob"][0]
    assert not center.carrier.calls[call_sid].ended.is_set()  # the caller never left
    bobs = center.logged_in("bob").get("/console/api/state").json["tasks"]
    assert [(t["task_id"], t["on_hold"]) for t in bobs] == [(call_sid, False)]


def test_a_transfer_to_an_unknown_queue_is_refused_and_the_call_stays(center):
    call_sid = call_answered_by(center, "ann")
    ann, _ = agent_socket(center, "ann")
    ack = ann.emit("transfer", {"task_id": call_sid, "queue_id": "nowhere"}, namespace="/agent",
                   callback=True)  # fmt: skip
    assert ack["ok"] is False and "queue" in ack["error"]
    assert task(center, call_sid).state == "assigned"
    assert task(center, call_sid).agent_id == center.agents["ann"][0]


def test_supervisor_transfers_the_call_to_a_named_agent_who_is_rung_and_takes_it(center):
    call_sid = call_answered_by(center, "ann")
    center.available("bob")
    center.available("cat")
    center.command("transfer", task_id=call_sid, agent_id=center.agents["cat"][0])
    wait_until(lambda: len(accepted_legs(center, call_sid)) == 2)
    assert accepted_legs(center, call_sid)[1].agent_id == center.agents["cat"][0]
    assert task(center, call_sid).agent_id == center.agents["cat"][0]
    assert not [r for r in asked(center, "dial") if r[1] == "+15551110002"]  # bob never rung


@pytest.fixture
def supervisor_api(center):
    with center.sessions.begin() as session:
        user = make_user(session, "supervisor")
        _token, plain = create_token(session=session, actor_id=None, user=user, name="tests")
    client = center.app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {plain}"
    return client


@pytest.mark.parametrize(
    ("mode", "muted", "coaches"),
    [("monitor", True, False), ("whisper", False, True), ("barge", False, False)],
)
def test_supervisor_joins_a_live_call_with_the_flags_of_the_mode(
    center, supervisor_api, mode, muted, coaches
):
    call_sid = call_answered_by(center, "ann")
    ann_leg = accepted_legs(center, call_sid)[0].call_sid
    response = supervisor_api.post(
        "/api/v1/channels/voice/coach",
        json={"task_id": call_sid, "mode": mode, "phone": "+15552220001"},
    )
    assert response.status_code == 200, response.get_json()
    assert asked(center, "add_participant") == [
        ("add_participant", conference_name(call_sid), "+15552220001", muted,
         ann_leg if coaches else None),
    ]  # fmt: skip
    with center.sessions() as session:
        leg = session.scalar(select(CallLeg).where(CallLeg.call_sid == response.json["call_sid"]))
        assert (leg.task_id, leg.role) == (call_sid, "supervisor")


def test_coaching_a_call_that_is_not_live_is_a_404(center, supervisor_api):
    response = supervisor_api.post(
        "/api/v1/channels/voice/coach",
        json={"task_id": "CA" + "0" * 32, "mode": "monitor", "phone": "+15552220001"},
    )
    assert response.status_code == 404
    assert asked(center, "add_participant") == []


def test_caller_past_max_wait_gets_a_callback_that_keeps_their_place_and_is_dialled_back(
    center,
):
    claims = {"program": "acme", "reservation_timeout": CLAIMS_OFFER_SECONDS,
              "wrapup_seconds": 0.3}  # fmt: skip
    center.command("configure_queue", queue=encode(Queue(
        "claims", max_wait=1.0, fallback="callback", **claims,
    )))  # fmt: skip
    center.carrier.agents[CALLER] = SimAgent(keys="")  # the caller answers the callback
    call_sid = center.carrier.place_call(from_=CALLER, to=NUMBER, digits="1")
    callback_id = next_callback_id(call_sid)
    wait_until(lambda: task(center, callback_id))
    # No max wait from here on, so the callback itself waits for an agent.
    center.command("configure_queue", queue=encode(Queue("claims", **claims)))
    wait_until(center.carrier.calls[call_sid].ended.is_set)
    heard = center.carrier.calls[call_sid].heard
    assert any("We will call you back" in said for said in heard)
    original = task(center, call_sid)
    assert original.state == "canceled"
    assert task(center, callback_id).created_at == original.created_at

    # A later caller, then an agent: the callback is answered first.
    later = center.carrier.place_call(from_="+15557770004", to=NUMBER, digits="1")
    wait_until(lambda: task(center, later) and task(center, later).state == "pending")
    center.available("ann")
    wait_until(lambda: task(center, callback_id).state == "assigned")
    assert task(center, later).state == "pending"
    wait_until(lambda: [r for r in asked(center, "dial") if r[1] == CALLER])
    wait_until(lambda: center.carrier.bridged(conference_name(callback_id)))
    with center.sessions() as session:
        assert session.get(Contact, call_sid).outcome == "callback"
        assert session.get(Contact, callback_id).outcome == "callback"
        legs = session.scalars(select(CallLeg.role).where(CallLeg.task_id == callback_id)).all()
        assert sorted(legs) == ["agent", "callback"]


def test_a_callback_past_max_wait_is_replaced_not_chained():
    first = next_callback_id("CA" + "0" * 32)
    assert first == "CB1-CA" + "0" * 32
    assert next_callback_id(first) == "CB2-CA" + "0" * 32
    assert len(next_callback_id("CB98-CA" + "0" * 32)) <= 56


def test_hold_and_mute_are_stored_so_a_reloaded_console_shows_the_truth(center):
    call_sid = call_answered_by(center, "ann")
    ann, _ = agent_socket(center, "ann")
    bob, _ = agent_socket(center, "bob")
    ann_leg = accepted_legs(center, call_sid)[0].call_sid

    def shown():
        state = center.logged_in("ann").get("/console/api/state").json
        found = next(t for t in state["tasks"] if t["task_id"] == call_sid)
        return found["on_hold"], found["muted"]

    assert shown() == (False, False)
    held = ann.emit("hold", {"task_id": call_sid, "hold": True}, namespace="/agent",
                    callback=True)  # fmt: skip
    assert held["ok"]
    muted = ann.emit("mute", {"task_id": call_sid, "mute": True}, namespace="/agent",
                     callback=True)  # fmt: skip
    assert muted == {"ok": True, "task_id": call_sid, "muted": True}
    assert shown() == (True, True)
    assert asked(center, "mute") == [("mute", conference_name(call_sid), ann_leg, True)]

    refused = bob.emit("mute", {"task_id": call_sid, "mute": True}, namespace="/agent",
                       callback=True)  # fmt: skip
    assert refused == {"ok": False, "error": "task_id: not a call of yours"}
    bad = ann.emit("mute", {"task_id": call_sid, "mute": "yes"}, namespace="/agent",
                   callback=True)  # fmt: skip
    assert bad == {"ok": False, "error": "mute: true or false"}

    ann.emit("hold", {"task_id": call_sid, "hold": False}, namespace="/agent", callback=True)
    ann.emit("mute", {"task_id": call_sid, "mute": False}, namespace="/agent", callback=True)
    assert shown() == (False, False)
    assert len(asked(center, "mute")) == 2
