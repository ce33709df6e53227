"""Twilio Conversations webhooks (SMS and WhatsApp arrive as conversations): one task per
conversation, every message kept as the transcript (once per MessageSid, in any order); a text
after the chat's survey was asked is its answer (channels.sms_survey)."""

from __future__ import annotations

import logging

from flask import current_app, request

from channels import contacts, entry_points, sms_survey
from channels.gateway import GatewayError
from channels.models import Contact
from database.clock import utcnow
from web import db
from web.realtime import push_to_agent
from web.twilio.webhooks import bp, required
from workforce import hours

log = logging.getLogger(__name__)
AGENT_AUTHOR_PREFIX = "agent-"
CLOSED_AUTHOR = "hours"  # our "we are closed, we open again…" reply, kept as "system"


@bp.post("/conversations")
def conversation_event():
    """onConversationAdded → a chat task (while the program is closed: a reply saying when it
    opens again, no task, the conversation closed); onMessageAdded → the transcript (and the
    agent's console); onConversationStateUpdated to closed → the customer left."""
    p = required("EventType", "ConversationSid")
    event = p["EventType"]
    if event == "onConversationAdded":
        _conversation_added(p["ConversationSid"])
    elif event == "onMessageAdded":
        _message_added(p["ConversationSid"])
    elif event == "onConversationStateUpdated" and request.form.get("StateTo") == "closed":
        contact = _contact(p["ConversationSid"])
        if contact is not None:
            contacts.customer_left(session=db.session(), contact=contact)
    return "", 204


def _contact(conversation_sid: str) -> Contact | None:
    return db.session().get(Contact, conversation_sid)


def _conversation_added(conversation_sid: str) -> None:
    binding = required("MessagingBinding.Address", "MessagingBinding.ProxyAddress")
    customer = binding["MessagingBinding.Address"]
    session = db.session()
    entry = entry_points.get_by_address(
        session=session, address=_address(binding["MessagingBinding.ProxyAddress"])
    )
    if entry is None:
        log.warning("conversation %s to unconfigured address %s", conversation_sid,
                    binding["MessagingBinding.ProxyAddress"])  # fmt: skip
        return
    channel = "whatsapp" if customer.startswith("whatsapp:") else "sms"
    contact, created = contacts.open_chat(
        session=session, task_id=conversation_sid, channel=channel, entry=entry,
        customer=customer, conversation_sid=conversation_sid,
    )  # fmt: skip
    closed = hours.closed_at(session=session, program_id=entry.program_id, at=utcnow())
    if closed is not None:  # told when it opens again, never queued, the conversation closed
        if created:
            _closed_reply(session, contact, closed.sentence())
        return
    contacts.enqueue(session=session, contact=contact)


def _closed_reply(session, contact: Contact, sentence: str) -> None:
    contact.outcome, contact.ended_at = "closed", utcnow()
    session.commit()  # the contact exists before the carrier reports our reply back
    gateway = current_app.extensions["crowdline.gateway"]
    try:
        sid = gateway.send_message(contact.conversation_sid, author=CLOSED_AUTHOR, body=sentence)
        contacts.append_message(session=session, task_id=contact.task_id, author_kind="system",
                                author=CLOSED_AUTHOR, body=sentence, message_sid=sid)  # fmt: skip
        gateway.close_conversation(contact.conversation_sid)
    except GatewayError as error:
        log.warning("cannot tell conversation %s that we are closed: %s",
                    contact.conversation_sid, error)  # fmt: skip


def _message_added(conversation_sid: str) -> None:
    p = required("MessageSid", "Author")
    body = request.form.get("Body") or ""
    author = p["Author"]
    kind = ("agent" if author.startswith(AGENT_AUTHOR_PREFIX)
            else "system" if author in (sms_survey.SURVEY_AUTHOR, CLOSED_AUTHOR)
            else "customer")  # fmt: skip
    session = db.session()
    message, created = contacts.append_message(
        session=session, task_id=conversation_sid, author_kind=kind, author=author, body=body,
        message_sid=p["MessageSid"],
    )  # fmt: skip
    contact = _contact(conversation_sid)
    if not created or kind != "customer" or contact is None:
        return
    gateway = current_app.extensions["crowdline.gateway"]
    if sms_survey.reply(session=session, contact=contact, body=body, gateway=gateway,
                        now=utcnow()):  # fmt: skip
        return
    if contact.agent_id:
        session.commit()  # stored before the agent is told (the console re-reads it)
        push_to_agent(contact.agent_id, "chat_message", contacts.message_json(message))


def _address(raw: str) -> str:
    try:
        return entry_points.normalise_address(raw)
    except entry_points.EntryPointError:
        return raw.strip()
