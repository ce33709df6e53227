"""ROI API: a program's contacts, service, conversions, costs, revenue and margin per day, per
ISO week and in total (staff: admins any program, supervisors those they have a duty in)."""

from __future__ import annotations

from flask import abort, current_app, jsonify, request
from flask_login import current_user
from spectree import Response

from channels import roi_view
from pay import access
from pay.periods import PayError
from web import db
from web.access import STAFF, roles_required
from web.api.blueprint import bp
from web.api.errors import error_response
from web.api.roi_schemas import RoiOut, RoiQuery
from web.api.schemas import ErrorOut
from web.api.spec import api_spec

ERRORS = {"HTTP_401": ErrorOut, "HTTP_403": ErrorOut, "HTTP_404": ErrorOut, "HTTP_422": ErrorOut}


def roi_report(program: str, start, end) -> dict:
    """The report, or an abort: 404 for an unknown program, 403 for one the supervisor has no
    duty in, 422 naming a bad day."""
    session = db.session()
    try:
        found = roi_view.program_or_raise(session, program)
    except PayError as bad:
        abort(error_response(404, bad.message))
    try:
        access.program_or_raise(session=session, user=current_user, code=found.code)
    except access.PayForbidden as no:
        abort(error_response(403, f"{no.field}: {no.message}", {no.field: no.message}))
    rates = current_app.config["CROWDLINE_SETTINGS"].telephony_rates
    try:
        return roi_view.roi(session=session, program=found, start=start, end=end, rates=rates)
    except PayError as bad:
        abort(error_response(422, bad.message, {bad.field: bad.message}))


@bp.get("/reports/roi")
@roles_required(*STAFF)
@api_spec.validate(query=RoiQuery, resp=Response(HTTP_200=RoiOut, **ERRORS), tags=["reports"])
def roi():
    """ROI of one program for the UTC days from..to (both included, at most 92)."""
    q: RoiQuery = request.context.query
    report = RoiOut.model_validate(roi_report(q.program, q.from_, q.to))
    return jsonify(report.model_dump(mode="json", by_alias=True))  # "from", as documented
