"""Roster and programs through the REST API: the happy paths a supervisor or admin relies on."""

from __future__ import annotations

from decimal import Decimal

from openapi_spec_validator import validate

from agents.models import AuditEntry
from tests.web_client import csrf_token, login


def _staff(as_role, role="supervisor"):
    client = as_role(role)
    client.environ_base["HTTP_X_CSRFTOKEN"] = csrf_token(client, "/roster/new")
    return client


def test_supervisor_adds_an_agent_who_can_then_sign_in(as_role, app, program):
    client = _staff(as_role)
    response = client.post(
        "/api/v1/agents",
        json={
            "email": "Maria.Lopez@Example.com",
            "display_name": "María López",
            "password": "a long enough password",
            "phone": "+1 415 555 0123",
            "languages": ["en", "ES"],
            "timezone": "America/Chicago",
            "programs": ["acme-claims"],
        },
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["email"] == "maria.lopez@example.com"
    assert body["phone"] == "+14155550123"
    assert body["languages"] == ["en", "es"]
    assert body["programs"] == ["acme-claims"]
    assert body["stage"] == "applicant"
    assert (
        login(app.test_client(), "maria.lopez@example.com", "a long enough password").status_code
        == 302
    )


def test_roster_search_filters_and_pages(as_role, users, db_session, program):
    from tests.factories import make_user

    for n in range(30):
        user = make_user(db_session, "agent", display_name=f"Spanish {n:02d}")
        user.agent.programs = [program] if n % 2 else []
        from agents.models import AgentLanguage

        user.agent.languages = [AgentLanguage(language="es")]
    db_session.commit()
    client = _staff(as_role)
    page = client.get(
        "/api/v1/agents?language=es&program=acme-claims&per_page=10&page=2"
    ).get_json()
    assert page["total"] == 15
    assert len(page["items"]) == 5
    assert all(item["programs"] == ["acme-claims"] for item in page["items"])
    found = client.get("/api/v1/agents?q=spanish 07").get_json()
    assert [i["display_name"] for i in found["items"]] == ["Spanish 07"]
    html = client.get("/roster/?language=es&program=acme-claims").get_data(as_text=True)
    assert "15 agents" in html


def test_onboarding_moves_suspension_and_reactivation_are_recorded(as_role, users, db_session):
    client = _staff(as_role)
    agent_id = users["agent"].agent.id
    for stage in ("training", "certified"):
        assert (
            client.post(f"/api/v1/agents/{agent_id}/stage", json={"stage": stage}).status_code
            == 200
        )
    no_reason = client.post(f"/api/v1/agents/{agent_id}/stage", json={"stage": "suspended"})
    assert no_reason.status_code == 422
    assert "reason" in no_reason.get_json()["fields"]
    assert (
        client.post(
            f"/api/v1/agents/{agent_id}/stage",
            json={"stage": "suspended", "reason": "missed three shifts"},
        ).status_code
        == 200
    )
    skip = client.post(f"/api/v1/agents/{agent_id}/stage", json={"stage": "active"})
    assert skip.status_code == 409  # reactivation returns to certified, not further
    back = client.post(f"/api/v1/agents/{agent_id}/stage", json={"stage": "certified"})
    assert back.get_json()["stage"] == "certified"
    history = client.get(f"/api/v1/agents/{agent_id}/history").get_json()["items"]
    assert [(h["from_stage"], h["to_stage"]) for h in history] == [
        ("applicant", "training"),
        ("training", "certified"),
        ("certified", "suspended"),
        ("suspended", "certified"),
    ]
    assert history[2]["reason"] == "missed three shifts"
    assert history[2]["by_user_id"] == users["supervisor"].id
    actions = (
        db_session.query(AuditEntry.action)
        .filter(AuditEntry.entity_id == agent_id, AuditEntry.entity_type == "agent")
        .all()
    )
    assert len(actions) == 4


def test_agent_edits_own_profile_but_not_pay_or_programs(as_role, users):
    client = as_role("agent")
    client.environ_base["HTTP_X_CSRFTOKEN"] = csrf_token(client, "/me")
    ok = client.patch("/api/v1/me", json={"display_name": "Sam", "languages": ["fr"]})
    assert ok.status_code == 200 and ok.get_json()["display_name"] == "Sam"
    for field, value in (("pay_rate_per_minute", "9.99"), ("stage", "active"), ("role", "admin")):
        refused = client.patch("/api/v1/me", json={field: value})
        assert refused.status_code == 422, field
        assert field in refused.get_json()["fields"]
    assert client.get("/api/v1/me").get_json()["pay_rate_per_minute"] in ("0", "0.0000")


def test_only_admins_set_pay_rates(as_role, users):
    agent_id = users["agent"].agent.id
    supervisor = _staff(as_role, "supervisor")
    refused = supervisor.patch(f"/api/v1/agents/{agent_id}", json={"pay_rate_per_minute": "0.25"})
    assert refused.status_code == 403
    admin = _staff(as_role, "admin")
    done = admin.patch(f"/api/v1/agents/{agent_id}", json={"pay_rate_per_minute": "0.25"})
    assert done.status_code == 200
    assert done.get_json()["pay_rate_per_minute"] in ("0.25", "0.2500")


def test_admin_manages_programs_and_tokens(as_role, users):
    admin = _staff(as_role, "admin")
    created = admin.post(
        "/api/v1/programs", json={"code": "globex-sales", "name": "Sales", "client_name": "Globex"}
    )
    assert created.status_code == 201
    program_id = created.get_json()["id"]
    assert (
        admin.patch(f"/api/v1/programs/{program_id}", json={"is_active": False}).get_json()[
            "is_active"
        ]
        is False
    )
    token = admin.post(
        "/api/v1/tokens", json={"name": "bi export", "user_id": users["supervisor"].id}
    )
    assert token.status_code == 201
    plain = token.get_json()["token"]
    assert admin.get("/api/v1/tokens").get_json()["items"][0]["prefix"] == plain[:10]
    assert "token" not in admin.get("/api/v1/tokens").get_json()["items"][0]


def test_openapi_document_is_valid_and_covers_the_roster_api(client):
    document = client.get("/api/openapi.json").get_json()
    validate(document)
    paths = document["paths"]
    for path in (
        "/api/v1/agents",
        "/api/v1/agents/{agent_id}",
        "/api/v1/agents/{agent_id}/stage",
        "/api/v1/programs",
        "/api/v1/me",
        "/api/v1/tokens",
    ):
        assert path in paths
    assert "requestBody" in paths["/api/v1/agents"]["post"]


def test_a_new_agent_without_a_pay_rate_gets_the_programs_rate(as_role, db_session, program):
    admin = _staff(as_role, "admin")
    changed = admin.patch(f"/api/v1/programs/{program.id}", json={"pay_rate_per_minute": "0.42"})
    assert changed.status_code == 200, changed.get_json()
    assert Decimal(changed.get_json()["pay_rate_per_minute"]) == Decimal("0.4200")
    refused = admin.patch(f"/api/v1/programs/{program.id}", json={"pay_rate_per_minute": "-1"})
    assert refused.status_code == 422
    assert list(refused.get_json()["fields"]) == ["pay_rate_per_minute"]

    body = {"display_name": "Rate Less", "password": "a long enough password",
            "programs": ["acme-claims"]}  # fmt: skip
    by_supervisor = _staff(as_role).post("/api/v1/agents", json={**body, "email": "a@example.com"})
    assert by_supervisor.status_code == 201, by_supervisor.get_json()
    assert Decimal(by_supervisor.get_json()["pay_rate_per_minute"]) == Decimal("0.4200")
    rated = {**body, "email": "b@example.com", "pay_rate_per_minute": "0.5"}
    given = admin.post("/api/v1/agents", json=rated)
    assert Decimal(given.get_json()["pay_rate_per_minute"]) == Decimal("0.5000")
    alone = admin.post("/api/v1/agents", json={**body, "email": "c@example.com", "programs": []})
    assert Decimal(alone.get_json()["pay_rate_per_minute"]) == Decimal("0.0000")
