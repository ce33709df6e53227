"""Certifications gate routing through the engine: passing the course makes an agent eligible
for the program's queue; a revocation takes them out at once (invariant 4)."""

from __future__ import annotations

from agents.models import Stage
from agents.roster import change_stage
from dispatcher import commands
from dispatcher.core.clock import ManualClock
from dispatcher.core.codec import encode
from dispatcher.core.model import Queue, Requirements
from dispatcher.engine import RoutingEngine
from dispatcher.lease import lease_for
from dispatcher.statistics import live_view
from tests.factories import make_program, make_user
from tests.training.helpers import DEMO_COURSE, Clock, pass_course
from training import certification
from training.importer import import_path


def _submit(sessions, clock, *items):
    with sessions.begin() as session:
        return [commands.submit(session, k, p, now=clock.now()) for k, p in items]


def test_certified_agent_gets_offers_until_the_certification_is_revoked(fresh_db):
    db, sessions = fresh_db
    training_clock = Clock()
    with sessions.begin() as session:
        make_program(session, code="acme-claims", name="Claims intake")
        (imported,) = import_path(session=session, path=DEMO_COURSE)
        supervisor = make_user(session, "supervisor")
        user = make_user(session, "agent")
        agent = user.agent
        agent.programs = [imported.course.program]
        agent.stage = Stage.TRAINING
        session.flush()
        pass_course(session, agent, imported.course, training_clock)
        change_stage(session=session, actor=supervisor, agent=agent, to_stage=Stage.ACTIVE)
        agent_id, supervisor_id = str(agent.id), supervisor.id
    clock = ManualClock(training_clock().timestamp())
    lease = lease_for(db)
    assert lease.try_acquire()
    try:
        engine = RoutingEngine(db, clock=clock, lease=lease, seed=1)
        queue = Queue(
            "claims", program="acme-claims", requirements=Requirements(frozenset({"acme-claims"}))
        )
        _submit(
            sessions,
            clock,
            ("configure_queue", {"queue": encode(queue)}),
            ("register_agent", {"agent_id": agent_id, "queues": {"claims": 1}}),
            ("set_status", {"agent_id": agent_id, "status": "available"}),
            ("enqueue", {"task_id": "first", "queue_id": "claims"}),
        )
        engine.step()
        assert engine.router.get_task("first").agent_id == agent_id
        with db.connect() as connection:
            assert live_view(connection, clock.now())["claims"].eligible == 1
        _submit(
            sessions,
            clock,
            ("accept", {"reservation_id": "first#1", "agent_id": agent_id}),
            ("complete", {"task_id": "first"}),
        )
        engine.step()

        with sessions.begin() as session:
            (cert,) = certification.list_certifications(session=session, agent_id=int(agent_id))
            supervisor = session.get(type(user), supervisor_id)
            certification.revoke(
                session=session,
                certification=cert,
                actor=supervisor,
                reason="failed a quality review",
                now=training_clock(),
            )
        clock.advance(1)
        _submit(sessions, clock, ("enqueue", {"task_id": "second", "queue_id": "claims"}))
        engine.step()
        second = engine.router.get_task("second")
        assert second.state.value == "pending" and second.agent_id is None
        with db.connect() as connection:
            assert live_view(connection, clock.now())["claims"].eligible == 0

        # After a restart the engine still reads the revocation from training, not a cache.
        lease.release()
        assert lease.try_acquire()
        restarted = RoutingEngine(db, clock=clock, lease=lease, seed=1)
        restarted.rebuild()
        assert restarted.router.get_task("second").state.value == "pending"
    finally:
        lease.release()
