"""The demo's quality: the Acme program surveys callers and chatters (the simulated callers
answer the IVR question), records its calls with a consent announcement, samples contacts for
QA review and scores its agents."""

from __future__ import annotations

from sqlalchemy.orm import Session

from agents.models import Program
from quality import settings as quality_settings

SETTINGS = {"voice_survey": True, "chat_survey": True, "recording": True, "retention_days": 30,
            "sample_per_agent": 2, "handle_time_target": 180}  # fmt: skip


def seed(*, session: Session, program: Program) -> None:
    """The program's quality settings (again on every start: the demo's, whatever changed)."""
    quality_settings.save(session=session, program_id=program.id, values=SETTINGS)
