"""Scheduled training jobs (expiry, reminders), registered on a scheduler the entry point owns.

Nothing here starts a scheduler: `crowdline run` starts APScheduler beside the active engine
only, so no job runs twice. Each run is one transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from database.base import utcnow
from training.certification import expire_overdue, send_reminders

log = logging.getLogger(__name__)

EXPIRY_JOB_ID = "training.expire_overdue"
REMINDER_JOB_ID = "training.send_reminders"
EXPIRY_EVERY_SECONDS = 60
REMINDER_EVERY_SECONDS = 3600


def run_expiry(session_factory, clock: Callable[[], datetime] = utcnow) -> int:
    """Expire overdue certifications now; returns how many."""
    with session_factory.begin() as session:
        expired = expire_overdue(session=session, now=clock())
    if expired:
        log.info("expired %d certification(s)", len(expired))
    return len(expired)


def run_reminders(session_factory, clock: Callable[[], datetime] = utcnow) -> int:
    """Send due recertification reminders now; returns how many."""
    with session_factory.begin() as session:
        reminded = send_reminders(session=session, now=clock())
    if reminded:
        log.info("recorded %d recertification reminder(s)", len(reminded))
    return len(reminded)


def register_jobs(scheduler, session_factory, *, clock: Callable[[], datetime] = utcnow) -> None:
    """Add the training jobs to an APScheduler (3.x) scheduler; it is not started here."""
    common = {"replace_existing": True, "coalesce": True, "max_instances": 1}
    scheduler.add_job(
        run_expiry,
        "interval",
        seconds=EXPIRY_EVERY_SECONDS,
        id=EXPIRY_JOB_ID,
        args=[session_factory, clock],
        **common,
    )
    scheduler.add_job(
        run_reminders,
        "interval",
        seconds=REMINDER_EVERY_SECONDS,
        id=REMINDER_JOB_ID,
        args=[session_factory, clock],
        **common,
    )
