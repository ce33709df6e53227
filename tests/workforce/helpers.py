"""Schedule test helpers: certified agents, blocks published at a fixed time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from agents.models import Stage
from tests.factories import make_user
from tests.training.helpers import DEMO_COURSE
from training import certification, enrolments
from training.importer import import_path
from workforce import blocks

# Thursday 2026-12-03 09:00 UTC: "now" in these tests; blocks are placed relative to it.
NOW = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def import_course(session):
    (imported,) = import_path(session=session, path=DEMO_COURSE)
    return imported.course


def certified_agent(session, program, course, *, at: datetime = NOW):
    """An active agent of `program` holding its certification from a day before `at`."""
    agent = make_user(session, "agent").agent
    agent.programs = [program]
    session.flush()
    enrolment = enrolments.enrol(session=session, agent=agent, course=course,
                                 now=at - timedelta(days=1))  # fmt: skip
    scores = [1.0] * len(enrolment.version.modules)
    certification.issue(session=session, enrolment=enrolment, scores=scores,
                        now=at - timedelta(days=1))  # fmt: skip
    agent.stage = Stage.ACTIVE
    session.flush()
    return agent


def published_block(session, program, *, hours_ahead: float = 24, needed: int = 2,
                    queue_id: str = "claims", bonus="0"):  # fmt: skip
    starts = NOW + timedelta(hours=hours_ahead)
    starts = starts.replace(minute=0 if starts.minute < 30 else 30, second=0, microsecond=0)
    block = blocks.put_block(session=session, program_id=program.id, queue_id=queue_id,
                             starts_at=starts, needed=needed, bonus_per_minute=bonus)  # fmt: skip
    blocks.publish(session=session, blocks=[block], now=NOW)
    return block
