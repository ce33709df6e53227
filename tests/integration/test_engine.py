"""The engine loop on a real database: inbox → decision → commit → publish, restart, fencing."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select, update

from dispatcher import commands
from dispatcher.core.clock import ManualClock
from dispatcher.core.codec import encode
from dispatcher.core.model import Queue
from dispatcher.engine import LeaseLost, RoutingEngine, WallClock
from dispatcher.lease import lease_for
from dispatcher.sql_store import SqlStore
from dispatcher.tables import RoutingCommand, RoutingEvent, RoutingLease
from dispatcher.wakeup import Waiter
from tests.waiting import PATIENCE

SKILLS = {"skills": [{"code": "acme", "proficiency": 3}], "languages": ["en"]}


def _submit(sessions, clock, *items):
    ids = []
    with sessions.begin() as session:
        for kind, payload in items:
            ids.append(commands.submit(session, kind, payload, now=clock.now()))
    return ids


_leases = []


@pytest.fixture(autouse=True)
def _release_leases():
    yield
    while _leases:
        _leases.pop().release()


def _engine(db, clock, published=None, lease=None):
    lease = lease or lease_for(db)
    assert lease.try_acquire()
    _leases.append(lease)
    return RoutingEngine(
        db,
        clock=clock,
        lease=lease,
        publish=(published.append if published is not None else lambda e: None),
        seed=1,
    )


def _setup(sessions, clock, agents=("ann",), timeout=10.0):
    queue = Queue("claims", program="acme", reservation_timeout=timeout)
    items = [("configure_queue", {"queue": encode(queue)})]
    for agent in agents:
        items += [
            ("register_agent", {"agent_id": agent, "queues": {"claims": 1}}),
            ("set_skills", {"agent_id": agent, **SKILLS}),
            ("set_status", {"agent_id": agent, "status": "available"}),
        ]
    return _submit(sessions, clock, *items)


def test_events_are_committed_before_they_are_published(fresh_db):
    db, sessions = fresh_db
    clock = ManualClock(1_000.0)
    seen_in_database = []

    def publish(events):
        # Another connection must already see every published event (invariant 5).
        with db.connect() as other:
            count = other.scalar(select(func.count()).select_from(RoutingEvent))
        seen_in_database.append((len(events), count))

    engine = _engine(db, clock)
    engine.publish = publish
    _setup(sessions, clock)
    (enqueue,) = _submit(sessions, clock, ("enqueue", {"task_id": "call-1", "queue_id": "claims"}))
    engine.step()
    with sessions() as session:
        assert commands.outcome(session, enqueue) == (True, None)
    total = sum(n for n, _ in seen_in_database)
    assert seen_in_database and seen_in_database[-1][1] == total
    with db.connect() as connection:
        task = SqlStore(connection).get_task("call-1")
    assert task.state.value == "reserved" and task.agent_id == "ann"


def test_a_refused_command_records_why_and_changes_nothing(fresh_db):
    db, sessions = fresh_db
    clock = ManualClock(0.0)
    engine = _engine(db, clock)
    _setup(sessions, clock, agents=("ann", "bob"))
    _submit(sessions, clock, ("enqueue", {"task_id": "t1", "queue_id": "claims"}))
    engine.step()
    reservation = engine.router.tasks["t1"].reservation_id
    holder = engine.router.tasks["t1"].agent_id
    other = "bob" if holder == "ann" else "ann"
    bad = _submit(
        sessions,
        clock,
        ("accept", {"reservation_id": reservation, "agent_id": other}),
        ("complete", {"task_id": "nope"}),
        ("set_status", {"agent_id": "ann", "status": "dancing"}),
        ("accept", {"reservation_id": reservation}),
    )
    events = engine.step()
    assert events == []
    with sessions() as session:
        errors = [commands.outcome(session, i) for i in bad]
    assert all(done for done, _ in errors)
    assert f"was offered to {holder!r}" in errors[0][1]
    assert "unknown task 'nope'" in errors[1][1]
    assert "status" in errors[2][1]
    assert "bad arguments for accept" in errors[3][1]
    with db.connect() as connection:
        assert SqlStore(connection).get_task("t1").state.value == "reserved"


def test_restart_expires_offers_that_passed_their_deadline_and_reroutes_them(fresh_db):
    db, sessions = fresh_db
    clock = ManualClock(0.0)
    first = _engine(db, clock)
    _setup(sessions, clock, agents=("ann", "bob"), timeout=10.0)
    _submit(
        sessions,
        clock,
        *[("enqueue", {"task_id": f"t{i}", "queue_id": "claims"}) for i in range(3)],
    )
    first.step()
    offered = {t: first.router.tasks[t].agent_id for t in ("t0", "t1")}
    assert set(offered.values()) == {"ann", "bob"}
    first.lease.release()  # the process dies with two offers out and one task waiting
    clock.advance(30)
    published = []
    second = _engine(db, clock, published)
    second.rebuild()
    names = [type(e).__name__ for e in published[0]]
    assert names.count("ReservationTimedOut") == 2
    router = second.router
    assert {t.task_id for t in router.tasks.values()} == {"t0", "t1", "t2"}
    # Each agent missed one offer; the oldest tasks are offered again to the agents.
    assert sorted(t.state.value for t in router.tasks.values()) == [
        "pending",
        "reserved",
        "reserved",
    ]
    with db.connect() as connection:
        positions = connection.scalars(
            select(RoutingEvent.position).order_by(RoutingEvent.position)
        ).all()
    assert positions == list(range(1, len(positions) + 1))


def test_an_engine_that_lost_the_lease_commits_nothing(fresh_db):
    db, sessions = fresh_db
    clock = ManualClock(0.0)
    engine = _engine(db, clock)
    _setup(sessions, clock)
    engine.step()
    with db.begin() as connection:  # a newer engine took the lease elsewhere
        connection.execute(update(RoutingLease).values(epoch=RoutingLease.epoch + 1))
    (late,) = _submit(sessions, clock, ("enqueue", {"task_id": "late", "queue_id": "claims"}))
    with pytest.raises(LeaseLost):
        engine.step()
    with sessions() as session:
        assert commands.outcome(session, late) == (False, None)
        assert (
            session.scalar(select(RoutingCommand.done_at).where(RoutingCommand.id == late)) is None
        )


def test_serving_engine_wakes_on_a_new_command(fresh_db):
    db, sessions = fresh_db
    clock = WallClock()
    engine = _engine(db, clock)
    stop = threading.Event()
    waiter = Waiter(db)
    thread = threading.Thread(
        target=engine.serve, args=(stop, waiter), kwargs={"poll": 3600.0}, daemon=True
    )
    thread.start()
    try:
        ids = _setup(sessions, clock)
        assert commands.wait_for(sessions, ids[-1], timeout=PATIENCE) == (True, None)
        (enqueue,) = _submit(sessions, clock, ("enqueue", {"task_id": "w1", "queue_id": "claims"}))
        # The poll interval is an hour: any answer at all proves the wake-up signal works.
        assert commands.wait_for(sessions, enqueue, timeout=PATIENCE) == (True, None)
    finally:
        stop.set()
        commands_id = _submit(sessions, clock, ("set_score", {"agent_id": "ann", "score": 1}))
        thread.join(timeout=PATIENCE)
        waiter.close()
    assert not thread.is_alive()
    assert commands_id


def test_a_task_id_is_never_reused_even_after_a_restart(fresh_db):
    db, sessions = fresh_db
    clock = ManualClock(0.0)
    first = _engine(db, clock)
    _setup(sessions, clock)
    _submit(
        sessions,
        clock,
        ("enqueue", {"task_id": "CA123", "queue_id": "claims"}),
        ("cancel", {"task_id": "CA123"}),
    )
    first.step()
    first.lease.release()
    second = _engine(db, clock)
    second.rebuild()
    (again,) = _submit(sessions, clock, ("enqueue", {"task_id": "CA123", "queue_id": "claims"}))
    second.step()
    with sessions() as session:
        done, error = commands.outcome(session, again)
    assert done and "already exists" in error
    with db.connect() as connection:
        assert SqlStore(connection).get_task("CA123").state.value == "canceled"


def test_statistics_and_live_view_are_read_back_from_the_database(fresh_db):
    from dispatcher.statistics import live_view, statistics_between

    db, sessions = fresh_db
    clock = ManualClock(1_800.0)
    engine = _engine(db, clock)
    _setup(sessions, clock)
    _submit(
        sessions,
        clock,
        ("enqueue", {"task_id": "a", "queue_id": "claims"}),
        ("enqueue", {"task_id": "b", "queue_id": "claims"}),
    )
    engine.step()
    clock.advance(4)
    _submit(sessions, clock, ("accept", {"reservation_id": "a#1", "agent_id": "ann"}))
    engine.step()
    clock.advance(60)
    with db.connect() as connection:
        view = live_view(connection, clock.now())["claims"]
        assert (view.waiting, view.longest_wait) == (1, 64.0)
        assert view.agents_by_state == {"busy": 1} and (view.eligible, view.available) == (1, 0)
    _submit(sessions, clock, ("complete", {"task_id": "a"}), ("abandon", {"task_id": "b"}))
    engine.step()
    with db.connect() as connection:
        stats = statistics_between(connection, 1_800.0, 2_700.0)
    claims = stats.queues[("claims", 1_800.0)]
    assert (claims.offered, claims.answered, claims.abandoned) == (2, 1, 1)
    assert claims.asa == 4.0 and claims.aht == 60.0
    assert stats.agents[1_800.0].working == 64.0
    # A later window starts with ann still signed in, from the changes before it.
    with db.connect() as connection:
        later = statistics_between(connection, 2_700.0, 3_600.0)
    assert later.agents[2_700.0].signed_in == 900.0


def test_a_decision_the_database_refuses_does_not_block_later_commands(fresh_db, monkeypatch):
    from sqlalchemy.exc import DataError

    db, sessions = fresh_db
    clock = ManualClock(0.0)
    engine = _engine(db, clock)
    _setup(sessions, clock)
    original = SqlStore.save_task

    def refusing(self, task):
        if task.task_id == "poison":
            raise DataError("INSERT …", {}, Exception("value too long for the column"))
        return original(self, task)

    monkeypatch.setattr(SqlStore, "save_task", refusing)
    poison, good = _submit(
        sessions,
        clock,
        ("enqueue", {"task_id": "poison", "queue_id": "claims"}),
        ("enqueue", {"task_id": "good", "queue_id": "claims"}),
    )
    engine.step()
    engine.step()  # rebuilt from the database, then carries on with the queue of commands
    with sessions() as session:
        assert commands.outcome(session, poison)[1].startswith("refused")
        assert commands.outcome(session, good) == (True, None)
    with db.connect() as connection:
        assert SqlStore(connection).get_task("poison") is None
        assert SqlStore(connection).get_task("good").agent_id == "ann"
