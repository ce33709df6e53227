"""The demo's quality: the Acme program surveys callers and chatters (the simulated callers
answer the IVR question), records its calls with a consent announcement, has a QA scorecard
and the demo supervisor as its supervisor; a pulse samples contacts for review and recomputes
the scores every minute (a deployment does it weekly and nightly), so all of it is alive."""

from __future__ import annotations

import logging
import random
import threading

from sqlalchemy.orm import Session

from agents.models import Program, User
from channels.handled import handled_contacts
from database.clock import utcnow
from quality import access, reviews, scorecards
from quality import settings as quality_settings
from quality.jobs import recompute

log = logging.getLogger(__name__)
SETTINGS = {"voice_survey": True, "chat_survey": True, "recording": True, "retention_days": 30,
            "sample_per_agent": 2, "handle_time_target": 180}  # fmt: skip
SCORECARD = [
    {"title": "Opening", "questions": [
        {"id": "greeting", "text": "Greets the customer and names Acme", "weight": 10},
        {"id": "verify", "text": "Verifies the policy holder before any detail", "weight": 20,
         "auto_fail": True}]},
    {"title": "Handling", "questions": [
        {"id": "listen", "text": "Lets the customer explain, asks clarifying questions",
         "weight": 20},
        {"id": "resolve", "text": "Files or answers the claim correctly", "weight": 35}]},
    {"title": "Closing", "questions": [
        {"id": "recap", "text": "Recaps next steps and timelines", "weight": 15}]},
]  # fmt: skip


def seed(*, session: Session, program: Program, supervisor: User) -> None:
    """Settings (the demo's, on every start), the scorecard (once) and the supervisor's duty."""
    quality_settings.save(session=session, program_id=program.id, values=SETTINGS)
    if scorecards.active(session=session, program_id=program.id) is None:
        scorecards.save(session=session, program_id=program.id, name="Claims calls",
                        sections=SCORECARD)  # fmt: skip
    access.assign(session=session, program_id=program.id, user=supervisor, duty="supervisor")


class QualityPulse:
    """Every `every` seconds: this week's QA sample topped up, every score recomputed."""

    def __init__(self, sessions, *, every: float = 60.0) -> None:
        self.sessions = sessions
        self.every = every
        self.rng = random.Random()
        self.stop_event = threading.Event()
        self.thread: threading.Thread | None = None

    def start(self) -> QualityPulse:
        self.thread = threading.Thread(target=self.run, name="demo-quality", daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stop_event.set()

    def run(self) -> None:
        while not self.stop_event.wait(self.every):
            try:
                with self.sessions.begin() as session:
                    now = utcnow()
                    reviews.sample_week(session=session, week_start=now, now=now,
                                        handled=handled_contacts, rng=self.rng)  # fmt: skip
                    recompute(session=session)
            except Exception:
                log.exception("demo quality pulse failed")
