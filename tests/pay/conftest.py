"""Pay tests: a real engine on a fresh committed database with a manual clock, the pay ledger
projected through the root's wiring (as in every process)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from crowdline import wiring
from dispatcher import commands
from dispatcher.core.clock import ManualClock
from dispatcher.core.codec import encode
from dispatcher.core.model import Queue
from dispatcher.engine import RoutingEngine
from dispatcher.lease import lease_for
from pay.models import PayEntry
from tests import databases
from tests.factories import make_program, make_user

START = 1_764_748_800.0  # 2025-12-03 08:00 UTC


@pytest.fixture
def fresh_db(tmp_path):
    with databases.fresh_database(tmp_path) as database:
        yield database


class Floor:
    """A program, a queue and roster agents driven through the engine by commands."""

    def __init__(self, db, sessions, *, wrapup=30.0, program_rate="0.20", rates=("0.25",)):
        self.db, self.sessions = db, sessions
        self.clock = ManualClock(START)
        self.leases = []
        with sessions.begin() as session:
            program = make_program(session, code="acme", name="Acme claims")
            program.pay_rate_per_minute = Decimal(program_rate)
            self.agents = []
            for rate in rates:
                user = make_user(session, "agent")
                user.agent.pay_rate_per_minute = Decimal(rate)
                user.agent.programs = [program]
                session.flush()
                self.agents.append(str(user.agent.id))
        self.engine = self.start_engine()
        queue = Queue("claims", program="acme", reservation_timeout=30.0, wrapup_seconds=wrapup)
        self.submit(("configure_queue", {"queue": encode(queue)}))
        for agent in self.agents:
            self.submit(("register_agent", {"agent_id": agent, "queues": {"claims": 1}}))

    def start_engine(self) -> RoutingEngine:
        lease = lease_for(self.db)
        assert lease.try_acquire()
        self.leases.append(lease)
        return RoutingEngine(self.db, clock=self.clock, lease=lease, seed=1,
                             projections=wiring.domain_projections())  # fmt: skip

    def crash(self) -> None:
        """The engine process dies: its lease goes, a new engine rebuilds from the database."""
        self.leases[-1].release()
        self.engine = self.start_engine()
        self.engine.rebuild()

    def submit(self, *items):
        with self.sessions.begin() as session:
            for kind, payload in items:
                commands.submit(session, kind, payload, now=self.clock.now())
        return self.engine.step()

    def status(self, agent, status):
        return self.submit(("set_status", {"agent_id": agent, "status": status}))

    def call(self, task_id):
        self.submit(("enqueue", {"task_id": task_id, "queue_id": "claims"}))
        return self.engine.router.tasks[task_id]

    def accept(self, task_id):
        task = self.engine.router.tasks[task_id]
        return self.submit(("accept", {"reservation_id": task.reservation_id,
                                       "agent_id": task.agent_id}))  # fmt: skip

    def entries(self):
        with self.sessions() as session:
            return list(session.scalars(select(PayEntry).order_by(PayEntry.id)))

    def close(self):
        for lease in self.leases:
            lease.release()


@pytest.fixture
def floor_factory(fresh_db):
    made = []

    def make(**options):
        floor = Floor(*fresh_db, **options)
        made.append(floor)
        return floor

    yield make
    for floor in made:
        floor.close()
