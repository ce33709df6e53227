"""Typing indicators in web chats, both ways, with a live engine: only the agent holding the
chat hears the customer typing, and only the customer of an agent's own chat hears the agent."""

from __future__ import annotations

from tests.channels.test_chat_flow import Inbox, agent_socket, received
from web.extensions import socketio


def chat_answered_by_cat(center):
    agent, inbox = agent_socket(center, "cat")
    center.available("cat")
    customer = socketio.test_client(center.app, namespace="/chat")
    started = customer.emit("start", {"entry": "default", "name": "Dana", "body": "Hello"},
                            namespace="/chat", callback=True)  # fmt: skip
    offer = inbox.wait("offer")[0]
    accepted = agent.emit("accept", {"reservation_id": offer["reservation_id"]},
                          namespace="/agent", callback=True)  # fmt: skip
    assert accepted["ok"], accepted
    inbox.wait("assigned")
    return agent, inbox, customer, Inbox(customer, "/chat"), started


def test_the_agent_sees_the_customer_typing_and_the_customer_sees_the_agent(center):
    agent, inbox, customer, customer_inbox, started = chat_answered_by_cat(center)
    task_id = started["task_id"]
    bob, _ = agent_socket(center, "bob")

    typed = customer.emit("typing", {"token": started["token"]}, namespace="/chat", callback=True)
    assert typed == {"ok": True}
    assert inbox.wait("typing")[0] == {"task_id": task_id, "name": "Dana"}

    assert agent.emit("typing", {"task_id": task_id}, namespace="/agent", callback=True) == {
        "ok": True
    }
    assert customer_inbox.wait("typing")[0] == {"task_id": task_id}
    assert received(bob, "/agent", "typing") == []


def test_typing_needs_the_chat_token_or_the_agents_own_chat(center):
    _agent, _inbox, customer, customer_inbox, started = chat_answered_by_cat(center)
    bob, _ = agent_socket(center, "bob")
    refused = bob.emit("typing", {"task_id": started["task_id"]}, namespace="/agent",
                       callback=True)  # fmt: skip
    assert refused == {"ok": False, "error": "task_id: not a conversation of yours"}
    forged = customer.emit("typing", {"token": "forged"}, namespace="/chat", callback=True)
    assert forged["ok"] is False and forged["fields"] == {"token": forged["error"]}
    stranger = socketio.test_client(center.app, namespace="/chat")
    assert stranger.emit("typing", {}, namespace="/chat", callback=True)["ok"] is False
    assert [e for e, _ in customer_inbox.events if e == "typing"] == []
    assert received(customer, "/chat", "typing") == []
