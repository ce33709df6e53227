"""The CSAT survey of an SMS or WhatsApp chat: when the agent ends the conversation and the
program surveys chats, the customer is asked by text for a rating 1–5 and the conversation stays
open for the answer. A reply 1–5 is recorded once per contact (quality.csat), thanked, and the
conversation closed; any other reply is answered with what is expected; a reply after the
rating was recorded is told so. The survey's own messages carry the author SURVEY_AUTHOR and
are kept in the transcript as "system".

A question never answered expires EXPIRES_AFTER (24 h) after it was asked: SurveyExpiry, beside
the active engine, closes that conversation at the carrier (a transcript note marks it), so a
later text from the customer opens a new conversation, routed as usual. A text that reaches the
old conversation before the job ran is not taken as an answer: the conversation is closed and
the customer asked to text again."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import literal, select
from sqlalchemy.orm import Session

from channels import contacts
from channels.gateway import GatewayError, TelephonyGateway
from channels.models import Contact, TranscriptMessage
from database.base import utcnow
from quality import csat
from quality.errors import QualityError
from quality.models import Survey

log = logging.getLogger(__name__)
SURVEY_AUTHOR = "survey"
QUESTION = ("Thank you for chatting with us. How satisfied were you? Reply with a number from "
            "1 (not at all) to 5 (very satisfied).")  # fmt: skip
THANKS = "Thank you for your rating of {rating}. Have a good day."
UNREADABLE = "Sorry, we could not read that as a rating. Please reply with one number from 1 to 5."
ALREADY = "Your rating is already recorded. Thank you."
EXPIRED = "Our survey has closed. Please text us again and we will start a new conversation."
#: How long an asked question waits for its answer before its conversation is closed.
EXPIRES_AFTER = timedelta(hours=24)
EXPIRED_NOTE = "The survey expired unanswered; the conversation was closed."
EXPIRED_SID = "survey-expired-"  # + task_id: the transcript note's id (once per contact)


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
    if survey.rating is None and now - survey.offered_at >= EXPIRES_AFTER:
        _say(session, contact, gateway, EXPIRED)
        expire(session=session, contact=contact, gateway=gateway)
        return True
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


def expire(*, session: Session, contact: Contact, gateway: TelephonyGateway) -> None:
    """Close the conversation of an expired question and note it in the transcript (once)."""
    contacts.append_message(session=session, task_id=contact.task_id, author_kind="system",
                            author=SURVEY_AUTHOR, body=EXPIRED_NOTE,
                            message_sid=EXPIRED_SID + contact.task_id)  # fmt: skip
    _close(contact, gateway)


class SurveyExpiry:
    """Every `every` seconds beside the active engine: close the conversations whose survey
    question has waited EXPIRES_AFTER unanswered (at most `batch` a run, oldest first)."""

    def __init__(self, *, sessions, gateway: TelephonyGateway, every: float = 60.0,
                 batch: int = 200, now=utcnow) -> None:  # fmt: skip
        self.sessions, self.gateway = sessions, gateway
        self.every, self.batch, self.now = every, batch, now

    @classmethod
    def jobs_of(cls, reactor) -> list:
        """The job list of an EngineRunner whose channel reactor is `reactor` (none without)."""
        if reactor is None:
            return []
        return [cls(sessions=reactor.sessions, gateway=reactor.gateway).register]

    def register(self, scheduler) -> None:
        scheduler.add_job(self.run_once, "interval", seconds=self.every, id="sms-survey-expiry",
                          max_instances=1, coalesce=True)  # fmt: skip

    def run_once(self) -> int:
        """Close the expired questions' conversations; returns how many."""
        with self.sessions.begin() as session:
            due = list(session.scalars(self._due()))
            for contact in due:
                expire(session=session, contact=contact, gateway=self.gateway)
        return len(due)

    def _due(self):
        note = TranscriptMessage.message_sid == literal(EXPIRED_SID) + Survey.task_id
        return (
            select(Contact)
            .join(Survey, Survey.task_id == Contact.task_id)
            .outerjoin(TranscriptMessage, note)
            .where(Survey.rating.is_(None), Contact.conversation_sid.is_not(None),
                   Survey.offered_at <= self.now() - EXPIRES_AFTER,
                   TranscriptMessage.id.is_(None))
            .order_by(Survey.offered_at)
            .limit(self.batch)
        )  # fmt: skip
