"""`crowdline demo`'s seed: certified, active bot agents eligible for the demo program's queues,
the person's two logins, and nothing created twice when the demo starts again."""

from __future__ import annotations

from sqlalchemy import func, select

from agents.models import Agent, Stage, User
from channels.models import EntryPoint
from database.base import utcnow
from dispatcher.tables import RoutingCommand
from tests.conftest import login
from training import certification
from web import demo


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
