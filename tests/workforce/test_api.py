"""The schedule API as agents and supervisors use it: blocks, commit/uncommit, refusals with
their reason and status, nothing written on a refusal, adherence of one's own day only."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import login
from tests.workforce.helpers import NOW, published_block
from web.app import create_app
from workforce.models import Block, Commitment
from workforce.weeks import week_label


class FixedClock:
    def __init__(self, at):
        self.at = at

    def now(self) -> float:
        return self.at.timestamp()


@pytest.fixture
def clock():
    return FixedClock(NOW)


@pytest.fixture
def api_app(settings, session_factory, clock):
    app = create_app(settings.with_(extra={"WTF_CSRF_ENABLED": False}),
                     session_factory=session_factory)  # fmt: skip
    app.config["WORKFORCE_CLOCK"] = clock
    return app


def signed_in(app, user):
    client = app.test_client()
    assert login(client, user.email).status_code == 302
    return client


WEEK = week_label(NOW)


def test_an_agent_lists_books_and_releases_a_block(api_app, db_session, program, ann):
    block = published_block(db_session, program, needed=2, bonus="0.10")
    db_session.commit()
    client = signed_in(api_app, ann.user)
    listed = client.get(f"/api/v1/workforce/blocks?week={WEEK}").get_json()
    assert [b["id"] for b in listed["items"]] == [block.id]
    assert listed["items"][0]["hot"] is True and listed["items"][0]["my_state"] is None
    booked = client.post(f"/api/v1/workforce/blocks/{block.id}/commit")
    assert booked.status_code == 200, booked.get_json()
    assert booked.get_json()["state"] == "booked" and booked.get_json()["block"]["booked"] == 1
    again = client.post(f"/api/v1/workforce/blocks/{block.id}/commit")
    assert again.status_code == 409 and "already hold" in again.get_json()["error"]
    released = client.delete(f"/api/v1/workforce/blocks/{block.id}/commit").get_json()
    assert released["state"] == "released" and released["late"] is False


def test_refusals_say_why_with_403_409_and_422_and_write_nothing(
    api_app, db_session, program, users, ann, bob, clock
):
    full = published_block(db_session, program, needed=1, hours_ahead=30)
    past = published_block(db_session, program, hours_ahead=2)
    db_session.commit()
    uncertified = signed_in(api_app, users["agent"])
    refused = uncertified.post(f"/api/v1/workforce/blocks/{full.id}/commit")
    assert refused.status_code == 403 and "not certified" in refused.get_json()["error"]
    assert signed_in(api_app, ann.user).post(
        f"/api/v1/workforce/blocks/{full.id}/commit").status_code == 200  # fmt: skip
    agent = signed_in(api_app, bob.user)
    is_full = agent.post(f"/api/v1/workforce/blocks/{full.id}/commit")
    assert is_full.status_code == 409 and "full" in is_full.get_json()["error"]
    waiting = agent.post(f"/api/v1/workforce/blocks/{full.id}/commit?waitlist=true")
    assert waiting.get_json()["state"] == "waitlisted"
    clock.at = past.starts_at + timedelta(minutes=1)
    too_late = agent.post(f"/api/v1/workforce/blocks/{past.id}/commit")
    assert too_late.status_code == 409 and "past" in too_late.get_json()["error"]
    unknown = agent.post("/api/v1/workforce/blocks/999999/commit")
    assert unknown.status_code == 422 and "block_id" in unknown.get_json()["fields"]
    for bad in ("2026-49", "2026-W99", "", "W49"):
        answer = agent.get(f"/api/v1/workforce/blocks?week={bad}")
        assert answer.status_code == 422 and "week" in answer.get_json()["fields"], bad
    assert db_session.query(Commitment).count() == 2  # ann's seat and bob's waitlist place


def test_supervisors_publish_edit_and_override_and_agents_cannot(
    api_app, db_session, program, users, ann
):
    block = published_block(db_session, program, needed=1)
    db_session.commit()
    supervisor = signed_in(api_app, users["supervisor"])
    edited = supervisor.patch(f"/api/v1/workforce/blocks/{block.id}",
                              json={"needed": 4, "bonus_per_minute": "0.25"})  # fmt: skip
    assert edited.status_code == 200 and edited.get_json()["needed"] == 4
    assert edited.get_json()["hot"] is True
    bad = supervisor.patch(f"/api/v1/workforce/blocks/{block.id}", json={"needed": -2})
    assert bad.status_code == 422 and "needed" in bad.get_json()["fields"]
    bad_override = supervisor.put("/api/v1/workforce/overrides", json={
        "queue": "claims", "start": "2026-12-04T10:10:00+00:00", "contacts": 5})  # fmt: skip
    assert bad_override.status_code in (404, 422), bad_override.get_json()
    tier = supervisor.put(f"/api/v1/workforce/agents/{ann.id}/tier",
                          json={"tier": "elite", "reason": "score 95"})  # fmt: skip
    assert tier.get_json() == {"agent_id": ann.id, "tier": "elite", "reason": "score 95"}
    agent = signed_in(api_app, ann.user)
    assert agent.patch(f"/api/v1/workforce/blocks/{block.id}",
                       json={"needed": 9}).status_code == 403  # fmt: skip
    db_session.expire_all()
    assert db_session.get(Block, block.id).needed == 4


def test_adherence_is_an_agents_own_and_any_for_supervisors(api_app, db_session, users, ann, bob):
    day = NOW.date().isoformat()
    mine = signed_in(api_app, ann.user).get(
        f"/api/v1/workforce/adherence?agent_id={ann.id}&day={day}")  # fmt: skip
    assert mine.status_code == 200 and mine.get_json()["blocks"] == []
    theirs = signed_in(api_app, ann.user).get(
        f"/api/v1/workforce/adherence?agent_id={bob.id}&day={day}")  # fmt: skip
    assert theirs.status_code == 403
    staff = signed_in(api_app, users["supervisor"]).get(
        f"/api/v1/workforce/adherence?agent_id={bob.id}&day=2026-13-01")  # fmt: skip
    assert staff.status_code == 422 and "day" in staff.get_json()["fields"]
