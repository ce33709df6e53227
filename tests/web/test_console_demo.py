"""`crowdline demo`'s seed: certified, active bot agents eligible for the demo program's queues,
the person's two logins, nothing created twice when the demo starts again, and the demo coming
alive: with the engine running, the bots sign in and take a chat."""

from __future__ import annotations

import time
from random import Random

from sqlalchemy import func, select

from agents.models import Agent, Stage, User
from channels import dispositions
from channels.models import Contact, EntryPoint
from channels.simulated import SimulatedCarrier
from crowdline import demo, demo_roi, wiring
from database.base import utcnow
from dispatcher import commands
from dispatcher.runner import EngineRunner
from dispatcher.tables import RoutingAgent, RoutingCommand, RoutingTask
from tests import databases
from tests.waiting import wait_until
from tests.web_client import login
from training import certification


def test_demo_seeds_certified_bots_queues_entry_points_and_the_persons_logins(app, db_session):
    phones = demo.seed(session=db_session, bots=3, password="demo-pass-123")
    db_session.commit()

    assert sorted(phones.values()) == [demo.bot_phone(n) for n in (1, 2, 3)]
    for agent_id in phones:
        agent = db_session.get(Agent, int(agent_id))
        assert agent.stage is Stage.ACTIVE
        program_id = agent.programs[0].id
        assert certification.holds_program(
            session=db_session, agent_id=agent.id, program_id=program_id, at=utcnow()
        )
    addresses = set(db_session.scalars(select(EntryPoint.address)))
    assert addresses == {demo.NUMBER, demo.WIDGET}
    kinds = db_session.scalars(select(RoutingCommand.kind)).all()
    assert kinds.count("configure_queue") == 2
    for email in (demo.PERSON_AGENT, demo.PERSON_SUPERVISOR):
        assert login(app.test_client(), email, "demo-pass-123").status_code == 302
    bot = f"bot01@{demo.BOT_DOMAIN}"
    assert login(app.test_client(), bot, "demo-pass-123").status_code != 302  # no usable login


def test_seeding_the_demo_again_creates_nobody_new_and_resets_the_persons_password(app, db_session):
    first = demo.seed(session=db_session, bots=2, password="demo-pass-123")
    users = db_session.scalar(select(func.count()).select_from(User))
    again = demo.seed(session=db_session, bots=2, password="other-pass-456")
    db_session.commit()
    assert again == first
    assert db_session.scalar(select(func.count()).select_from(User)) == users
    assert login(app.test_client(), demo.PERSON_AGENT, "other-pass-456").status_code == 302


def test_the_demo_comes_alive_bots_sign_in_and_a_bot_accepts_a_chat(tmp_path):
    with databases.fresh_database(tmp_path) as (engine, sessions):
        with sessions.begin() as session:
            phones = demo.seed(session=session, bots=3, password="demo-pass-123")
        carrier = SimulatedCarrier(base_url="http://localhost", auth_token="demo-token")
        runner = EngineRunner(engine, poll=0.05, projections=wiring.domain_projections())
        robots = demo.Bots(sessions, carrier, phones, seed=1)
        runner.bus.subscribe(robots)
        runner.start()
        robots.start()
        try:
            with sessions.begin() as session:
                payload = {"task_id": "chat-1", "queue_id": "web", "channel": "chat"}
                commands.submit(session, "enqueue", payload, now=time.time())
            wait_until(lambda: _in(sessions, lambda s: _available_bots(s) == set(phones)),
                       message="every bot available")  # fmt: skip
            wait_until(lambda: _in(sessions, lambda s: _state(s, "chat-1") == "assigned"),
                       message="a bot to take the chat")  # fmt: skip
            with sessions() as session:
                assert session.get(RoutingTask, "chat-1").agent_id in phones
        finally:
            robots.stop()
            runner.stop()
            carrier.close()


def _state(session, task_id: str) -> str | None:
    """The task's state, None until the engine has created it (bots may sign in first)."""
    task = session.get(RoutingTask, task_id)
    return task.state if task is not None else None


def _available_bots(session) -> set[str]:
    rows = session.scalars(select(RoutingAgent).where(RoutingAgent.status == "available"))
    return {row.agent_id for row in rows}


def _in(sessions, check):
    """`check(session)` on a fresh session (bots answer after 2-8 s: the caller waits)."""
    with sessions() as session:
        return check(session)


def test_the_demo_marks_a_claim_filed_as_a_conversion_and_bots_give_each_contact_a_code(
        app, db_session):  # fmt: skip
    demo.seed(session=db_session, bots=1, password="demo-pass-123")
    codes, default = dispositions.list_codes(session=db_session, queue_id="claims")
    assert not default and [c["code"] for c in codes if c["conversion"]] == ["claim_filed"]
    rng = Random(5)
    for n in range(40):
        db_session.add(Contact(task_id=f"c{n}", channel="voice", queue_id="claims"))
    db_session.flush()
    for n in range(40):
        demo_roi.dispose(db_session, f"c{n}", rng)
    given = [db_session.get(Contact, f"c{n}").disposition for n in range(40)]
    assert set(given) <= {c["code"] for c in codes} and "claim_filed" in given
    assert given.count("claim_filed") < 40
    demo_roi.dispose(db_session, "c0", Random(99))  # a contact's code is given once
    assert db_session.get(Contact, "c0").disposition == given[0]
