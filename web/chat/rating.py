"""POST /chat/rating: the customer's CSAT rating (1–5) and comment after a web chat, sent by
the widget with the chat token (the customer's credential, so no CSRF cookie is involved).
Kept once per contact; bad input is a 4xx naming the field, with nothing written."""

from __future__ import annotations

from flask import jsonify, request
from itsdangerous import BadSignature

from channels.models import Contact
from database.base import utcnow
from quality import csat
from quality.errors import QualityError
from web import db
from web.chat.customer import _serializer
from web.chat.pages import bp
from web.extensions import csrf, limiter


@bp.post("/chat/rating")
@csrf.exempt
@limiter.limit("20 per minute")
def rate_chat():
    """Customer → {token, task_id, rating 1–5, comment?} → 201 {task_id, rating}. 400/422
    rating or comment, 403 token or task_id (not this customer's chat), 404 no survey offered,
    409 already rated."""
    data = request.get_json(silent=True)
    data = data if isinstance(data, dict) else {}
    try:
        contact = _chatter(data)
        survey = csat.answer(session=db.session(), task_id=contact.task_id,
                             rating=data.get("rating"), comment=data.get("comment") or "",
                             now=utcnow())  # fmt: skip
    except QualityError as error:
        db.session().rollback()
        return jsonify(error.json()), error.status
    db.session().commit()
    return jsonify(task_id=survey.task_id, rating=survey.rating), 201


def _chatter(data: dict) -> Contact:
    """The web chat the token was issued for; its task_id must be the one rated."""
    try:
        task_id = _serializer().loads(str(data.get("token") or ""))
    except BadSignature:
        raise QualityError("token", "unknown or forged chat token", status=403) from None
    if str(data.get("task_id") or "") != task_id:
        raise QualityError("task_id", "not the contact of this chat token", status=403)
    contact = db.session().get(Contact, task_id)
    if contact is None or contact.channel != "web":
        raise QualityError("task_id", "no such web chat", status=404)
    return contact
