"""Volunteers end to end with a live engine: a super user opts in, a widget chat is offered to
them before the available paid agent, accepted, chatted and ended from the /volunteer socket,
with no pay-ledger line; a chat the volunteer rejects goes to the certified paid agent."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from agents.models import Program
from community import members, program_settings
from community.models import Volunteer
from dispatcher.core.volunteers import volunteer_id
from dispatcher.tables import RoutingAgent, RoutingReservation
from pay.models import PayEntry
from tests.channels.test_chat_flow import Inbox, agent_socket, task_state
from tests.community.helpers import make_member
from tests.waiting import wait_until
from web.community.identity import SESSION_KEY
from web.extensions import socketio

PAGE = "/community/acme/volunteer"


def _super_user(center, *, queue: str | None = "web"):
    with center.sessions.begin() as session:
        sam = make_member(session, name="Sam", super_user=True)
        program = session.scalar(select(Program).where(Program.code == "acme"))
        program_settings.update(session=session, program=program,
                                changes={"volunteer_queue_id": queue})  # fmt: skip
        identity, member_id = members.session_identity(sam), sam.id
    client = center.app.test_client()
    with client.session_transaction() as cookie:
        cookie[SESSION_KEY] = identity
    return client, member_id


def _csrf(client) -> str:
    html = client.get(PAGE).get_data(as_text=True)
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)


def _opt_in(center, client, member_id):
    joined = client.post(f"{PAGE}/join", data={"csrf_token": _csrf(client)})
    assert joined.status_code == 302
    me = volunteer_id(member_id)
    wait_until(lambda: _routing_row(center, me) is not None, message="the volunteer registered")
    token = re.search(r'data-csrf="([^"]+)"', client.get(PAGE).get_data(as_text=True)).group(1)
    socket = socketio.test_client(center.app, namespace="/volunteer", flask_test_client=client)
    assert socket.is_connected("/volunteer")
    available = client.post(f"{PAGE}/api/status", json={"status": "available"},
                            headers={"X-CSRFToken": token})  # fmt: skip
    assert available.status_code == 200, available.json
    return me, socket, Inbox(socket, "/volunteer"), token


def _routing_row(center, agent_id):
    with center.sessions() as session:
        row = session.get(RoutingAgent, agent_id)
        return None if row is None else row.status


def _offer_of(inbox, task_id):
    def offered():
        inbox.events += [
            (e["name"], e["args"][0]) for e in inbox.client.get_received(inbox.namespace)
        ]
        found = [d for name, d in inbox.events if name == "offer" and d["task_id"] == task_id]
        return found[0] if found else None

    return wait_until(offered, message=f"an offer of {task_id}")


def _start_chat(center, name, body):
    customer = socketio.test_client(center.app, namespace="/chat")
    started = customer.emit("start", {"entry": "default", "name": name, "body": body},
                            namespace="/chat", callback=True)  # fmt: skip
    assert started["ok"], started
    return customer, Inbox(customer, "/chat"), started


def test_a_volunteer_takes_a_web_chat_first_unpaid_and_a_rejected_one_goes_to_a_paid_agent(
    center,
):
    paid, paid_inbox = agent_socket(center, "cat")
    center.available("cat")
    client, member_id = _super_user(center)
    me, volunteer, inbox, token = _opt_in(center, client, member_id)

    customer, customer_inbox, started = _start_chat(center, "Dana", "Where is my claim?")
    task_id = started["task_id"]
    offer = inbox.wait("offer")[0]
    assert offer["task_id"] == task_id
    accepted = volunteer.emit("accept", {"reservation_id": offer["reservation_id"]},
                              namespace="/volunteer", callback=True)  # fmt: skip
    assert accepted["ok"], accepted
    assert customer_inbox.wait("agent_joined")[0]["agent"] == "Sam (volunteer)"
    reply = volunteer.emit("reply", {"task_id": task_id, "body": "Hi Dana, Sam here."},
                           namespace="/volunteer", callback=True)  # fmt: skip
    assert reply["ok"] and reply["message"]["author"] == "Sam"
    assert customer_inbox.wait("chat_message")[0]["body"] == "Hi Dana, Sam here."
    customer.emit("send_message", {"token": started["token"], "body": "Thanks!"},
                  namespace="/chat", callback=True)  # fmt: skip
    assert inbox.wait("chat_message")[0]["body"] == "Thanks!"
    refused = volunteer.emit("hold", {"task_id": task_id}, namespace="/volunteer", callback=True)
    assert refused["ok"] is False
    assert volunteer.emit("end", {"task_id": task_id}, namespace="/volunteer", callback=True)["ok"]
    wait_until(lambda: task_state(center, task_id) in ("wrapping", "completed"))
    wait_until(lambda: task_state(center, task_id) == "completed")
    with center.sessions() as session:
        assert session.scalar(select(func.count()).select_from(PayEntry)) == 0

    _second, _inbox2, again = _start_chat(center, "Eve", "Is my car covered?")
    offer = _offer_of(inbox, again["task_id"])
    rejected = volunteer.emit("reject", {"reservation_id": offer["reservation_id"]},
                              namespace="/volunteer", callback=True)  # fmt: skip
    assert rejected["ok"], rejected
    _offer_of(paid_inbox, again["task_id"])
    assert [o["task_id"] for o in paid_inbox.wait("offer")] == [again["task_id"]]
    with center.sessions() as session:
        offered = session.scalars(select(RoutingReservation.agent_id).where(
            RoutingReservation.task_id == again["task_id"]).order_by(
            RoutingReservation.reservation_id)).all()  # fmt: skip
    assert offered == [me, center.agents["cat"][0]]
    paid.disconnect(namespace="/agent")


def test_opting_out_takes_the_volunteer_off_the_queue_and_a_member_is_refused(center):
    client, member_id = _super_user(center)
    me, volunteer, _inbox, token = _opt_in(center, client, member_id)
    left = client.post(f"{PAGE}/leave", data={"csrf_token": _csrf(client)})
    assert left.status_code == 302
    wait_until(lambda: _routing_row(center, me) == "offline", message="the volunteer offline")
    with center.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Volunteer)) == 0
    state = client.get(f"{PAGE}/api/state")
    assert state.status_code == 409  # a super user, no longer volunteering
    with center.sessions.begin() as session:
        plain = make_member(session, name="Pat")
        identity = members.session_identity(plain)
    member = center.app.test_client()
    with member.session_transaction() as cookie:
        cookie[SESSION_KEY] = identity
    assert member.get(PAGE).status_code == 403
    for session in (member, center.logged_in("cat")):  # a member; an agent: no volunteers
        refused = socketio.test_client(
            center.app, namespace="/volunteer", flask_test_client=session
        )
        assert not refused.is_connected("/volunteer")
    volunteer.disconnect(namespace="/volunteer")
