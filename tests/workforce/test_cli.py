"""`crowdline workforce forecast|publish` on a real database with history in its event log."""

from __future__ import annotations

from datetime import timedelta

from agents.models import Program
from database.base import utcnow
from database.engine import make_engine, make_session_factory
from dispatcher.core.codec import encode
from dispatcher.core.model import Queue
from dispatcher.tables import RoutingQueue
from tests.integration.test_cli import run_cli  # noqa: F401  (the CLI runner fixture)
from workforce.models import Block
from workforce.synthetic import seed_history, weekly_profile
from workforce.weeks import week_label, week_of


def test_forecast_and_publish_from_the_command_line(run_cli, tmp_path):  # noqa: F811
    url = f"sqlite:///{tmp_path / 'wf.db'}"
    env = {"DATABASE_URL": url}
    assert run_cli("db", "upgrade", env=env).exit_code == 0
    engine = make_engine(url)
    this_week = week_of(utcnow())
    with make_session_factory(engine).begin() as session:
        session.add(Program(code="acme-claims", name="Claims", client_name="Acme"))
        session.add(RoutingQueue(queue_id="claims", program="acme-claims",
                                 data=encode(Queue("claims", program="acme-claims"))))  # fmt: skip
        seed_history(session=session, queue_id="claims", start=this_week - timedelta(weeks=8),
                     weeks=8, profile=weekly_profile(6))  # fmt: skip
    week = week_label(this_week + timedelta(days=7))
    shown = run_cli("workforce", "forecast", "--queue", "claims", "--week", week, env=env)
    assert shown.exit_code == 0, shown.output
    assert "backtest MAPE: holt-winters" in shown.output and "seasonal-average" in shown.output
    assert "Week total:" in shown.output and len(shown.output.splitlines()) > 50
    published = run_cli("workforce", "publish", "--week", week, env=env)
    assert published.exit_code == 0, published.output
    assert f"Published week {week}" in published.output
    with make_session_factory(engine)() as session:
        assert session.query(Block).count() > 0
    bad = run_cli("workforce", "forecast", "--queue", "claims", "--week", "2026-W60", env=env)
    assert bad.exit_code == 2 and "--week" in bad.output
    unknown = run_cli("workforce", "forecast", "--queue", "nope", "--week", week, env=env)
    assert unknown.exit_code == 1 and "no queue 'nope'" in unknown.output
    engine.dispose()
