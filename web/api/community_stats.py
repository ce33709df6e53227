"""Community analytics and settings API: the four questions a business asks of its community,
and each program's community settings (staff only)."""

from __future__ import annotations

import time

from flask import abort, current_app, jsonify, request
from spectree import Response

from channels import community_stats
from community import posts, program_settings, volunteering
from community.errors import NotFound
from web import db
from web.access import STAFF, roles_required
from web.api.blueprint import bp
from web.api.community_stats_schemas import SettingsIn, SettingsOut, StatsOut, StatsQuery
from web.api.errors import error_response
from web.api.schemas import ErrorOut
from web.api.spec import api_spec

ERRORS = {"HTTP_401": ErrorOut, "HTTP_403": ErrorOut, "HTTP_404": ErrorOut, "HTTP_422": ErrorOut}


def _program(code: str):
    try:
        return posts.program_by_code_or_raise(session=db.session(), code=code)
    except NotFound as missing:
        abort(error_response(404, missing.message))


def _settings_out(program, settings) -> SettingsOut:
    values = program_settings.as_dict(settings)
    cost = values.pop("cost_per_contact")
    return SettingsOut(program=program.code, cost_per_contact=None if cost is None else str(cost),
                       **values)  # fmt: skip


@bp.get("/community/settings/<program>")
@roles_required(*STAFF)
@api_spec.validate(resp=Response(HTTP_200=SettingsOut, **ERRORS), tags=["community"])
def get_community_settings(program: str):
    """Supervisors and admins: the program's community settings (defaults when never saved)."""
    found = _program(program)
    return _settings_out(found, posts.settings_for(session=db.session(), program_id=found.id))


@bp.patch("/community/settings/<program>")
@roles_required(*STAFF)
@api_spec.validate(json=SettingsIn, resp=Response(HTTP_200=SettingsOut, **ERRORS),
                   tags=["community"])  # fmt: skip
def update_community_settings(program: str):
    """Supervisors and admins: change the settings given (escalation after 1 to 10,080
    minutes, an escalation queue of this program, holding first posts, public or private, the
    cost per contact for the cost avoided, the queue volunteers take web chats of); a bad one
    is a 422 naming it, nothing written."""
    found = _program(program)
    changes = request.context.json.model_dump(exclude_unset=True)
    saved = program_settings.update(session=db.session(), program=found, changes=changes)
    if "volunteer_queue_id" in changes:  # the program's volunteers follow to the new queue
        volunteering.sync_program(session=db.session(), program=found)
    return _settings_out(found, saved)


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
    program = _program(q.program)
    rates = current_app.config["CROWDLINE_SETTINGS"].telephony_rates
    report = community_stats.stats(session=session, program=program, days=q.days,
                                   now=time.time(), rates=rates)  # fmt: skip
    return jsonify(StatsOut.model_validate(report).model_dump(mode="json", by_alias=True))
