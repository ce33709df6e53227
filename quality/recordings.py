"""Call recordings: linked to their contact when the carrier reports them (once per
RecordingSid), kept for the program's retention_days, played back only by the program's staff
(each playback written to the audit log), and purged by a job once past retention."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from agents import audit
from agents.models import User
from quality import access, settings
from quality.errors import QualityError
from quality.models import Recording

log = logging.getLogger(__name__)
CONSENT = "This call may be recorded for quality and training purposes."
PURGE_BATCH = 500


def wanted(*, session: Session, program_id: int | None) -> bool:
    return program_id is not None and settings.get(session=session, program_id=program_id).recording


def store(*, session: Session, contact, recording_sid: str, url: str, duration: int,
          now: datetime) -> Recording | None:  # fmt: skip
    """Link the recording to the contact (None when that RecordingSid is known already)."""
    program_id = contact.entry_point.program_id
    keep = settings.get(session=session, program_id=program_id).retention_days
    row = Recording(task_id=contact.task_id, program_id=program_id, recording_sid=recording_sid,
                    url=url, duration_seconds=max(0, duration), created_at=now,
                    purge_after=now + timedelta(days=keep))  # fmt: skip
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        return None
    return row


def for_task(*, session: Session, task_id: str) -> list[Recording]:
    return list(session.scalars(select(Recording).where(Recording.task_id == task_id)
                                .order_by(Recording.id)))  # fmt: skip


def playable_or_raise(*, session: Session, recording_id: int, user: User,
                      now: datetime) -> Recording:  # fmt: skip
    """The recording, for the program's supervisors and reviewers (and admins), audited.
    QualityError: 404 unknown, 403 not your program, 410 purged."""
    row = session.get(Recording, recording_id)
    if row is None:
        raise QualityError("recording_id", "no such recording", status=404)
    access.staff_or_raise(session=session, user=user, program_id=row.program_id)
    if row.purged_at is not None:
        raise QualityError("recording_id", "purged after the program's retention", status=410)
    audit.record(session=session, actor_id=user.id, action="recording.play",
                 entity_type="recording", entity_id=row.id,
                 after={"task_id": row.task_id, "at": now.isoformat()})  # fmt: skip
    return row


def purge_expired(*, session: Session, now: datetime,
                  delete_media: Callable[[Recording], None]) -> int:  # fmt: skip
    """Delete the media of recordings past purge_after and mark them purged (the row stays: the
    contact keeps the fact that it was recorded). A media deletion that fails is retried at the
    next run. Returns how many were purged."""
    due = session.scalars(
        select(Recording).where(Recording.purged_at.is_(None), Recording.purge_after <= now)
        .order_by(Recording.purge_after).limit(PURGE_BATCH)
    ).all()  # fmt: skip
    purged = 0
    for row in due:
        try:
            delete_media(row)
        except Exception:
            log.warning("recording %s not purged yet", row.recording_sid, exc_info=True)
            continue
        row.purged_at = now
        purged += 1
    return purged
