"""A course newly required by a live program: the import says how many active agents would
lose eligibility and needs an explicit confirmation (service, CLI, API, page), or takes effect
from a date so agents can certify first (training/skills.py stays the one rule)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from agents.models import Stage
from database.base import utcnow
from tests.factories import make_user
from training.impact import EligibilityLossUnconfirmed
from training.importer import import_text
from training.models import Course
from training.skills import skills_at

from .conftest import Clock, pass_course
from .test_course_files import GOOD

NEW_REQUIRED = GOOD  # program acme-claims, course "mini", required by default
NOT_REQUIRED = GOOD.replace("title: Mini course", "title: Mini course\nrequired: false")


@pytest.fixture
def live_program(db_session, program, course):
    """Three active agents certified in the demo course (they route), one still in training."""
    clock = Clock(utcnow() - timedelta(days=1))
    agents = []
    for n in range(4):
        agent = make_user(db_session, "agent").agent
        agent.programs = [program]
        pass_course(db_session, agent, course, clock)
        agent.stage = Stage.ACTIVE if n < 3 else Stage.TRAINING
        agents.append(agent)
    db_session.commit()
    return agents


def _routing(db_session, agents, at=None):
    at = at or utcnow()
    return [a.id for a in agents if skills_at(session=db_session, agent_id=a.id, at=at)]


def _courses(db_session) -> int:
    db_session.expire_all()
    return db_session.scalar(select(func.count(Course.id)))


def test_a_new_requirement_says_how_many_active_agents_lose_eligibility_and_needs_confirmation(
    db_session, live_program
):
    assert len(_routing(db_session, live_program)) == 3
    with pytest.raises(EligibilityLossUnconfirmed) as refused:
        import_text(session=db_session, text=NEW_REQUIRED, file="mini.yaml")
    db_session.rollback()
    assert refused.value.losing == 3 and refused.value.status == 409
    assert refused.value.field == "confirm_eligibility_loss"
    assert "3 active agent(s) of acme-claims would lose eligibility now" in refused.value.message
    assert _courses(db_session) == 1 and len(_routing(db_session, live_program)) == 3

    done = import_text(session=db_session, text=NEW_REQUIRED, file="mini.yaml",
                       confirm_eligibility_loss=True)  # fmt: skip
    db_session.commit()
    assert done.impact.losing_now == 3
    assert _courses(db_session) == 2 and _routing(db_session, live_program) == []


def test_a_requirement_from_a_date_keeps_agents_routing_until_then_unless_they_certify(
    db_session, live_program, course
):
    starts = utcnow() + timedelta(days=7)
    done = import_text(session=db_session, text=NEW_REQUIRED, file="mini.yaml",
                       required_from=starts)  # no confirmation needed  # fmt: skip
    db_session.commit()
    assert (done.impact.losing_now, done.impact.losing_later) == (0, 3)
    assert done.version.required_from == starts and "required from" in done.describe()
    routing = _routing(db_session, live_program)
    assert len(routing) == 3
    skill = skills_at(session=db_session, agent_id=routing[0], at=utcnow())[0]
    assert skill.expires_at == starts  # the router drops them at that instant

    first = live_program[0]
    pass_course(db_session, first, done.course, Clock(utcnow() - timedelta(hours=1)))
    db_session.commit()
    after = starts + timedelta(seconds=1)
    assert _routing(db_session, live_program, at=after) == [first.id]
    assert len(_routing(db_session, live_program, at=starts - timedelta(seconds=1))) == 3


def test_a_new_version_cannot_postpone_a_requirement_already_in_effect(
    db_session, live_program
):
    import_text(session=db_session, text=NEW_REQUIRED, file="mini.yaml",
                confirm_eligibility_loss=True)  # fmt: skip
    db_session.commit()
    changed = NEW_REQUIRED.replace("title: Mini course", "title: Mini course 2")
    later = import_text(session=db_session, text=changed, file="mini.yaml",
                        required_from=utcnow() + timedelta(days=7))  # fmt: skip
    assert later.version.required_from is None
    assert _routing(db_session, live_program) == []


def test_an_optional_course_or_a_program_nobody_routes_for_needs_no_confirmation(
    db_session, program, course, users
):
    assert import_text(session=db_session, text=NOT_REQUIRED, file="x.yaml").impact.losing_now == 0
    db_session.rollback()
    # Agents in training do not route: requiring one more course takes nobody out of routing.
    assert import_text(session=db_session, text=NEW_REQUIRED, file="y.yaml").impact.losing_now == 0


def test_the_cli_reports_the_loss_and_imports_only_when_confirmed_or_dated(tmp_path):
    import web.cli_commands  # noqa: F401  (registers the commands)
    from database.engine import make_engine, make_session_factory
    from tests.factories import make_program
    from web.cli import cli
    from web.config import load_settings

    from .conftest import DEMO_COURSE

    env = {"CROWDLINE_INSTANCE": str(tmp_path / "i"), "DATABASE_URL": "", "SECRET_KEY": ""}
    runner = CliRunner()
    assert runner.invoke(cli, ["db", "upgrade"], env=env).exit_code == 0
    engine = make_engine(load_settings(env | {"REDIS_URL": "", "PUBLIC_URL": ""}).database_url)
    sessions = make_session_factory(engine)
    with sessions.begin() as session:
        program = make_program(session, code="acme-claims")
    assert runner.invoke(cli, ["training", "import", str(DEMO_COURSE)], env=env).exit_code == 0
    with sessions.begin() as session:
        demo = session.scalar(select(Course))
        agent = make_user(session, "agent").agent
        agent.programs = [session.merge(program)]
        pass_course(session, agent, demo, Clock(utcnow() - timedelta(days=1)))
        agent.stage = Stage.ACTIVE
    mini = tmp_path / "mini.yaml"
    mini.write_text(NEW_REQUIRED)

    refused = runner.invoke(cli, ["training", "import", str(mini)], env=env)
    assert refused.exit_code == 1, refused.output
    assert "1 active agent(s) of acme-claims would lose eligibility now" in refused.output
    assert "--confirm-eligibility-loss" in refused.output and "Traceback" not in refused.output
    dry = runner.invoke(cli, ["training", "import", "--dry-run", str(mini)], env=env)
    assert dry.exit_code == 0 and "Would be: 1 active agent(s) lost eligibility" in dry.output
    dated = runner.invoke(cli, ["training", "import", "--dry-run", "--required-from",
                                "2099-01-01", str(mini)], env=env)  # fmt: skip
    assert dated.exit_code == 0, dated.output
    assert "must certify by 2099-01-01 00:00 UTC" in dated.output
    bad_date = runner.invoke(cli, ["training", "import", "--required-from", "soon", str(mini)],
                             env=env)  # fmt: skip
    assert bad_date.exit_code == 2 and "--required-from" in bad_date.output
    with sessions() as session:
        assert session.scalar(select(func.count(Course.id))) == 1
        assert skills_at(session=session, agent_id=agent.id, at=utcnow())

    confirmed = runner.invoke(cli, ["training", "import", "--confirm-eligibility-loss",
                                    str(mini)], env=env)  # fmt: skip
    assert confirmed.exit_code == 0, confirmed.output
    assert "1 active agent(s) lost eligibility" in confirmed.output
    with sessions() as session:
        assert session.scalar(select(func.count(Course.id))) == 2
        assert skills_at(session=session, agent_id=agent.id, at=utcnow()) == []
    engine.dispose()
