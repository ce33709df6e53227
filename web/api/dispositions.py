"""Disposition codes API: the wrap-up codes of a routing queue, read and replaced by
supervisors of the queue's program and admins (a queue with no codes of its own uses the
default list)."""

from __future__ import annotations

from flask import abort, request
from flask_login import current_user
from spectree import Response

from channels import dispositions
from dispatcher.tables import RoutingQueue
from pay import access
from web import db
from web.access import STAFF, roles_required
from web.api.blueprint import bp
from web.api.channel_schemas import DispositionsIn, DispositionsOut
from web.api.errors import error_response
from web.api.schemas import ErrorOut
from web.api.spec import api_spec

TAGS = ["channels"]
ERRORS = {"HTTP_401": ErrorOut, "HTTP_403": ErrorOut, "HTTP_404": ErrorOut, "HTTP_422": ErrorOut}


def _queue_or_404(queue_id: str) -> str:
    """The queue, or 404 (unknown) or 403 (a program the supervisor has no duty in)."""
    queue = db.session().get(RoutingQueue, queue_id)
    if queue is None:
        abort(error_response(404, "no such queue", {"queue_id": "unknown"}))
    try:
        access.program_or_raise(session=db.session(), user=current_user, code=queue.program)
    except access.PayForbidden as no:
        abort(error_response(403, "queue_id: the queue's program is not one you supervise",
                             {"queue_id": no.message}))  # fmt: skip
    return queue_id


def _out(queue_id: str) -> DispositionsOut:
    codes, default = dispositions.list_codes(session=db.session(), queue_id=queue_id)
    return DispositionsOut(queue_id=queue_id, default=default, codes=codes)


@bp.get("/queues/<queue_id>/dispositions")
@roles_required(*STAFF)
@api_spec.validate(resp=Response(HTTP_200=DispositionsOut, **ERRORS), tags=TAGS)
def list_dispositions(queue_id: str):
    """The queue's wrap-up codes, in the order agents see them."""
    return _out(_queue_or_404(queue_id))


@bp.put("/queues/<queue_id>/dispositions")
@roles_required(*STAFF)
@api_spec.validate(
    json=DispositionsIn, resp=Response(HTTP_200=DispositionsOut, **ERRORS), tags=TAGS
)
def replace_dispositions(queue_id: str):
    """Replace the queue's wrap-up codes and which count as conversions (supervisors, admins);
    [] restores the default list."""
    body: DispositionsIn = request.context.json
    _queue_or_404(queue_id)
    try:
        codes = [(c.code, c.label, c.conversion) for c in body.codes]
        dispositions.replace_codes(session=db.session(), queue_id=queue_id, codes=codes)
    except dispositions.DispositionError as error:
        abort(error_response(422, f"{error.field}: {error.message}", {error.field: error.message}))
    db.session().flush()
    return _out(queue_id)
