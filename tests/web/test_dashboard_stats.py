"""The dashboard's figures that come from the event log: occupancy of the agents serving each
queue, and waiting tasks per minute over the last hour (served at /dashboard/api/waiting)."""

from __future__ import annotations

import time

from dispatcher.core.codec import encode_event
from dispatcher.core.events import (
    AgentStateChanged,
    AgentStatusChanged,
    TaskAssigned,
    TaskCanceled,
    TaskCreated,
    TaskMoved,
)
from dispatcher.core.model import AgentState, AgentStatus, CancelReason, Channel
from dispatcher.statistics import agent_time_between, queue_occupancy, waiting_series
from dispatcher.tables import RoutingEvent, RoutingTask

AVAILABLE, OFFLINE = AgentStatus.AVAILABLE, AgentStatus.OFFLINE
IDLE, BUSY = AgentState.IDLE, AgentState.BUSY


def _log(session, *events):
    for position, event in enumerate(events, start=1):
        session.add(RoutingEvent(position=position, type=event.name, at=event.at,
                                 task_id=getattr(event, "task_id", None),
                                 data=encode_event(event)))  # fmt: skip
    session.flush()


def _created(at, task_id, queue_id):
    return TaskCreated(at=at, task_id=task_id, queue_id=queue_id, channel=Channel.VOICE,
                       priority=0, required=frozenset(), language=None)  # fmt: skip


def _task(session, task_id, queue_id, created_at, state="pending", ended_at=None):
    session.add(RoutingTask(task_id=task_id, queue_id=queue_id, state=state, agent_id=None,
                            created_at=created_at, ended_at=ended_at, data={}))  # fmt: skip


def test_occupancy_per_queue_counts_only_the_agents_serving_that_queue(db_session):
    t = 1_000_000.0
    _log(
        db_session,
        AgentStatusChanged(at=t, agent_id="a", status=AVAILABLE, previous=OFFLINE),
        AgentStatusChanged(at=t, agent_id="b", status=AVAILABLE, previous=OFFLINE),
        AgentStateChanged(at=t + 100, agent_id="a", state=BUSY, previous=IDLE),
        AgentStateChanged(at=t + 400, agent_id="a", state=IDLE, previous=BUSY),
    )
    stats = agent_time_between(db_session.connection(), t, t + 400)
    occupancy = queue_occupancy(stats.by_agent, {"a": ["claims", "web"], "b": ["web"]})

    assert occupancy["claims"] == 300 / 400  # a alone: busy 300 s of 400 signed in
    assert occupancy["web"] == 300 / 800  # a and b: 300 s busy of 800 signed in
    assert stats.agents  # the all-queue figures are still folded alongside


def test_waiting_tasks_per_minute_follow_creation_moves_answers_and_abandons(db_session):
    t = 1_000_020.0 - 1_000_020.0 % 60  # a minute boundary
    _task(db_session, "old", "claims", t - 7200, state="assigned")  # waited from before the hour
    _task(db_session, "moved", "claims", t + 30, state="canceled", ended_at=t + 150)
    _task(db_session, "done-long-ago", "claims", t - 9000, state="completed", ended_at=t - 8000)
    _log(
        db_session,
        _created(t - 9000, "done-long-ago", "claims"),
        _created(t - 7200, "old", "claims"),
        _created(t + 30, "moved", "claims"),
        TaskMoved(at=t + 90, task_id="moved", from_queue="claims", queue_id="web"),
        TaskAssigned(
            at=t + 100,
            task_id="old",
            agent_id="a",
            reservation_id="r",
            queue_id="claims",
            waited=7300.0,
        ),  # fmt: skip
        TaskCanceled(at=t + 150, task_id="moved", queue_id="web", reason=CancelReason.ABANDONED),
    )
    times, counts = waiting_series(db_session.connection(), t, t + 180, 60.0)

    assert times == [t, t + 60, t + 120, t + 180]
    assert counts["claims"] == [1, 2, 0, 0]
    assert counts["web"] == [0, 0, 1, 0]


def test_waiting_chart_is_served_to_supervisors_with_a_point_per_minute(as_role, db_session):
    now = time.time()
    _task(db_session, "w1", "claims", now - 30)
    _log(db_session, _created(now - 30, "w1", "claims"))
    db_session.commit()

    chart = as_role("supervisor").get("/dashboard/api/waiting")

    assert chart.status_code == 200
    assert 61 <= len(chart.json["times"]) <= 62
    assert chart.json["total"][-1] == 1
    assert chart.json["queues"]["claims"][-1] == 1
    assert as_role("agent").get("/dashboard/api/waiting").status_code == 403
