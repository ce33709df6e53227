"""Call recording through Twilio's conference recording: the hold TwiML of a program that
records says the consent announcement and records the conference; Twilio (or the simulated
carrier, which writes a short WAV file) reports the finished recording here, and it is linked
to the contact once per RecordingSid (quality.recordings)."""

from __future__ import annotations

import logging

from flask import request

from channels.models import Contact
from database.base import utcnow
from quality import recordings
from web import db
from web.twilio import twiml as build
from web.twilio.webhooks import bp, links, query, required

log = logging.getLogger(__name__)


def hold(session, task_id: str, *, first: bool = True):
    """The caller's hold in the conference, recorded when the contact's program records calls
    (the consent announcement only on the `first` hold of the call, not after a transfer)."""
    contact = session.get(Contact, task_id)
    program_id = contact.entry_point.program_id if contact and contact.entry_point else None
    recorded = recordings.wanted(session=session, program_id=program_id)
    consent = recordings.CONSENT if recorded and first else None
    return build.hold_in_conference(task_id, links(), recorded=recorded, consent=consent)


@bp.post("/voice/call-recording")
def call_recording():
    """recordingStatusCallback of a task's conference: status `completed` links the recording
    to the contact (a replay or another status changes nothing)."""
    task_id = query("task")["task"]
    p = required("RecordingSid", "RecordingUrl")
    if (request.form.get("RecordingStatus") or "completed") != "completed":
        return "", 204
    session = db.session()
    contact = session.get(Contact, task_id)
    if contact is None or contact.entry_point is None:
        log.warning("recording %s for unknown contact %s", p["RecordingSid"], task_id)
        return "", 204
    duration = request.form.get("RecordingDuration") or "0"
    recordings.store(session=session, contact=contact, recording_sid=p["RecordingSid"],
                     url=p["RecordingUrl"], duration=int(duration) if duration.isdigit() else 0,
                     now=utcnow())  # fmt: skip
    return "", 204
