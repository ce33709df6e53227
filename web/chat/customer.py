"""/chat namespace: the customer side of the web chat widget.

A customer holds a signed chat token (returned by `start`, kept by the page in sessionStorage)
and sends it with every event, so a reconnect — even on a new socket — resumes the same chat.
The token expires CHAT_TOKEN_GRACE_SECONDS after the chat ended (the customer left or the
conversation closed): then it opens nothing, not even the transcript.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from flask import current_app, request
from flask_socketio import join_room
from itsdangerous import BadSignature, URLSafeSerializer

from agents.models import Agent
from channels import contacts, entry_points
from channels.entry_points import WIDGET_PREFIX
from channels.models import Contact
from database.base import utcnow
from quality import csat
from web import db
from web.chat import limits
from web.realtime import CheckedNamespace, chat_room, push_to_agent, writes
from workforce import hours

MAX_BODY = 2000
NAME_LENGTH = 80
REFUSED = "unknown, forged or expired chat token"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="crowdline-chat")


def _error(field: str, message: str) -> dict:
    return {"ok": False, "error": message, "fields": {field: message}}


def _over(contact: Contact) -> bool:
    """The chat is over for the customer: they left, it closed, or the agent ended it (the
    task went to wrap-up or an end; the contact closes only when the wrap-up does)."""
    if contact.ended_at is not None or contact.customer_left_at is not None:
        return True
    state = contacts.task_view(session=db.session(), task_id=contact.task_id).state
    return state in ("wrapping", "completed", "canceled")


def _agent_name(contact: Contact) -> str | None:
    """The display name of the agent who joined (None while waiting)."""
    if not contact.agent_id or not contact.agent_id.isdigit():
        return None
    agent = db.session().get(Agent, int(contact.agent_id))
    return agent.user.display_name if agent else None


class CustomerNamespace(CheckedNamespace):
    def on_connect(self, auth=None):
        """Anyone may open the widget (same origin only, enforced by the Socket.IO server)."""

    @writes
    def on_start(self, data=None):
        """Customer → {entry, name, body?}; ack {ok, task_id, token}. Queues a chat task; past
        the start limits (per socket and per address) the ack is {ok: false, error,
        retry_after}, and while the program is closed {ok: false, closed: true, error (when it
        opens again), opens_at}; then nothing is created."""
        data = data if isinstance(data, dict) else {}
        name = str(data.get("name") or "").strip()[:NAME_LENGTH]
        if not name:
            return _error("name", "required")
        session = db.session()
        slug = str(data.get("entry") or "default").strip().lower()
        entry = entry_points.get_by_address(session=session, address=WIDGET_PREFIX + slug)
        if entry is None:
            return _error("entry", f"no chat is offered at {slug!r}")
        closed = hours.closed_at(session=session, program_id=entry.program_id, at=utcnow())
        if closed is not None:  # no chat starts while the program is closed
            opens = closed.opens_at.isoformat() if closed.opens_at else None
            return {**_error("entry", closed.sentence()), "closed": True, "opens_at": opens}
        refused = limits.refusal("start", request.sid)
        if refused:
            return refused
        task_id = "WC" + secrets.token_hex(15)
        contact, _ = contacts.open_chat(
            session=session, task_id=task_id, channel="web", entry=entry, customer=name
        )
        body = str(data.get("body") or "").strip()[:MAX_BODY]
        if body:
            contacts.append_message(
                session=session, task_id=task_id, author_kind="customer", author=name, body=body
            )
        contacts.enqueue(session=session, contact=contact)
        session.commit()
        join_room(chat_room(task_id))
        return {"ok": True, "task_id": task_id, "token": _serializer().dumps(task_id)}

    def _contact(self, data) -> Contact | None:
        try:
            task_id = _serializer().loads(str((data or {}).get("token") or ""))
        except BadSignature:
            return None
        contact = db.session().get(Contact, task_id)
        grace = float(current_app.config.get("CHAT_TOKEN_GRACE_SECONDS", 300.0))
        if contact is None or token_expired(contact, now=utcnow(), grace=grace):
            return None
        return contact

    def on_resume(self, data=None):
        """Customer → {token}; ack {ok, task_id, transcript, ended, agent, survey}: after any
        reconnect; `agent` is the name of the agent who joined, null while waiting; `survey`
        "pending" (rate it: POST /chat/rating), "answered" or null (none offered)."""
        contact = self._contact(data)
        if contact is None:
            return _error("token", REFUSED)
        join_room(chat_room(contact.task_id))
        messages = contacts.transcript(session=db.session(), task_id=contact.task_id)
        return {
            "ok": True, "task_id": contact.task_id, "ended": _over(contact),
            "agent": _agent_name(contact), "survey": _survey_state(contact.task_id),
            "transcript": [contacts.message_json(m) for m in messages],
        }  # fmt: skip

    @writes
    def on_send_message(self, data=None):
        """Customer → {token, body}; ack {ok, message}. The assigned agent gets `chat_message`."""
        contact = self._contact(data)
        if contact is None:
            return _error("token", REFUSED)
        body = str((data or {}).get("body") or "").strip()
        if not body or len(body) > MAX_BODY:
            return _error("body", f"1 to {MAX_BODY} characters")
        if _over(contact):
            return _error("token", "this chat has ended")
        refused = limits.refusal("message", contact.task_id)
        if refused:
            return refused
        session = db.session()
        message, _ = contacts.append_message(
            session=session, task_id=contact.task_id, author_kind="customer",
            author=contact.customer, body=body,
        )  # fmt: skip
        session.commit()
        payload = contacts.message_json(message)
        if contact.agent_id:
            push_to_agent(contact.agent_id, "chat_message", payload)
        return {"ok": True, "message": payload}

    def on_typing(self, data=None):
        """Customer → {token}; ack {ok}: the agent holding the chat sees "<name> is typing…"
        (`typing` {task_id, name} on /agent). The widget sends it at most every 2 s."""
        contact = self._contact(data)
        if contact is None:
            return _error("token", REFUSED)
        if _over(contact):
            return _error("token", "this chat has ended")
        refused = limits.refusal("typing", contact.task_id)
        if refused:
            return refused
        if contact.agent_id:
            push_to_agent(contact.agent_id, "typing",
                          {"task_id": contact.task_id, "name": contact.customer})  # fmt: skip
        return {"ok": True}

    @writes
    def on_leave(self, data=None):
        """Customer → {token}: closes the chat (abandoned if no agent had it yet)."""
        contact = self._contact(data)
        if contact is None:
            return _error("token", REFUSED)
        session = db.session()
        contacts.customer_left(session=session, contact=contact)
        session.commit()
        return {"ok": True}


def _survey_state(task_id: str) -> str | None:
    survey = csat.get(session=db.session(), task_id=task_id)
    if survey is None:
        return None
    return "pending" if survey.rating is None else "answered"


def token_expired(contact: Contact, *, now: datetime, grace: float) -> bool:
    """A chat token expires `grace` seconds after the chat ended: the earlier of the customer
    leaving and the conversation closing. An open chat's token never expires."""
    ends = [at for at in (contact.customer_left_at, contact.ended_at) if at is not None]
    return bool(ends) and now >= min(ends) + timedelta(seconds=grace)
