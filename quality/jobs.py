"""Quality's periodic jobs, registered on the active engine's APScheduler by the composition
root (crowdline.wiring), so none runs twice in a deployment: the recordings purge (hourly)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from database.clock import SYSTEM, Clock, utcnow
from quality import recordings

log = logging.getLogger(__name__)
PURGE_EVERY_SECONDS = 3600
COMMON = {"replace_existing": True, "coalesce": True, "max_instances": 1}


class QualityJobs:
    """`register(scheduler)` is one of the engine runner's job callables."""

    def __init__(self, *, sessions, delete_media: Callable, clock: Clock = SYSTEM) -> None:
        self.sessions = sessions
        self.delete_media = delete_media
        self.clock = clock

    def register(self, scheduler) -> None:
        scheduler.add_job(self.purge, "interval", seconds=PURGE_EVERY_SECONDS,
                          id="quality-purge-recordings", **COMMON)  # fmt: skip

    def purge(self) -> int:
        with self.sessions.begin() as session:
            purged = recordings.purge_expired(session=session, now=utcnow(self.clock),
                                              delete_media=self.delete_media)  # fmt: skip
        if purged:
            log.info("purged %d recordings past their program's retention", purged)
        return purged
