"""Two agents racing for the last seat, each in its own thread, session and connection: exactly
one wins (PostgreSQL: the conditional UPDATE's row lock; SQLite: the writer turn)."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from tests.databases import fresh_database
from tests.factories import make_program
from tests.workforce.helpers import NOW, certified_agent, import_course, published_block
from workforce import bookings
from workforce.errors import Conflict
from workforce.models import Block, Commitment, CommitmentState

ROUNDS = 6


def _race(factory, agent_ids: list[int], block_id: int) -> dict[int, str]:
    barrier = threading.Barrier(len(agent_ids))
    outcomes: dict[int, str] = {}

    def book(agent_id: int) -> None:
        with factory() as session:
            if session.get_bind().dialect.name == "postgresql":
                session.get(Block, block_id)  # both transactions have read the block first
            # (SQLite: a transaction that may write begins by taking the writer turn, so the
            # two can only meet before it.)
            barrier.wait(timeout=60)
            try:
                bookings.commit(session=session, agent_id=agent_id, block_id=block_id, now=NOW)
                session.commit()
                outcomes[agent_id] = "booked"
            except Conflict as refused:
                session.rollback()
                outcomes[agent_id] = refused.message

    threads = [threading.Thread(target=book, args=(a,)) for a in agent_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def test_two_agents_racing_for_the_last_seat_exactly_one_wins(tmp_path):
    with fresh_database(tmp_path) as (_engine, factory):
        with factory() as session:
            program = make_program(session, code="acme-claims", name="Claims intake")
            course = import_course(session)
            agents = [certified_agent(session, program, course) for _ in range(3)]
            first, racers = agents[0], [a.id for a in agents[1:]]
            block_ids = []
            for n in range(ROUNDS):
                block = published_block(session, program, hours_ahead=24 + n, needed=2)
                bookings.commit(session=session, agent_id=first.id, block_id=block.id, now=NOW)
                block_ids.append(block.id)
            session.commit()
        for block_id in block_ids:
            outcomes = _race(factory, racers, block_id)
            assert sorted(outcomes.values())[0] == "booked", outcomes
            assert len(outcomes) == 2 and list(outcomes.values()).count("booked") == 1, outcomes
            loser = next(v for v in outcomes.values() if v != "booked")
            assert "full" in loser
        with factory() as session:
            for block_id in block_ids:
                block = session.get(Block, block_id)
                seats = session.scalar(select(func.count(Commitment.id)).where(
                    Commitment.block_id == block_id,
                    Commitment.state == CommitmentState.BOOKED))  # fmt: skip
                assert block.booked == seats == block.needed == 2
