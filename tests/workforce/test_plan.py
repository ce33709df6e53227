"""The week ahead from the event log: forecast per slot, overrides, hours, holidays, publishing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from dispatcher.core.codec import encode
from dispatcher.core.model import Queue
from dispatcher.tables import RoutingQueue
from workforce import blocks, hours, plan, publishing
from workforce.errors import InvalidValue, NotFound
from workforce.history import WEEK_SLOTS
from workforce.models import Block, BlockStatus
from workforce.synthetic import seed_history, weekly_profile

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # a Wednesday
THIS_WEEK = datetime(2026, 11, 23, tzinfo=UTC)
NEXT_WEEK = THIS_WEEK + timedelta(days=7)  # includes no US holiday; Thanksgiving is 11-26


@pytest.fixture
def history(db_session, program):
    db_session.add(RoutingQueue(queue_id="claims", program=program.code,
                                data=encode(Queue("claims", program=program.code))))  # fmt: skip
    seed_history(session=db_session, queue_id="claims", start=THIS_WEEK - timedelta(weeks=8),
                 weeks=8, profile=weekly_profile(10), aht=200.0)  # fmt: skip
    db_session.commit()
    return program


def test_the_forecast_follows_the_weekly_shape_of_the_history(db_session, history):
    week = plan.forecast_week(session=db_session, queue_id="claims", monday=NEXT_WEEK, now=NOW)
    assert len(week.slots) == WEEK_SLOTS and week.slots[0].start == NEXT_WEEK
    assert set(week.mapes) == {"holt-winters", "seasonal-average"}
    assert week.method in week.mapes
    tuesday_noon, tuesday_3am = week.slots[48 + 24], week.slots[48 + 6]
    assert 5 < tuesday_noon.contacts < 20 and tuesday_noon.agents_needed > 0
    assert tuesday_3am.contacts < 1 and tuesday_3am.agents_needed == 0
    assert 150 < tuesday_noon.aht_seconds < 260


def test_closed_hours_and_holidays_get_no_contacts(db_session, history):
    calendar = blocks.calendar_of(session=db_session, program_id=history.id)
    hours.set_hours(calendar, [(d, 9 * 60, 17 * 60) for d in range(1, 6)])
    db_session.flush()
    week = plan.forecast_week(session=db_session, queue_id="claims", monday=NEXT_WEEK, now=NOW)
    assert week.slots[8 * 2].open is False and week.slots[8 * 2].agents_needed == 0
    assert week.slots[12 * 2].open is True
    assert not any(s.open for s in week.slots[5 * 48 :])  # the weekend is closed
    holiday = plan.forecast_week(session=db_session, queue_id="claims", monday=THIS_WEEK,
                                 now=NOW)  # fmt: skip
    thanksgiving = holiday.slots[3 * 48 : 4 * 48]
    assert not any(s.open for s in thanksgiving)
    assert hours.next_opening(calendar, datetime(2026, 11, 26, 10, tzinfo=UTC)) == datetime(
        2026, 11, 27, 9, tzinfo=UTC)  # fmt: skip


def test_an_override_replaces_one_slot_and_is_shown(db_session, history, users):
    slot = NEXT_WEEK + timedelta(days=1, hours=12)
    plan.set_override(session=db_session, queue_id="claims", starts_at=slot, contacts=300,
                      note="campaign", actor_id=users["supervisor"].id, now=NOW)  # fmt: skip
    week = plan.forecast_week(session=db_session, queue_id="claims", monday=NEXT_WEEK, now=NOW)
    shown = next(s for s in week.slots if s.start == slot)
    assert shown.contacts == 300 and shown.overridden and shown.agents_needed > 20
    for bad, field in ((-1, "contacts"), ("x", "contacts"), (float("nan"), "contacts")):
        with pytest.raises(InvalidValue) as refused:
            plan.set_override(session=db_session, queue_id="claims", starts_at=slot,
                              contacts=bad, note="", actor_id=None, now=NOW)  # fmt: skip
        assert refused.value.field == field
    with pytest.raises(NotFound) as unknown:
        plan.set_override(session=db_session, queue_id="nope", starts_at=slot, contacts=1,
                          note="", actor_id=None, now=NOW)  # fmt: skip
    assert unknown.value.field == "queue"


def test_publishing_a_week_opens_blocks_in_open_slots_that_need_agents(db_session, history):
    published = publishing.publish_week(session=db_session, monday=NEXT_WEEK, now=NOW)
    assert [p.queue_id for p in published] == ["claims"] and published[0].blocks > 0
    made = db_session.query(Block).filter(Block.queue_id == "claims").all()
    assert made and all(b.status is BlockStatus.PUBLISHED and b.needed > 0 for b in made)
    assert all(b.starts_at.hour >= 7 for b in made)  # nights have no contacts, so no blocks
    again = publishing.publish_week(session=db_session, monday=NEXT_WEEK, now=NOW)
    assert again[0].blocks == published[0].blocks
    assert db_session.query(Block).count() == len(made)


def test_no_block_is_published_while_the_program_is_closed(db_session, history):
    calendar = blocks.calendar_of(session=db_session, program_id=history.id)
    hours.set_hours(calendar, [(d, 9 * 60, 17 * 60) for d in range(1, 6)])
    db_session.flush()
    publishing.publish_week(session=db_session, monday=NEXT_WEEK, now=NOW)
    made = db_session.query(Block).filter(Block.status == BlockStatus.PUBLISHED).all()
    assert made and all(9 <= b.starts_at.hour < 17 and b.starts_at.isoweekday() <= 5
                        for b in made)  # fmt: skip
    night = blocks.put_block(session=db_session, program_id=history.id, queue_id="claims",
                             starts_at=NEXT_WEEK + timedelta(hours=3), needed=2)  # fmt: skip
    saturday = blocks.put_block(session=db_session, program_id=history.id, queue_id="claims",
                                starts_at=NEXT_WEEK + timedelta(days=5, hours=12),
                                needed=2)  # fmt: skip
    assert blocks.publish(session=db_session, blocks=[night, saturday], now=NOW) == 0
    assert night.status is BlockStatus.DRAFT and saturday.status is BlockStatus.DRAFT


def test_a_closed_program_says_why_and_when_it_opens_again(db_session, history):
    calendar = blocks.calendar_of(session=db_session, program_id=history.id)
    calendar.timezone = "America/New_York"
    hours.set_hours(calendar, [(d, 9 * 60, 17 * 60) for d in range(1, 6)])
    db_session.flush()
    thanksgiving = hours.closed_at(session=db_session, program_id=history.id,
                                   at=datetime(2026, 11, 26, 15, tzinfo=UTC))  # fmt: skip
    assert thanksgiving.holiday == "Thanksgiving Day"
    assert thanksgiving.sentence() == (
        "We are closed today for Thanksgiving Day. We open again "
        "Friday 27 November at 09:00 (America/New_York).")  # fmt: skip
    assert hours.closed_at(session=db_session, program_id=history.id,
                           at=datetime(2026, 11, 25, 15, tzinfo=UTC)) is None  # fmt: skip
    evening = hours.closed_at(session=db_session, program_id=history.id,
                              at=datetime(2026, 11, 25, 23, tzinfo=UTC))  # fmt: skip
    # the next day is Thanksgiving, so it opens on the Friday, 09:00 in New York
    assert evening.holiday == "" and evening.opens_at == datetime(2026, 11, 27, 14, tzinfo=UTC)
