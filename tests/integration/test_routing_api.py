"""The routing API end to end: web requests queue commands, a live engine thread decides them,
and agents, supervisors and admins see the outcome, the live view and the statistics."""

from __future__ import annotations

import pytest

from crowdline import wiring
from dispatcher.core.codec import encode
from dispatcher.core.model import Queue
from dispatcher.runner import EngineRunner
from tests.factories import make_program, make_user
from tests.web_client import csrf_token, login
from web.app import create_app
from web.extensions import limiter


@pytest.fixture
def live(fresh_db, settings):
    db, sessions = fresh_db
    with sessions.begin() as session:
        people = {role: make_user(session, role) for role in ("agent", "supervisor", "admin")}
        people["other"] = make_user(session, "agent")
        program = make_program(session, code="acme-claims", name="Claims intake")
        for who in ("agent", "other"):
            people[who].agent.programs = [program]
        emails = {role: user.email for role, user in people.items()}
        ids = {role: str(user.agent.id) for role, user in people.items() if user.agent}
    app = create_app(settings.with_(database_url=str(db.url)), session_factory=sessions)
    limiter.reset()
    runner = EngineRunner(db, poll=0.2, projections=wiring.domain_projections()).start()
    clients = {}
    for role, email in emails.items():
        client = app.test_client()
        assert login(client, email).status_code == 302
        client.environ_base["HTTP_X_CSRFTOKEN"] = csrf_token(
            client, "/me" if role in ("agent", "other") else "/roster/new"
        )
        clients[role] = client
    yield clients, ids
    runner.stop()


def _command(client, kind, **payload):
    return client.post("/api/v1/routing/commands", json={"kind": kind, "payload": payload})


def test_a_call_is_routed_answered_and_counted(live):
    clients, ids = live
    admin, supervisor, agent = clients["admin"], clients["supervisor"], clients["agent"]
    queue = encode(Queue("claims", program="acme-claims", service_level_seconds=20))
    assert _command(admin, "configure_queue", queue=queue).status_code == 200
    # Roster agents sign in with their first status: they serve their programs' queues.
    for who, status in (("agent", "available"), ("other", "available"), ("other", "break")):
        went = clients[who].post("/api/v1/routing/me/status", json={"status": status})
        assert went.status_code == 200 and went.get_json()["error"] is None
    assert _command(admin, "enqueue", task_id="CA1", queue_id="claims").status_code == 200

    wrong = clients["other"].post("/api/v1/routing/me/offers/CA1%231/accept", json={})
    assert wrong.status_code == 409
    assert "was offered to" in wrong.get_json()["error"]
    accepted = agent.post("/api/v1/routing/me/offers/CA1%231/accept", json={})
    assert accepted.status_code == 200, accepted.get_json()
    again = agent.post("/api/v1/routing/me/offers/CA1%231/accept", json={})
    assert again.status_code == 409 and "already accepted" in again.get_json()["error"]

    view = {q["queue_id"]: q for q in supervisor.get("/api/v1/routing/queues").get_json()["items"]}
    assert view["claims"]["agents_by_state"] == {"busy": 1, "idle": 1}
    assert view["claims"]["agents_by_status"] == {"available": 1, "break": 1}
    assert _command(supervisor, "configure_queue", queue=queue).status_code == 403
    assert _command(admin, "complete", task_id="CA1").status_code == 200
    assert _command(admin, "complete", task_id="CA1").status_code == 409
    stats = supervisor.get("/api/v1/routing/stats").get_json()
    claims = [row for row in stats["intervals"] if row["queue_id"] == "claims"]
    assert sum(row["answered"] for row in claims) == 1
    assert sum(row["offers_accepted"] for row in claims) == 1


def test_bad_commands_are_refused_with_the_reason(live):
    clients, _ids = live
    admin = clients["admin"]
    unknown = _command(admin, "teleport", task_id="x")
    assert unknown.status_code == 422 and "kind" in unknown.get_json()["fields"]
    roster_skills = _command(admin, "set_skills", agent_id=_ids["agent"], skills=[])
    assert roster_skills.status_code == 409
    assert "roster agents get their skills from training" in roster_skills.get_json()["error"]
    too_long = _command(admin, "enqueue", task_id="x" * 63, queue_id="q")
    assert too_long.status_code == 409 and "at most 56 characters" in too_long.get_json()["error"]
    refused = _command(admin, "set_status", agent_id="nobody", status="available")
    assert refused.status_code == 409
    assert "unknown agent 'nobody'" in refused.get_json()["error"]
    negative = _command(
        admin, "configure_queue", queue={"queue_id": "q", "reservation_timeout": -1}
    )
    assert negative.status_code == 409
    assert "reservation_timeout" in negative.get_json()["error"]


def test_erlang_c_staffing_matches_the_published_example(live):
    clients, _ids = live
    answer = (
        clients["supervisor"]
        .get("/api/v1/routing/erlang?calls=100&period=1800&aht=180&target=0.8&threshold=20")
        .get_json()
    )
    assert answer["agents"] == 14
    assert answer["probability_of_waiting"] == pytest.approx(0.174, abs=0.001)
    assert answer["service_level"] == pytest.approx(0.888, abs=0.001)
