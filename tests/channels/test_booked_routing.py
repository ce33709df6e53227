"""A commitment means something: an agent working a booked block of a queue is offered its calls
before an agent who is not booked, though the other has been idle longer (the schedule's job
beside the engine → `set_booked` → the pure core's ordering), end to end with the live engine."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from agents.models import Program
from channels.links import conference_name
from channels.models import Contact
from dispatcher.tables import RoutingAgent
from tests.channels.helpers import NUMBER
from tests.waiting import wait_until
from workforce import on_block
from workforce.models import Block, BlockStatus, Commitment, CommitmentState


def book_now(center, name: str) -> None:
    """`name` holds a seat on claims' block under way now."""
    now = datetime.now(UTC)
    starts = now.replace(minute=0 if now.minute < 30 else 30, second=0, microsecond=0)
    with center.sessions.begin() as session:
        program = session.scalar(select(Program).where(Program.code == "acme"))
        block = Block(program_id=program.id, queue_id="claims", starts_at=starts,
                      ends_at=starts + timedelta(minutes=30), needed=1, booked=1,
                      status=BlockStatus.PUBLISHED, published_at=now)  # fmt: skip
        session.add(block)
        session.flush()
        session.add(Commitment(block_id=block.id, agent_id=int(center.agents[name][0]),
                               state=CommitmentState.BOOKED, committed_at=now))  # fmt: skip


def engine_booking(center, name: str):
    with center.sessions() as session:
        row = session.get(RoutingAgent, center.agents[name][0])
        return row.data.get("booked") if row else None


def test_the_booked_agent_takes_the_call_though_another_idled_longer(center):
    center.available("ann")  # ann idles first: longest-idle alone would ring her
    wait_until(lambda: engine_booking(center, "ann") is not None)
    center.available("bob")
    book_now(center, "bob")
    job = on_block.OnBlockJob(sessions=center.sessions)
    assert job.run() == 1  # bob only: ann's booking (none) already matches
    wait_until(lambda: engine_booking(center, "bob") == ["claims"])
    assert job.run() == 0  # in step: nothing more to say
    call_sid = center.carrier.place_call(from_="+15557770123", to=NUMBER, digits="1")
    wait_until(lambda: center.carrier.bridged(conference_name(call_sid)))
    with center.sessions() as session:
        assert session.get(Contact, call_sid).agent_id == center.agents["bob"][0]
    center.carrier.hang_up_caller(call_sid)


def test_the_preference_ends_with_the_block(center):
    center.available("ann")
    center.available("bob")
    book_now(center, "bob")
    job = on_block.OnBlockJob(sessions=center.sessions)
    job.run()
    wait_until(lambda: engine_booking(center, "bob") == ["claims"])
    job.clock = lambda: datetime.now(UTC) + timedelta(minutes=31)  # after the block
    assert job.run() == 1
    wait_until(lambda: engine_booking(center, "bob") == [])
