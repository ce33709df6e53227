"""The pay ledger, written by the engine in the transaction that ends each talk."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from agents.models import Program
from database.clock import utc
from pay.models import PayEntry
from pay.verify import verify
from tests.pay.conftest import START
from workforce.models import Block, BlockStatus, Commitment, CommitmentState


def _verify(floor):
    with floor.db.connect() as connection:
        return verify(connection, START - 86400, floor.clock.now() + 86400)


def test_a_talk_pays_its_seconds_at_the_agents_rate_rounded_half_up_to_the_cent(floor_factory):
    floor = floor_factory(rates=("0.25",))
    (ann,) = floor.agents
    floor.status(ann, "available")
    floor.call("c1")
    floor.clock.advance(5)  # ringing is not talk
    floor.accept("c1")
    floor.clock.advance(90)
    floor.submit(("wrap_up", {"task_id": "c1"}))
    floor.clock.advance(20)  # nor is wrap-up
    floor.submit(("complete", {"task_id": "c1"}))
    (entry,) = floor.entries()
    assert (entry.kind, entry.agent_id, entry.task_id, entry.program) == ("talk", ann, "c1", "acme")
    assert entry.talk_seconds == Decimal("90.000")
    assert entry.rate_per_minute == Decimal("0.2500")
    assert entry.end_event == "TaskWrapping"
    assert entry.amount == Decimal("0.38")  # 90 s × 0.25 / 60 = 0.375 → 0.38
    assert entry.bonus_amount == Decimal("0.00")
    assert _verify(floor).differences == []


def test_an_agent_without_a_rate_of_their_own_is_paid_the_programs(floor_factory):
    floor = floor_factory(rates=("0",), program_rate="0.30")
    (ann,) = floor.agents
    floor.status(ann, "available")
    floor.call("c1")
    floor.accept("c1")
    floor.clock.advance(61)
    floor.submit(("wrap_up", {"task_id": "c1"}))
    (entry,) = floor.entries()
    assert entry.rate_per_minute == Decimal("0.3000") and entry.amount == Decimal("0.31")


def test_idle_and_break_time_never_pays(floor_factory):
    floor = floor_factory()
    (ann,) = floor.agents
    floor.status(ann, "available")
    floor.clock.advance(3 * 3600)  # idle, waiting for work
    floor.engine.step()
    floor.status(ann, "break")
    floor.clock.advance(10 * 3600)  # a long break on the manual clock
    floor.engine.step()
    floor.status(ann, "offline")
    assert floor.entries() == []
    report = _verify(floor)
    assert (report.talks, report.entries, report.differences) == (0, 0, [])


def test_a_transfer_splits_the_talk_between_the_two_agents(floor_factory):
    floor = floor_factory(rates=("0.25", "0.50"))
    ann, bob = floor.agents
    floor.status(ann, "available")
    floor.call("c1")
    floor.accept("c1")
    floor.status(bob, "available")
    floor.clock.advance(30)
    floor.submit(("transfer", {"task_id": "c1", "agent_id": bob}))
    floor.clock.advance(4)
    floor.accept("c1")
    floor.clock.advance(45)
    floor.submit(("wrap_up", {"task_id": "c1"}))
    first, second = floor.entries()
    assert (first.agent_id, first.talk_seconds, first.end_event) == (ann, 30, "TaskTransferred")
    assert (second.agent_id, second.talk_seconds, second.end_event) == (bob, 45, "TaskWrapping")
    assert (first.amount, second.amount) == (Decimal("0.13"), Decimal("0.38"))
    assert _verify(floor).differences == []


def test_a_chat_taken_back_when_the_console_is_lost_pays_up_to_that_instant(floor_factory):
    floor = floor_factory()
    (ann,) = floor.agents
    floor.status(ann, "available")
    floor.call("c1")
    floor.accept("c1")
    floor.clock.advance(12.5)
    floor.submit(("transfer", {"task_id": "c1", "reason": "console_lost"}))
    floor.status(ann, "offline")
    floor.clock.advance(600)  # back in the queue: nobody's talk grows
    floor.engine.step()
    (entry,) = floor.entries()
    assert entry.talk_seconds == Decimal("12.500") and entry.end_event == "TaskTransferred"


def test_requeued_and_canceled_offers_pay_nothing(floor_factory):
    floor = floor_factory(rates=("0.25", "0.25"))
    ann, bob = floor.agents
    floor.status(ann, "available")
    task = floor.call("c1")
    floor.clock.advance(3)
    floor.submit(("reject", {"reservation_id": task.reservation_id, "agent_id": ann}))
    floor.call("c2")
    floor.clock.advance(40)  # the offer times out and goes back to the queue
    floor.engine.step()
    floor.submit(("cancel", {"task_id": "c1", "reason": "abandoned"}))
    assert floor.entries() == []


def test_a_completion_straight_from_the_conversation_ends_the_talk(floor_factory):
    floor = floor_factory(wrapup=0.0)
    (ann,) = floor.agents
    floor.status(ann, "available")
    floor.call("c1")
    floor.accept("c1")
    floor.clock.advance(42)
    floor.submit(("wrap_up", {"task_id": "c1"}))  # no wrap-up time: completed at once
    (entry,) = floor.entries()
    assert entry.talk_seconds == 42 and entry.end_event == "TaskCompleted"


def test_an_engine_restart_mid_talk_writes_the_entry_once_with_the_whole_talk(floor_factory):
    floor = floor_factory()
    (ann,) = floor.agents
    floor.status(ann, "available")
    floor.call("c1")
    floor.accept("c1")
    floor.clock.advance(20)
    floor.crash()  # the engine dies mid-talk; a new one rebuilds from the database
    floor.clock.advance(40)
    floor.submit(("wrap_up", {"task_id": "c1"}))
    floor.crash()  # and again during the wrap-up, whose timer completes the task
    floor.clock.advance(60)
    floor.engine.step()
    (entry,) = floor.entries()
    assert entry.talk_seconds == 60
    assert _verify(floor).differences == []


def test_a_step_that_fails_after_writing_the_entry_leaves_neither_event_nor_entry(floor_factory):
    floor = floor_factory()
    (ann,) = floor.agents
    floor.status(ann, "available")
    floor.call("c1")
    floor.accept("c1")
    floor.clock.advance(30)

    def crash_after_the_ledger(connection, events):
        raise RuntimeError("the process died inside the step")

    floor.engine.projections += (crash_after_the_ledger,)
    with pytest.raises(RuntimeError):
        floor.submit(("wrap_up", {"task_id": "c1"}))
    assert floor.entries() == []
    floor.engine.projections = floor.engine.projections[:-1]
    floor.engine.step()  # rebuilt from the database: the command is decided again
    (entry,) = floor.entries()
    assert entry.talk_seconds == 30


def test_verify_finds_a_corrupted_entry_and_a_missing_one(floor_factory):
    floor = floor_factory()
    (ann,) = floor.agents
    floor.status(ann, "available")
    for n in range(3):
        floor.call(f"c{n}")
        floor.accept(f"c{n}")
        floor.clock.advance(30 + n)
        floor.submit(("complete", {"task_id": f"c{n}"}))
    assert _verify(floor).differences == []
    first, second, _third = floor.entries()
    with floor.db.begin() as connection:
        connection.execute(update(PayEntry).where(PayEntry.id == first.id)
                           .values(amount=first.amount + Decimal("0.01")))  # fmt: skip
        connection.execute(PayEntry.__table__.delete().where(PayEntry.id == second.id))
    differences = _verify(floor).differences
    assert len(differences) == 2
    assert any(f"entry {first.id}" in d and "amount" in d for d in differences)
    assert any("missing entry: task c1" in d for d in differences)


def test_a_talk_on_a_booked_hot_block_earns_its_bonus_per_minute(floor_factory):
    floor = floor_factory(rates=("0.25",))
    (ann,) = floor.agents
    starts = utc(floor.clock.now() - 600)
    with floor.sessions.begin() as session:
        program = session.scalar(select(Program).where(Program.code == "acme"))
        block = Block(program_id=program.id, queue_id="claims", starts_at=starts,
                      ends_at=starts + timedelta(minutes=30), needed=2, booked=1,
                      bonus_per_minute=Decimal("0.10"), status=BlockStatus.PUBLISHED)  # fmt: skip
        session.add(block)
        session.flush()
        session.add(Commitment(block_id=block.id, agent_id=int(ann),
                               state=CommitmentState.BOOKED))  # fmt: skip
    floor.status(ann, "available")
    floor.call("c1")
    floor.accept("c1")
    floor.clock.advance(90)
    floor.submit(("wrap_up", {"task_id": "c1"}))
    # The block ended 20 minutes later: a talk started after it earns no bonus.
    floor.clock.advance(60 * 30)
    floor.submit(("complete", {"task_id": "c1"}))
    floor.call("c2")
    floor.accept("c2")
    floor.clock.advance(90)
    floor.submit(("wrap_up", {"task_id": "c2"}))
    on_block, off_block = floor.entries()
    assert on_block.bonus_per_minute == Decimal("0.1000")
    assert on_block.bonus_amount == Decimal("0.15")
    assert on_block.amount == Decimal("0.53")  # 0.38 + 0.15
    assert (off_block.bonus_amount, off_block.amount) == (Decimal("0.00"), Decimal("0.38"))
    assert _verify(floor).differences == []
