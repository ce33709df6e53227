"""Committing to blocks: certification, past/closed/full, waitlist order, free and late release."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from tests.factories import make_user
from tests.workforce.helpers import NOW, certified_agent, published_block
from workforce import blocks, bookings, standing
from workforce.errors import Conflict, InvalidValue, NotCertified, NotFound
from workforce.models import BlockStatus, Commitment, CommitmentState


def commit(session, agent, block, *, at=NOW, waitlist=False):
    return bookings.commit(session=session, agent_id=agent.id, block_id=block.id, now=at,
                           waitlist=waitlist)  # fmt: skip


def test_commit_takes_a_seat_and_counts_it(db_session, program, ann):
    block = published_block(db_session, program, needed=2)
    commitment = commit(db_session, ann, block)
    assert commitment.state is CommitmentState.BOOKED
    assert commitment.committed_at == NOW
    assert block.booked == 1


def test_an_agent_not_certified_for_the_program_is_refused(db_session, program, course):
    stranger = make_user(db_session, "agent").agent
    block = published_block(db_session, program)
    with pytest.raises(NotCertified, match="not certified for the"):
        commit(db_session, stranger, block)
    assert block.booked == 0
    assert db_session.query(Commitment).count() == 0


def test_past_draft_and_closed_blocks_are_refused_with_the_reason(db_session, program, ann):
    started = published_block(db_session, program, hours_ahead=2)
    with pytest.raises(Conflict, match="past"):
        commit(db_session, ann, started, at=started.starts_at + timedelta(minutes=1))
    draft = blocks.put_block(session=db_session, program_id=program.id, queue_id="claims",
                             starts_at=NOW + timedelta(hours=5), needed=3)  # fmt: skip
    with pytest.raises(Conflict, match="draft"):
        commit(db_session, ann, draft)
    closed = published_block(db_session, program, hours_ahead=6)
    blocks.close(session=db_session, block_id=closed.id)
    with pytest.raises(Conflict, match="closed"):
        commit(db_session, ann, closed)
    assert db_session.query(Commitment).count() == 0


def test_a_full_block_refuses_or_waitlists_and_a_release_promotes_in_order(
    db_session, program, course, ann, bob
):
    cleo = certified_agent(db_session, program, course)
    block = published_block(db_session, program, needed=1)
    commit(db_session, ann, block)
    with pytest.raises(Conflict, match="full"):
        commit(db_session, bob, block)
    second = commit(db_session, bob, block, at=NOW + timedelta(minutes=1), waitlist=True)
    third = commit(db_session, cleo, block, at=NOW + timedelta(minutes=2), waitlist=True)
    assert (second.state, third.state) == (CommitmentState.WAITLISTED,) * 2
    bookings.uncommit(session=db_session, agent_id=ann.id, block_id=block.id,
                      now=NOW + timedelta(minutes=3))  # fmt: skip
    assert second.state is CommitmentState.BOOKED
    assert third.state is CommitmentState.WAITLISTED
    assert block.booked == 1


def test_raising_needed_promotes_the_waitlist(db_session, program, ann, bob):
    block = published_block(db_session, program, needed=1)
    commit(db_session, ann, block)
    waiting = commit(db_session, bob, block, waitlist=True)
    blocks.set_needed(session=db_session, block_id=block.id, needed=2, now=NOW)
    assert waiting.state is CommitmentState.BOOKED and block.booked == 2
    with pytest.raises(Conflict, match="booked"):
        blocks.set_needed(session=db_session, block_id=block.id, needed=1, now=NOW)


def test_release_is_free_within_five_minutes_of_committing_even_near_the_block(
    db_session, program, ann
):
    block = published_block(db_session, program, hours_ahead=1)  # inside the 2 h cut-off
    commit(db_session, ann, block)
    released = bookings.uncommit(session=db_session, agent_id=ann.id, block_id=block.id,
                                 now=NOW + timedelta(minutes=5))  # fmt: skip
    assert released.state is CommitmentState.RELEASED and released.late is False
    assert block.booked == 0


def test_release_after_the_cut_off_counts_as_late(db_session, program, ann):
    block = published_block(db_session, program, hours_ahead=3)
    commit(db_session, ann, block)
    late = bookings.uncommit(session=db_session, agent_id=ann.id, block_id=block.id,
                             now=NOW + timedelta(hours=1, minutes=30))  # fmt: skip
    assert late.late is True


def test_release_before_the_cut_off_is_free(db_session, program, ann):
    block = published_block(db_session, program, hours_ahead=3)
    commit(db_session, ann, block)
    free = bookings.uncommit(session=db_session, agent_id=ann.id, block_id=block.id,
                             now=NOW + timedelta(minutes=50))  # fmt: skip
    assert free.late is False


def test_a_started_block_cannot_be_released_and_a_second_release_finds_nothing(
    db_session, program, ann
):
    block = published_block(db_session, program, hours_ahead=3)
    commit(db_session, ann, block)
    with pytest.raises(Conflict, match="started"):
        bookings.uncommit(session=db_session, agent_id=ann.id, block_id=block.id,
                          now=block.starts_at)  # fmt: skip
    bookings.uncommit(session=db_session, agent_id=ann.id, block_id=block.id, now=NOW)
    with pytest.raises(NotFound):
        bookings.uncommit(session=db_session, agent_id=ann.id, block_id=block.id, now=NOW)


def test_a_released_seat_can_be_booked_again(db_session, program, ann):
    block = published_block(db_session, program)
    commit(db_session, ann, block)
    bookings.uncommit(session=db_session, agent_id=ann.id, block_id=block.id, now=NOW)
    again = commit(db_session, ann, block, at=NOW + timedelta(minutes=10))
    assert again.state is CommitmentState.BOOKED and again.late is False and block.booked == 1


def test_two_blocks_at_the_same_time_cannot_both_be_held(db_session, program, ann):
    claims = published_block(db_session, program, queue_id="claims")
    web = published_block(db_session, program, queue_id="web")
    commit(db_session, ann, claims)
    with pytest.raises(Conflict, match="at that time"):
        commit(db_session, ann, web)


def test_blocks_open_to_a_tier_at_its_booking_window(db_session, program, ann):
    far = published_block(db_session, program, hours_ahead=24 * 10)
    with pytest.raises(Conflict, match="opens to the new tier"):
        commit(db_session, ann, far)
    assert blocks.blocks_for_agent(session=db_session, agent_id=ann.id, now=NOW,
                                   monday=far.starts_at - timedelta(days=far.starts_at.weekday()),
                                   program_ids=[program.id]) == []  # fmt: skip
    standing.set_tier(db_session, ann.id, "elite", "top performance score")
    assert commit(db_session, ann, far).state is CommitmentState.BOOKED


def test_the_weekly_budget_of_the_tier_caps_holdings(db_session, program, ann):
    budget = standing.TIERS["new"].weekly_blocks
    monday = NOW - timedelta(days=NOW.weekday(), hours=NOW.hour)
    for n in range(budget + 1):
        block = blocks.put_block(session=db_session, program_id=program.id, queue_id="claims",
                                 starts_at=monday + timedelta(days=4, minutes=30 * n),
                                 needed=1)  # fmt: skip
        blocks.publish(session=db_session, blocks=[block], now=NOW)
        if n < budget:
            commit(db_session, ann, block)
    with pytest.raises(Conflict, match=f"weekly budget of {budget}"):
        commit(db_session, ann, block)


def test_set_tier_is_audited_and_refuses_unknown_tiers(db_session, ann):
    from agents.models import AuditEntry

    set_to = standing.set_tier(db_session, ann.id, "preferred", "score 91 this week")
    assert set_to.tier == "preferred" and set_to.tier_reason == "score 91 this week"
    entry = db_session.query(AuditEntry).filter_by(action="workforce.tier").one()
    assert entry.before == {"tier": "new"} and entry.after == {"tier": "preferred"}
    with pytest.raises(InvalidValue) as refused:
        standing.set_tier(db_session, ann.id, "platinum", "typo")
    assert refused.value.field == "tier"
    with pytest.raises(InvalidValue) as no_reason:
        standing.set_tier(db_session, ann.id, "elite", " ")
    assert no_reason.value.field == "reason"
    with pytest.raises(NotFound):
        standing.set_tier(db_session, 999_999, "elite", "no such agent")


def test_bonus_per_minute_is_paid_only_on_a_booked_hot_block(db_session, program, ann, bob):
    hot = published_block(db_session, program, hours_ahead=4, bonus="0.05")
    cold = published_block(db_session, program, hours_ahead=5)
    commit(db_session, ann, hot)
    commit(db_session, ann, cold)
    inside = hot.starts_at + timedelta(minutes=10)

    def bonus(agent, at, program_id=program.id):
        return bookings.bonus_per_minute(db_session, agent.id, program_id, at)

    assert bonus(ann, inside) == Decimal("0.0500")
    assert bonus(ann, hot.ends_at) == Decimal("0")  # the block is over at ends_at
    assert bonus(ann, cold.starts_at + timedelta(minutes=1)) == Decimal("0")
    assert bonus(bob, inside) == Decimal("0")  # not booked
    assert bonus(ann, inside, program_id=program.id + 1) == Decimal("0")
    bookings.uncommit(session=db_session, agent_id=ann.id, block_id=hot.id, now=NOW)
    assert bonus(ann, inside) == Decimal("0")


def test_bad_counts_and_bonuses_name_the_field(db_session, program):
    for needed in (-1, 1.5, "3", True):
        with pytest.raises(InvalidValue) as bad:
            blocks.put_block(session=db_session, program_id=program.id, queue_id="claims",
                             starts_at=NOW, needed=needed)  # fmt: skip
        assert bad.value.field == "needed"
    for bonus in ("-1", "abc", "NaN", 1000):
        with pytest.raises(InvalidValue) as bad:
            blocks.put_block(session=db_session, program_id=program.id, queue_id="claims",
                             starts_at=NOW, needed=1, bonus_per_minute=bonus)  # fmt: skip
        assert bad.value.field == "bonus_per_minute"
    with pytest.raises(InvalidValue) as bad:
        blocks.put_block(session=db_session, program_id=program.id, queue_id="claims",
                         starts_at=NOW + timedelta(minutes=10), needed=1)  # fmt: skip
    assert bad.value.field == "starts_at"
    assert blocks.list_blocks(session=db_session, monday=NOW - timedelta(days=7 + 3)) == []
    assert BlockStatus.DRAFT.value == "draft"
