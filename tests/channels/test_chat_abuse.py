"""Abuse of the public chat widget: a flood of chat starts or messages from one client is
refused with a clear answer past the limits (per socket and per address), and creates nothing
more, while another customer's chat is still routed and answered by an agent."""

from __future__ import annotations

from sqlalchemy import func, select

from channels.models import Contact, TranscriptMessage
from dispatcher.tables import RoutingTask
from tests.channels.test_chat_flow import Inbox, agent_socket
from tests.waiting import wait_until
from web.extensions import socketio

FLOOD = 200


def _customer(center, address: str):
    """A widget socket whose requests come from `address`."""
    browser = center.app.test_client()
    browser.environ_base["REMOTE_ADDR"] = address
    client = socketio.test_client(center.app, namespace="/chat", flask_test_client=browser)
    assert client.is_connected("/chat")
    return client


def _start(client, name: str, body: str = "Hello") -> dict:
    data = {"entry": "default", "name": name, "body": body}
    return client.emit("start", data, namespace="/chat", callback=True)


def _count(center, model) -> int:
    with center.sessions() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_a_flood_of_chat_starts_creates_at_most_the_limit_and_others_are_still_served(center):
    limit = center.app.config["CHAT_LIMITS"]["start"][0]
    allowed = int(limit.split()[0])
    assert allowed <= 20, limit
    flooder = _customer(center, "203.0.113.7")
    answers = [_start(flooder, f"Bot {n}") for n in range(FLOOD)]
    accepted = [a for a in answers if a["ok"]]
    refused = [a for a in answers if not a["ok"]]
    assert len(accepted) == allowed
    assert len(refused) == FLOOD - allowed
    assert "Too many chats" in refused[0]["error"] and refused[0]["retry_after"] > 0
    assert "rate" in refused[0]["fields"]
    assert _count(center, Contact) == allowed  # the refused starts wrote nothing
    wait_until(lambda: _count(center, RoutingTask) == allowed)

    # A real customer elsewhere starts a chat and an agent answers it.
    agent, agent_inbox = agent_socket(center, "cat")
    center.available("cat")
    customer = _customer(center, "198.51.100.20")
    started = _start(customer, "Dana", "Where is my claim?")
    assert started["ok"], started

    handled: set[str] = set()

    def dana_offered():
        """Dana's offer; the flood's few chats are offered too, and the agent declines them."""
        agent_inbox.events += [(e["name"], e["args"][0]) for e in agent.get_received("/agent")]
        for name, data in agent_inbox.events:
            if name != "offer" or data["reservation_id"] in handled:
                continue
            handled.add(data["reservation_id"])
            if data["task_id"] == started["task_id"]:
                return data
            agent.emit("reject", {"reservation_id": data["reservation_id"]},
                       namespace="/agent", callback=True)  # fmt: skip
        return None

    offer = wait_until(dana_offered, timeout=60)
    accepted = agent.emit(
        "accept", {"reservation_id": offer["reservation_id"]}, namespace="/agent", callback=True
    )
    assert accepted["ok"], accepted
    reply = agent.emit("reply", {"task_id": started["task_id"], "body": "Hi Dana, checking."},
                       namespace="/agent", callback=True)  # fmt: skip
    assert reply["ok"], reply
    customer_inbox = Inbox(customer, "/chat")
    assert customer_inbox.wait("chat_message")[-1]["body"] == "Hi Dana, checking."


def test_a_second_socket_from_the_flooding_address_is_refused_too(center):
    per_address = int(center.app.config["CHAT_LIMITS"]["start"][1].split()[0])
    made = 0
    for _ in range(FLOOD // 10):  # a new socket for every few starts
        client = _customer(center, "203.0.113.8")
        made += sum(1 for n in range(10) if _start(client, f"Bot {n}")["ok"])
        client.disconnect(namespace="/chat")
    assert made == per_address
    assert _count(center, Contact) == per_address


def test_a_flood_of_messages_in_one_chat_is_refused_past_the_limit_and_stores_nothing(center):
    per_chat = int(center.app.config["CHAT_LIMITS"]["message"][0].split()[0])
    customer = _customer(center, "198.51.100.30")
    started = _start(customer, "Eve", "")
    assert started["ok"], started
    answers = [
        customer.emit(
            "send_message",
            {"token": started["token"], "body": f"spam {n}"},
            namespace="/chat",
            callback=True,
        )  # fmt: skip
        for n in range(FLOOD)
    ]
    assert sum(1 for a in answers if a["ok"]) == per_chat
    refused = next(a for a in answers if not a["ok"])
    assert "too fast" in refused["error"]
    assert _count(center, TranscriptMessage) == per_chat
