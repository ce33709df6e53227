"""The schedule's adherence feeds the performance score: minutes available / minutes booked over
the agent's booked blocks of the program; an agent who booked nothing has no adherence figure."""

from __future__ import annotations

from datetime import timedelta

from dispatcher.core.events import AgentStatusChanged
from dispatcher.core.model import AgentStatus
from quality import performance
from tests.factories import log_events
from tests.workforce.helpers import NOW, published_block
from workforce import bookings
from workforce.adherence import program_adherence

TEN = NOW + timedelta(hours=1)


def _status(session, agent, at, new, old):
    log_events(session, AgentStatusChanged(at=at.timestamp(), agent_id=str(agent.id),
                                           status=new, previous=old), project=False)  # fmt: skip


def test_a_booked_agent_available_half_the_block_scores_adherence_50(db_session, program, ann, bob):
    block = published_block(db_session, program, hours_ahead=1, needed=2)  # 10:00-10:30
    bookings.commit(session=db_session, agent_id=ann.id, block_id=block.id, now=NOW)
    on, off = AgentStatus.AVAILABLE, AgentStatus.OFFLINE
    _status(db_session, ann, TEN, on, off)
    _status(db_session, ann, TEN + timedelta(minutes=15), off, on)
    _status(db_session, bob, TEN, on, off)  # available, but booked nothing
    later = NOW + timedelta(hours=3)
    start = later - timedelta(days=performance.WINDOW_DAYS)

    assert program_adherence(db_session, str(ann.id), program.id, start, later) == 0.5
    assert program_adherence(db_session, str(bob.id), program.id, start, later) is None
    assert program_adherence(db_session, str(ann.id), program.id + 1, start, later) is None

    scores = {row.agent_id: row for row in performance.compute(
        session=db_session, now=later, adherence=program_adherence)}  # fmt: skip
    mine = scores[str(ann.id)].breakdown
    assert mine["adherence"]["value"] == 50.0 and mine["adherence"]["effective_weight"] > 0
    assert "note" not in mine
    assert str(bob.id) not in scores  # no component has data for bob: no score at all
