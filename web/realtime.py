"""Socket.IO rooms and server pushes: one room per agent on /agent (a volunteer's on
/volunteer), one per chat on /chat."""

from __future__ import annotations

from functools import wraps

from flask_socketio import Namespace

from channels.contacts import begin_write
from dispatcher.core.volunteers import is_volunteer
from dispatcher.telemetry import task_of, task_scope
from web import db
from web.extensions import socketio
from web.guards import payload_problem

AGENT_NAMESPACE = "/agent"
CHAT_NAMESPACE = "/chat"
VOLUNTEER_NAMESPACE = "/volunteer"


def agent_room(agent_id: str) -> str:
    return f"agent:{agent_id}"


def chat_room(task_id: str) -> str:
    return f"chat:{task_id}"


def push_to_agent(agent_id: str, event: str, data: dict) -> None:
    """Best effort (pushes may be lost; consoles resync on reconnect)."""
    if socketio.server is not None:
        namespace = VOLUNTEER_NAMESPACE if is_volunteer(agent_id) else AGENT_NAMESPACE
        socketio.emit(event, data, to=agent_room(agent_id), namespace=namespace)


def push_to_customer(task_id: str, event: str, data: dict) -> None:
    if socketio.server is not None:
        socketio.emit(event, data, to=chat_room(task_id), namespace=CHAT_NAMESPACE)


def push(audience: str, target: str, event: str, data: dict) -> None:
    """The reactor's notifier: audience "agent" or "customer"."""
    (push_to_agent if audience == "agent" else push_to_customer)(target, event, data)


def writes(handler):
    """A socket event handler that writes: its transaction starts as a writer (see
    channels.contacts.begin_write); socket events are not committed by a request hook."""

    @wraps(handler)
    def wrapper(self, *args):
        begin_write(db.session())
        with task_scope(task_of(args[0] if args else None)):  # log lines name the task
            return handler(self, *args)

    return wrapper


class CheckedNamespace(Namespace):
    """A namespace whose events take a JSON object (or nothing): any other payload, or one no
    handler can take (nested too deep, an integer past 64 bits, a lone UTF-16 surrogate — see
    web.guards.payload_problem), is refused with an answer naming the field, before a handler
    runs."""

    def trigger_event(self, event, *args):
        # args: the client's sid, then what it sent.
        if event not in ("connect", "disconnect") and len(args) > 1:
            payload = args[1]
            if payload is not None and not isinstance(payload, dict):
                return {"ok": False, "error": "payload: a JSON object is expected",
                        "fields": {"payload": "a JSON object is expected"}}  # fmt: skip
            problem = payload_problem(payload) if payload is not None else None
            if problem is not None:
                field, reason = problem
                return {"ok": False, "error": f"{field}: {reason}", "fields": {field: reason}}
        return super().trigger_event(event, *args)
