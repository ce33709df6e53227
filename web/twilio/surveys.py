"""The CSAT survey of a call (Twilio <Gather>): after the agent left, the reactor sends the
caller here (channels.after_call); one key 1–5 is the rating, kept once per contact."""

from __future__ import annotations

import logging

from flask import abort, jsonify, make_response, request

from channels import contacts
from database.base import utcnow
from quality import csat
from quality.errors import QualityError
from web import db
from web.twilio import twiml as build
from web.twilio.webhooks import bp, links, query, required, xml_response

log = logging.getLogger(__name__)
ATTEMPTS = 2  # a key outside 1–5 is asked again once, then the caller is thanked


@bp.post("/voice/survey")
def survey():
    """The question, for the caller of `task` whose survey was offered."""
    task_id = query("task")["task"]
    _caller_or_abort(task_id, required("CallSid")["CallSid"])
    return xml_response(build.survey(links().survey_answer(task_id)))


@bp.post("/voice/survey/answer")
def survey_answer():
    """The caller's key. 1–5: the rating (a replay changes nothing); another key: asked again
    (nothing written); a CallSid that is not the contact's caller: 403 naming CallSid."""
    q = query("task", "attempt")
    p = required("CallSid")
    session = db.session()
    _caller_or_abort(q["task"], p["CallSid"])
    digit = (request.form.get("Digits") or "").strip()
    try:
        csat.answer(session=session, task_id=q["task"], rating=digit, now=utcnow())
    except QualityError as error:
        if error.field == "rating" and q["attempt"] == "1":
            again = links().survey_answer(q["task"], attempt=ATTEMPTS)
            return xml_response(build.survey(again, retry=True))
        log.info("survey answer for %s not kept: %s", q["task"], error)
    return xml_response(build.goodbye("Thank you for your feedback. Goodbye."))


def _caller_or_abort(task_id: str, call_sid: str) -> None:
    """Only the contact's own caller answers its survey."""
    leg = contacts.caller_leg(session=db.session(), task_id=task_id)
    if leg is None or leg.call_sid != call_sid:
        error = QualityError("CallSid", "not the caller of this contact", status=403)
        abort(make_response(jsonify(error.json()), error.status))
