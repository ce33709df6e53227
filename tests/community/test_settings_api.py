"""A program's community settings through the API: defaults, changes that escalation, holding
and the cost avoided use, and bad values refused naming the field with nothing written."""

from __future__ import annotations

from sqlalchemy import select

from community.models import CommunitySettings
from dispatcher.core.codec import encode
from dispatcher.core.model import Queue
from dispatcher.tables import RoutingQueue
from tests.web_client import csrf_token

API = "/api/v1/community/settings"


def _staff(as_role, role: str):
    """A signed-in staff client and the CSRF header its cookie-authenticated writes need."""
    client = as_role(role)
    return client, {"X-CSRFToken": csrf_token(client, "/roster/")}


def _queue(db_session, queue_id: str, program: str) -> None:
    db_session.add(RoutingQueue(queue_id=queue_id, program=program,
                                data=encode(Queue(queue_id, program=program))))  # fmt: skip
    db_session.commit()


def test_settings_start_at_the_defaults_and_change_field_by_field(as_role, db_session, program):
    _queue(db_session, "claims-answers", program.code)
    staff, csrf = _staff(as_role, "supervisor")
    assert staff.get(f"{API}/{program.code}").get_json() == {
        "program": program.code, "is_public": True, "escalate_after_minutes": 120,
        "escalation_queue_id": None, "hold_first_posts": False, "cost_per_contact": None,
        "volunteer_queue_id": None,
    }  # fmt: skip
    changed = staff.patch(f"{API}/{program.code}", json={
        "escalate_after_minutes": 15, "escalation_queue_id": "claims-answers",
        "hold_first_posts": True, "cost_per_contact": "3.25"}, headers=csrf)  # fmt: skip
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["cost_per_contact"] == "3.25"
    again = staff.patch(f"{API}/{program.code}", json={"cost_per_contact": None},
                        headers=csrf).get_json()  # fmt: skip
    assert again["cost_per_contact"] is None and again["escalate_after_minutes"] == 15
    db_session.expire_all()
    saved = db_session.get(CommunitySettings, program.id)
    assert (saved.escalation_queue_id, saved.hold_first_posts) == ("claims-answers", True)
    volunteers = staff.patch(f"{API}/{program.code}", json={"volunteer_queue_id": "claims-answers"},
                             headers=csrf)  # fmt: skip
    assert volunteers.get_json()["volunteer_queue_id"] == "claims-answers"


def test_bad_settings_are_refused_naming_the_field_and_nothing_is_written(
    as_role, db_session, program
):
    _queue(db_session, "other-queue", "another-program")
    staff, csrf = _staff(as_role, "admin")
    for body, field in (({"escalate_after_minutes": 0}, "escalate_after_minutes"),
                        ({"escalation_queue_id": "other-queue"}, "escalation_queue_id"),
                        ({"escalation_queue_id": "no-such-queue"}, "escalation_queue_id"),
                        ({"volunteer_queue_id": "other-queue"}, "volunteer_queue_id"),
                        ({"cost_per_contact": "1.234"}, "cost_per_contact"),
                        ({"is_public": "yes"}, "is_public"),
                        ({"escalate_after_minutes": 5, "colour": "red"}, "colour")):  # fmt: skip
        response = staff.patch(f"{API}/{program.code}", json=body, headers=csrf)
        assert response.status_code == 422, (body, response.get_json())
        assert field in response.get_data(as_text=True), body
    db_session.expire_all()
    assert db_session.scalar(select(CommunitySettings)) is None
    assert staff.get(f"{API}/no-such").status_code == 404
    assert as_role("agent").get(f"{API}/{program.code}").status_code == 403
