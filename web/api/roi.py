"""ROI API: a program's contacts, service, conversions, costs, revenue and margin per day, per
ISO week and in total (staff; supervisors see every program: the roster assigns them none)."""

from __future__ import annotations

from flask import abort, current_app, jsonify, request
from spectree import Response

from channels import roi_view
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
    """The report, or an abort: 404 for an unknown program, 422 naming a bad day."""
    session = db.session()
    try:
        found = roi_view.program_or_raise(session, program)
    except PayError as bad:
        abort(error_response(404, bad.message))
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
