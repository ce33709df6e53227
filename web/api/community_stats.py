"""Community analytics API: the four questions a business asks of its community, per program
(staff only)."""

from __future__ import annotations

import time

from flask import abort, current_app, jsonify, request
from spectree import Response

from channels import community_stats
from community import posts
from community.errors import NotFound
from web import db
from web.access import STAFF, roles_required
from web.api.blueprint import bp
from web.api.community_stats_schemas import StatsOut, StatsQuery
from web.api.errors import error_response
from web.api.schemas import ErrorOut
from web.api.spec import api_spec

ERRORS = {"HTTP_401": ErrorOut, "HTTP_403": ErrorOut, "HTTP_404": ErrorOut, "HTTP_422": ErrorOut}


@bp.get("/community/stats")
@roles_required(*STAFF)
@api_spec.validate(query=StatsQuery, resp=Response(HTTP_200=StatsOut, **ERRORS),
                   tags=["community"])  # fmt: skip
def community_stats_report():
    """Supervisors and admins: the participation pyramid, answer rate and time to first answer,
    who answered (crowd, staff, paid agents), moderation backlog and time to review,
    deflection and the cost it avoided, over the last `days` UTC days."""
    q: StatsQuery = request.context.query
    session = db.session()
    try:
        program = posts.program_by_code_or_raise(session=session, code=q.program)
    except NotFound as missing:
        abort(error_response(404, missing.message))
    rates = current_app.config["CROWDLINE_SETTINGS"].telephony_rates
    report = community_stats.stats(session=session, program=program, days=q.days,
                                   now=time.time(), rates=rates)  # fmt: skip
    return jsonify(StatsOut.model_validate(report).model_dump(mode="json", by_alias=True))
