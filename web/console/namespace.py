"""/agent namespace: an agent's console — offers, chats, replies, call controls and presence.
Every connection is authenticated from the login session and every event authorised (the task
must be theirs)."""

from __future__ import annotations

import time

from flask import current_app, request
from flask_login import current_user
from flask_socketio import join_room
from sqlalchemy import select

from agents import roster
from agents.errors import RosterError
from agents.models import Role, User
from channels import contacts, escalations
from channels.gateway import GatewayError
from channels.models import Contact
from dispatcher.tables import RoutingReservation
from web import db
from web.console import calls, consult
from web.console.presence import presence_of
from web.engine_commands import submit_and_wait
from web.realtime import CheckedNamespace, agent_room, push_to_customer, writes
from web.twilio.conversations import AGENT_AUTHOR_PREFIX

MAX_BODY = 2000
ANSWER_WAIT_SECONDS = 5.0


def _my_agent_id() -> str | None:
    """The signed-in agent's routing id, or None (not signed in, not an agent)."""
    if not current_user.is_authenticated or current_user.role is not Role.AGENT:
        return None
    agent = roster.get_by_user(session=db.session(), user_id=current_user.id)
    return str(agent.id) if agent is not None else None


def _refused(message: str) -> dict:
    return {"ok": False, "error": message}


