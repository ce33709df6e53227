"""Bad input through forms and the API: a clear 4xx naming the field, and nothing written."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from agents.models import Agent, AuditEntry, Program, User
from tests.web_client import csrf_token


def _counts(session) -> tuple[int, ...]:
    session.expire_all()
    return tuple(
        session.scalar(select(func.count()).select_from(model))
        for model in (User, Agent, Program, AuditEntry)
    )


@pytest.fixture
def staff_api(as_role):
    client = as_role("admin")
    client.environ_base["HTTP_X_CSRFTOKEN"] = csrf_token(client, "/roster/new")
    return client


GOOD_AGENT = {
    "email": "new.agent@example.com",
    "display_name": "New Agent",
    "password": "a long enough password",
}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**GOOD_AGENT, "phone": "555-0100"}, "phone"),
        ({**GOOD_AGENT, "phone": "+1 415 000 0000"}, "phone"),
        ({**GOOD_AGENT, "email": "not-an-email"}, "email"),
        ({**GOOD_AGENT, "password": "short"}, "password"),
        ({**GOOD_AGENT, "timezone": "Mars/Olympus"}, "timezone"),
        ({**GOOD_AGENT, "languages": ["english!"]}, "languages"),
        ({**GOOD_AGENT, "programs": ["no-such-program"]}, "programs"),
        ({**GOOD_AGENT, "pay_rate_per_minute": "-1"}, "pay_rate_per_minute"),
        ({k: v for k, v in GOOD_AGENT.items() if k != "email"}, "email"),
        ({**GOOD_AGENT, "emial": "typo@example.com"}, "emial"),
        ({**GOOD_AGENT, "languages": "en"}, "languages"),
    ],
)
def test_api_refuses_a_bad_agent_naming_the_field(staff_api, db_session, users, body, field):
    before = _counts(db_session)
    response = staff_api.post("/api/v1/agents", json=body)
    assert 400 <= response.status_code < 500
    payload = response.get_json()
    assert field in payload["fields"], payload
    assert _counts(db_session) == before


def test_duplicate_email_is_a_conflict_and_changes_nothing(staff_api, db_session, users):
    before = _counts(db_session)
    response = staff_api.post("/api/v1/agents", json={**GOOD_AGENT, "email": users["agent"].email})
    assert response.status_code == 409
    assert "email" in response.get_json()["fields"]
    assert _counts(db_session) == before


def test_unknown_ids_are_404_with_a_json_reason(staff_api):
    for path in ("/api/v1/agents/424242", "/api/v1/programs/424242"):
        response = staff_api.get(path)
        assert response.status_code == 404
        assert "424242" in response.get_json()["error"]
    assert staff_api.delete("/api/v1/tokens/424242").status_code == 404


def test_malformed_json_and_wrong_content_type_are_named(staff_api, db_session, users):
    before = _counts(db_session)
    broken = staff_api.post("/api/v1/programs", data="{not json", content_type="application/json")
    assert broken.status_code == 400
    assert "not valid JSON" in broken.get_json()["error"]
    as_form = staff_api.post("/api/v1/programs", data={"code": "x"})
    assert as_form.status_code == 415
    assert _counts(db_session) == before


def test_oversized_body_is_refused(staff_api, db_session, users):
    before = _counts(db_session)
    response = staff_api.post(
        "/api/v1/programs", json={"code": "big", "name": "x" * 2_000_000, "client_name": "Acme"}
    )
    assert response.status_code == 413
    assert "too large" in response.get_json()["error"]
    assert _counts(db_session) == before


def test_wrong_types_in_query_and_body_are_named(staff_api, users):
    response = staff_api.get("/api/v1/agents?per_page=5000&stage=retired")
    assert response.status_code == 422
    assert {"per_page", "stage"} <= set(response.get_json()["fields"])
    patch = staff_api.patch(f"/api/v1/agents/{users['agent'].agent.id}", json={"languages": 7})
    assert patch.status_code == 422 and "languages" in patch.get_json()["fields"]


def test_profile_form_shows_the_phone_error_and_saves_nothing(as_role, db_session, users):
    client = as_role("agent")
    token = csrf_token(client, "/me")
    response = client.post(
        "/me",
        data={
            "display_name": "Changed",
            "phone": "12345",
            "languages": "en",
            "timezone": "UTC",
            "csrf_token": token,
        },
    )
    assert response.status_code == 422
    assert "international form" in response.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(User, users["agent"].id).display_name != "Changed"


def test_new_agent_form_with_duplicate_email_keeps_the_roster_unchanged(as_role, db_session, users):
    client = as_role("supervisor")
    token = csrf_token(client, "/roster/new")
    before = _counts(db_session)
    response = client.post(
        "/roster/new",
        data={
            "email": users["admin"].email,
            "password": "a long enough password",
            "display_name": "Copy",
            "timezone": "UTC",
            "csrf_token": token,
        },
    )
    assert response.status_code == 422
    assert "already exists" in response.get_data(as_text=True)
    assert _counts(db_session) == before


def test_suspending_from_the_page_without_reason_is_refused(as_role, db_session, users):
    client = as_role("supervisor")
    agent_id = users["agent"].agent.id
    token = csrf_token(client, f"/roster/{agent_id}")
    response = client.post(
        f"/roster/{agent_id}/stage",
        data={"to_stage": "suspended", "reason": "", "csrf_token": token},
    )
    assert response.status_code == 422
    assert "reason is required" in response.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(Agent, agent_id).stage.value == "applicant"


def test_ids_beyond_the_integer_range_are_not_found(staff_api):
    huge = "99999999999999999999"
    assert staff_api.get(f"/roster/{huge}").status_code == 404
    assert staff_api.get(f"/api/v1/agents/{huge}").status_code == 404
    assert staff_api.get("/api/v1/agents?page=99999999999999999999").status_code == 422
    token = staff_api.post("/api/v1/tokens", json={"name": "x", "user_id": int(huge)})
    assert token.status_code == 422 and "user_id" in token.get_json()["fields"]


def test_odd_digits_and_nul_characters_are_refused_cleanly(staff_api):
    assert staff_api.get("/roster/?page=%C2%B2&per_page=%C2%B2").status_code == 200
    assert staff_api.get("/api/v1/audit?limit=%C2%B2").status_code == 422
    for path in ("/roster/?q=%00", "/api/v1/agents?q=a%00b"):
        response = staff_api.get(path)
        assert response.status_code == 400, path
    body = staff_api.post(
        "/api/v1/programs", json={"code": "nul", "name": "a\u0000b", "client_name": "Acme"}
    )
    assert body.status_code == 400 and "NUL" in body.get_json()["error"]


def test_null_in_a_partial_update_is_named_not_a_crash(staff_api, users):
    agent_id = users["agent"].agent.id
    for field in ("programs", "languages", "timezone"):
        response = staff_api.patch(f"/api/v1/agents/{agent_id}", json={field: None})
        assert response.status_code == 422, field
        assert field in response.get_json()["fields"]
    cleared = staff_api.patch(f"/api/v1/agents/{agent_id}", json={"phone": None})
    assert cleared.status_code == 200 and cleared.get_json()["phone"] is None


def test_erlang_refuses_loads_it_cannot_staff_quickly(staff_api):
    huge = staff_api.get("/api/v1/routing/erlang?calls=1e9&aht=1e6")
    assert huge.status_code == 422 and "calls" in huge.get_json()["fields"]
    assert staff_api.get("/api/v1/routing/erlang?calls=inf&aht=180").status_code == 422
