"""GET /quality/recordings/<id>/audio: a call recording, for the program's supervisors and QA
reviewers (and admins), each playback written to the audit log."""

from __future__ import annotations

from flask import Response, current_app, jsonify, redirect
from flask_login import current_user

from channels.gateway import GatewayError
from channels.recording_media import audio
from database.base import utcnow
from quality import recordings
from quality.errors import QualityError
from web import db
from web.access import STAFF, roles_required
from web.quality.blueprint import bp


@bp.get("/quality/recordings/<int:recording_id>/audio")
@roles_required(*STAFF)
def play_recording(recording_id: int):
    """The audio (WAV from the simulated carrier; Twilio's media by redirect). 403 not your
    program, 404 unknown or gone, 410 purged after the program's retention."""
    session = db.session()
    try:
        row = recordings.playable_or_raise(session=session, recording_id=recording_id,
                                           user=current_user, now=utcnow())  # fmt: skip
        body, elsewhere = audio(row.url, row.recording_sid)
    except QualityError as error:
        session.rollback()
        return jsonify(error.json()), error.status
    except GatewayError as error:
        session.rollback()
        current_app.logger.warning("recording %s not playable: %s", recording_id, error)
        return jsonify(error="recording_id: the audio is not available",
                       fields={"recording_id": "the audio is not available"}), 404  # fmt: skip
    session.commit()  # the audit entry, before the audio leaves
    if elsewhere:
        return redirect(elsewhere)
    response = Response(body, mimetype="audio/wav")
    response.headers["Cache-Control"] = "no-store"  # each playback is audited
    return response
