"""The supervisors' coverage view: per slot forecast, needed, booked, actually available (from the
event log) and service level achieved, today and this week, as a page with a chart and a CSV."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from dispatcher.core.codec import encode
from dispatcher.core.events import AgentStatusChanged, TaskAssigned, TaskCanceled, TaskCreated
from dispatcher.core.model import AgentStatus, CancelReason, Channel, Queue
from dispatcher.tables import RoutingQueue
from tests.conftest import login
from tests.factories import log_events
from tests.workforce.helpers import NOW, published_block
from web.app import create_app
from web.extensions import limiter
from workforce import bookings, coverage
from workforce.weeks import week_label

LATER = NOW + timedelta(hours=2)  # 11:00: the 10:00 and 10:30 slots have happened
TEN = NOW + timedelta(hours=1)


class FixedClock:
    def now(self) -> float:
        return LATER.timestamp()


def log(session, *events):
    log_events(session, *events, project=False)


def status(agent, at, new, old):
    return AgentStatusChanged(at=at.timestamp(), agent_id=str(agent.id), status=new,
                              previous=old)  # fmt: skip


@pytest.fixture
def worked(db_session, program, ann, bob):
    """Ann booked the 10:00 block and was available 10:00-10:15; Bob (unbooked) from 10:00 on;
    two calls came at 10:05 and 10:10: one answered in 10 s, one abandoned."""
    db_session.add(RoutingQueue(queue_id="claims", program=program.code,
                                data=encode(Queue("claims", program=program.code,
                                                  service_level_seconds=20))))  # fmt: skip
    block = published_block(db_session, program, hours_ahead=1, needed=2)
    bookings.commit(session=db_session, agent_id=ann.id, block_id=block.id, now=NOW)
    on, off = AgentStatus.AVAILABLE, AgentStatus.OFFLINE
    t = TEN.timestamp()
    log(db_session,
        status(ann, TEN, on, off), status(bob, TEN, on, off),
        TaskCreated(at=t + 300, task_id="t1", queue_id="claims", channel=Channel.VOICE,
                    priority=0, required=frozenset(), language=None),
        TaskAssigned(at=t + 310, task_id="t1", agent_id=str(bob.id), reservation_id="r1",
                     queue_id="claims", waited=10.0),
        TaskCreated(at=t + 600, task_id="t2", queue_id="claims", channel=Channel.VOICE,
                    priority=0, required=frozenset(), language=None),
        TaskCanceled(at=t + 660, task_id="t2", queue_id="claims",
                     reason=CancelReason.ABANDONED),
        status(ann, TEN + timedelta(minutes=15), off, on))  # fmt: skip
    db_session.commit()
    return block


def test_each_slot_shows_needed_booked_available_and_service_level(db_session, worked):
    slots = coverage.coverage(session=db_session, queue_id="claims",
                              since=TEN.replace(hour=0), days=1, now=LATER)  # fmt: skip
    assert len(slots) == 48 and slots[0].start == TEN.replace(hour=0)
    ten, half_past, eleven = slots[20], slots[21], slots[22]
    assert ten.start == TEN and (ten.needed, ten.booked) == (2, 1)
    assert ten.available == 1.5  # Ann half of it, Bob all of it
    assert (ten.offered, ten.answered, ten.service_level) == (2, 1, 0.5)
    assert ten.short is True
    assert half_past.available == 1.0 and half_past.service_level is None
    assert half_past.offered == 0 and half_past.booked == 0
    assert eleven.available is None and eleven.service_level is None  # not begun


@pytest.fixture
def staff_app(settings, session_factory):
    app = create_app(settings, session_factory=session_factory)
    app.config["WORKFORCE_CLOCK"] = FixedClock()
    limiter.reset()
    return app


def signed_in(app, user):
    client = app.test_client()
    assert login(client, user.email).status_code == 302
    return client


def test_supervisors_see_today_and_the_week_as_chart_table_and_csv(staff_app, users, worked):
    client = signed_in(staff_app, users["supervisor"])
    page = client.get("/schedule/coverage?queue=claims")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="coverage-chart"' in text
    assert f'data-start="{TEN.isoformat()}"' in text and "50%" in text
    assert 'id="coverage-short">1<' in text
    today = client.get("/schedule/coverage.csv?queue=claims")
    assert today.status_code == 200 and today.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(today.get_data(as_text=True))))
    assert len(rows) == 48
    ten = next(r for r in rows if r["start"] == TEN.isoformat())
    assert (ten["needed"], ten["booked"], ten["available"], ten["service_level"]) == (
        "2", "1", "1.5", "0.5")  # fmt: skip
    week = client.get(f"/schedule/coverage.csv?queue=claims&period=week&week={week_label(NOW)}")
    assert len(list(csv.DictReader(io.StringIO(week.get_data(as_text=True))))) == 7 * 48


def test_bad_queries_name_the_field_and_agents_are_refused(staff_app, users, ann, worked):
    client = signed_in(staff_app, users["supervisor"])
    bad_period = client.get("/schedule/coverage?queue=claims&period=month")
    assert bad_period.status_code == 422 and "period: today or week" in bad_period.text
    unknown = client.get("/schedule/coverage.csv?queue=nope")
    assert unknown.status_code == 422 and unknown.text.startswith("queue:")
    bad_week = client.get("/schedule/coverage?queue=claims&period=week&week=2026-W99")
    assert bad_week.status_code == 422 and "week:" in bad_week.text
    assert signed_in(staff_app, ann.user).get("/schedule/coverage").status_code == 403
