"""A course newly required by a live program: the import says how many active agents would
lose eligibility and needs an explicit confirmation (service, CLI, API, page), or takes effect
from a date so agents can certify first (training/skills.py stays the one rule)."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from agents.models import Stage
from database.base import utcnow
from tests.factories import make_user
from tests.web_client import csrf_token
from training.impact import EligibilityLossUnconfirmed
from training.importer import import_text
from training.models import Course
from training.skills import skills_at

from .helpers import Clock, pass_course
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
    from crowdline.cli import cli
    from crowdline.settings import load_settings
    from database.engine import make_engine, make_session_factory
    from tests.factories import make_program

    from .helpers import DEMO_COURSE

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


@pytest.fixture
def admin_api(as_role):
    client = as_role("admin")
    client.environ_base["HTTP_X_CSRFTOKEN"] = csrf_token(client, "/roster/new")
    return client


def test_the_api_refuses_with_409_naming_the_count_until_confirmed_or_dated(
    admin_api, db_session, live_program
):
    refused = admin_api.post("/api/v1/courses/import", json={"yaml": NEW_REQUIRED})
    assert refused.status_code == 409
    body = refused.get_json()
    assert "3 active agent(s)" in body["fields"]["confirm_eligibility_loss"]
    assert _courses(db_session) == 1

    dated = admin_api.post("/api/v1/courses/import",
                           json={"yaml": NEW_REQUIRED, "required_from": "2099-01-01T00:00:00"})
    assert dated.status_code == 200, dated.get_json()
    answer = dated.get_json()
    assert (answer["losing_eligibility_now"], answer["losing_eligibility_later"]) == (0, 3)
    assert answer["required_from"].startswith("2099-01-01T00:00:00")
    assert len(_routing(db_session, live_program)) == 3

    changed = NEW_REQUIRED.replace("title: Mini course", "title: Mini course 2")
    garbage = admin_api.post("/api/v1/courses/import",
                             json={"yaml": changed, "confirm_eligibility_loss": "sure"})
    assert garbage.status_code == 422 and "confirm_eligibility_loss" in str(garbage.get_json())
    document = admin_api.get("/api/openapi.json").get_json()
    schema = str(document["components"]["schemas"])
    assert "confirm_eligibility_loss" in schema and "required_from" in schema


def test_the_api_imports_at_once_when_confirmed(admin_api, db_session, live_program):
    done = admin_api.post("/api/v1/courses/import",
                          json={"yaml": NEW_REQUIRED, "confirm_eligibility_loss": True})
    assert done.status_code == 200
    assert done.get_json()["losing_eligibility_now"] == 3
    assert _routing(db_session, live_program) == []


def _page_token(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def test_the_page_opens_a_dialog_with_the_count_then_imports_on_confirmation(
    as_role, db_session, live_program
):
    client = as_role("admin")
    page = client.get("/training/admin/courses").get_data(as_text=True)
    upload = client.post(
        "/training/admin/courses/import",
        data={"csrf_token": _page_token(page),
              "course_file": (io.BytesIO(NEW_REQUIRED.encode()), "mini.yaml")},
        content_type="multipart/form-data",
    )  # fmt: skip
    html = upload.get_data(as_text=True)
    assert upload.status_code == 409
    assert "<dialog open" in html and "3 active agents would lose eligibility" in html
    assert "Import now: take them out of routing" in html and "Cancel: import nothing" in html
    assert _courses(db_session) == 1
    forms = re.findall(r"<dialog.*?</dialog>", html, re.S)[0].split("<form")[1:]
    confirm_form, dated_form = forms
    text = re.search(r'name="course_text" type="hidden" value="([^"]*)"', confirm_form)
    assert text and "code: mini" in text.group(1)

    dated = client.post("/training/admin/courses/import", data={
        "csrf_token": _page_token(html), "course_text": NEW_REQUIRED, "file_name": "mini.yaml",
        "required_from": "2099-01-01",
    })  # fmt: skip
    assert dated.status_code == 302
    shown = client.get("/training/admin/courses").get_data(as_text=True)
    assert "must certify by 2099-01-01" in shown
    assert len(_routing(db_session, live_program)) == 3


def test_the_page_dialogs_confirm_button_imports_at_once(as_role, db_session, live_program):
    client = as_role("admin")
    page = client.get("/training/admin/courses").get_data(as_text=True)
    confirmed = client.post("/training/admin/courses/import", data={
        "csrf_token": _page_token(page), "course_text": NEW_REQUIRED, "file_name": "mini.yaml",
        "confirm_eligibility_loss": "y",
    })  # fmt: skip
    assert confirmed.status_code == 302
    assert "3 active agent(s) lost eligibility" in client.get(
        "/training/admin/courses"
    ).get_data(as_text=True)
    assert _routing(db_session, live_program) == []