class AgentNamespace(CheckedNamespace):
    """/agent: the agent console's offers, chats and calls, and its presence (the grace
    before an agent whose console is gone goes offline)."""

    def me(self) -> str | None:
        """The routing id of whoever this socket acts for (subclasses: another identity)."""
        return _my_agent_id()

    def author_name(self) -> str:
        return current_user.display_name

    def on_connect(self, auth=None):
        """Agent console connects; refused unless signed in as an agent. Joins `agent:<id>`
        and is counted as present."""
        agent_id = self.me()
        if agent_id is None:
            return False
        join_room(agent_room(agent_id))
        presence_of(current_app).connected(agent_id, request.sid)
        return True

    def on_disconnect(self, *args):
        """The socket is gone; the agent goes offline if no socket returns within the grace."""
        presence_of(current_app).disconnected(request.sid, time.time())

    def on_sync(self, data=None):
        """Agent → sync; ack {offers, chats}: the authoritative state after any (re)connect."""
        me = self.me()
        if me is None:
            return _refused("sign in as an agent")
        session = db.session()
        offers = session.execute(
            select(RoutingReservation.reservation_id, RoutingReservation.task_id,
                   RoutingReservation.deadline)
            .where(RoutingReservation.agent_id == me, RoutingReservation.state == "pending")
        ).all()  # fmt: skip
        chats = session.scalars(
            select(Contact).where(Contact.agent_id == me, Contact.ended_at.is_(None),
                                  Contact.channel != "voice")
        ).all()  # fmt: skip
        return {
            "ok": True,
            "offers": [
                {"reservation_id": r.reservation_id, "task_id": r.task_id, "deadline": r.deadline}
                for r in offers
            ],  # fmt: skip
            "chats": [
                {
                    "task_id": c.task_id,
                    "channel": c.channel,
                    "customer": c.customer,
                    "transcript": [
                        contacts.message_json(m)
                        for m in contacts.transcript(session=session, task_id=c.task_id)
                    ],
                }
                for c in chats
            ],  # fmt: skip
        }

    @writes
    def _answer(self, kind: str, data) -> dict:
        me = self.me()
        if me is None:
            return _refused("sign in as an agent")
        reservation_id = str((data or {}).get("reservation_id") or "")
        if not reservation_id:
            return _refused("reservation_id: required")
        payload = {"reservation_id": reservation_id, "agent_id": me}
        _command_id, done, error = submit_and_wait(kind, payload, timeout=ANSWER_WAIT_SECONDS)
        if error:
            return _refused(error)
        return {"ok": True, "done": done}

    def on_accept(self, data=None):
        """Agent → {reservation_id}; ack {ok, error?}: the engine's decision on the offer."""
        return self._answer("accept", data)

    def on_reject(self, data=None):
        """Agent → {reservation_id}; ack {ok, error?}."""
        return self._answer("reject", data)

    def _my_chat(self, data) -> tuple[str, Contact] | dict:
        me = self.me()
        if me is None:
            return _refused("sign in as an agent")
        task_id = str((data or {}).get("task_id") or "")
        session = db.session()
        view = contacts.task_view(session=session, task_id=task_id)
        contact = session.get(Contact, task_id)
        if contact is None or view.agent_id != me or view.state != "assigned":
            return _refused("task_id: not a conversation of yours")
        return me, contact

    @writes
    def on_reply(self, data=None):
        """Agent → {task_id, body}; ack {ok, message}. Goes to the customer's widget, or to
        their phone through the Conversations API; for an escalated community question it is
        the agent's answer on the thread, which ends the task."""
        mine = self._my_chat(data)
        if isinstance(mine, dict):
            return mine
        me, contact = mine
        body = str((data or {}).get("body") or "").strip()
        if not body or len(body) > MAX_BODY:
            return _refused(f"body: 1 to {MAX_BODY} characters")
        if contact.channel == escalations.CHANNEL:
            return self._answer_question(contact, body)
        message_sid = None
        if contact.conversation_sid:
            gateway = current_app.extensions["crowdline.gateway"]
            try:
                message_sid = gateway.send_message(
                    contact.conversation_sid, author=f"{AGENT_AUTHOR_PREFIX}{me}", body=body
                )
            except GatewayError as error:
                return _refused(f"the message was not delivered: {error}")
        session = db.session()
        message, _ = contacts.append_message(
            session=session, task_id=contact.task_id, author_kind="agent",
            author=self.author_name(), body=body, message_sid=message_sid,
        )  # fmt: skip
        session.commit()
        payload = contacts.message_json(message)
        if contact.channel == "web":
            push_to_customer(contact.task_id, "chat_message", payload)
        return {"ok": True, "message": payload}

    def _answer_question(self, contact: Contact, body: str) -> dict:
        session = db.session()
        try:
            line = escalations.answer(session=session, contact=contact, body=body,
                                      user=session.get(User, current_user.id))  # fmt: skip
        except RosterError as error:
            session.rollback()
            return _refused(f"{error.field}: {error.message}" if error.field else error.message)
        session.commit()
        return {"ok": True, "message": line}

    def on_typing(self, data=None):
        """Agent → {task_id}; ack {ok}: the customer of the agent's own web chat sees "Agent is
        typing…" (`typing` on /chat). The console sends it at most every 2 s while typing."""
        mine = self._my_chat(data)
        if isinstance(mine, dict):
            return mine
        if mine[1].channel == "web":
            push_to_customer(mine[1].task_id, "typing", {"task_id": mine[1].task_id})
        return {"ok": True}

    @writes
    def on_end(self, data=None):
        """Agent → {task_id}: the chat is over; the engine starts its wrap-up."""
        mine = self._my_chat(data)
        if isinstance(mine, dict):
            return mine
        session = db.session()
        contacts.wrap_up(session=session, task_id=mine[1].task_id)
        session.commit()
        return {"ok": True}

    @writes
    def on_hold(self, data=None):
        """Agent → {task_id, hold: true|false}; ack {ok, on_hold, error?}: the caller of the
        agent's own live call is put on hold (music) or taken off it. Anyone else: refused."""
        me = self.me()
        if me is None:
            return _refused("sign in as an agent")
        return calls.hold(me, data)

    @writes
    def on_mute(self, data=None):
        """Agent → {task_id, mute: true|false}; ack {ok, muted, error?}: the agent's own leg of
        their live call (home phone) is muted or unmuted in the conference."""
        me = self.me()
        if me is None:
            return _refused("sign in as an agent")
        return calls.mute(me, data)

    @writes
    def on_transfer(self, data=None):
        """Agent → {task_id, queue_id? | agent_id?}; ack {ok, done, error?}: the agent's own live
        call or chat goes to a queue or a named agent; the caller waits on hold (a chat's
        customer keeps writing), the agent is freed."""
        me = self.me()
        if me is None:
            return _refused("sign in as an agent")
        return calls.transfer(me, data)

    @writes
    def on_consult(self, data=None):
        """Agent → {task_id, agent_id? | queue_id?}; ack {ok, done, agent_id, name, error?}: warm
        transfer, first step — the caller of the agent's own live call holds while the colleague
        (or a free agent of the queue) is called into the conference. Pushes `consult`
        {task_id, state: ringing|ended|completed|canceled, reason?, error?} follow."""
        me = self.me()
        if me is None:
            return _refused("sign in as an agent")
        return consult.consult(me, data)

    @writes
    def on_end_consult(self, data=None):
        """Agent → {task_id, complete: true|false}; ack {ok, done, complete, error?}: complete
        hands the call to the colleague on the line (the agent leaves), false drops the
        colleague and resumes the caller."""
        me = self.me()
        if me is None:
            return _refused("sign in as an agent")
        return consult.end_consult(me, data)
