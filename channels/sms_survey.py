"""The CSAT survey of an SMS or WhatsApp chat: when the agent ends the conversation and the
program surveys chats, the customer is asked by text for a rating 1–5 and the conversation stays
open for the answer. A reply 1–5 is recorded once per contact (quality.csat), thanked, and the
conversation closed; any other reply is answered with what is expected; a reply after the
rating was recorded is told so. The survey's own messages carry the author SURVEY_AUTHOR and
are kept in the transcript as "system"."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.orm import Session

from channels import contacts
from channels.gateway import GatewayError, TelephonyGateway
from channels.models import Contact
from quality import csat
from quality.errors import QualityError

log = logging.getLogger(__name__)
SURVEY_AUTHOR = "survey"
QUESTION = ("Thank you for chatting with us. How satisfied were you? Reply with a number from "
            "1 (not at all) to 5 (very satisfied).")  # fmt: skip
THANKS = "Thank you for your rating of {rating}. Have a good day."
UNREADABLE = "Sorry, we could not read that as a rating. Please reply with one number from 1 to 5."
ALREADY = "Your rating is already recorded. Thank you."


def ask(*, session: Session, contact: Contact, gateway: TelephonyGateway, now: datetime) -> bool:
    """Offer the chat's survey and text the question; False (nothing asked) when the program
    surveys no chats, it was asked before, or the carrier refused the message."""
    if csat.offer(session=session, contact=contact, now=now) is None:
        return False
    return _say(session, contact, gateway, QUESTION)


def reply(*, session: Session, contact: Contact, body: str, gateway: TelephonyGateway,
          now: datetime) -> bool:  # fmt: skip
    """A customer's text after the survey was asked: the answer, or a clear word back. False
    when the contact has no survey (the text belongs to the conversation with the agent)."""
    survey = csat.get(session=session, task_id=contact.task_id)
    if survey is None:
        return False
    try:
        answered = csat.answer(session=session, task_id=contact.task_id, rating=body.strip(),
                               now=now)  # fmt: skip
    except QualityError as error:
        _say(session, contact, gateway, ALREADY if error.status == 409 else UNREADABLE)
        return True
    _say(session, contact, gateway, THANKS.format(rating=answered.rating))
    _close(contact, gateway)
    return True


def _say(session: Session, contact: Contact, gateway: TelephonyGateway, body: str) -> bool:
    try:
        message_sid = gateway.send_message(contact.conversation_sid, author=SURVEY_AUTHOR,
                                           body=body)  # fmt: skip
    except GatewayError as error:
        log.warning("cannot text the survey of %s: %s", contact.task_id, error)
        return False
    contacts.append_message(session=session, task_id=contact.task_id, author_kind="system",
                            author=SURVEY_AUTHOR, body=body, message_sid=message_sid)  # fmt: skip
    return True


def _close(contact: Contact, gateway: TelephonyGateway) -> None:
    try:
        gateway.close_conversation(contact.conversation_sid)
    except GatewayError as error:
        log.warning("cannot close conversation %s: %s", contact.conversation_sid, error)
