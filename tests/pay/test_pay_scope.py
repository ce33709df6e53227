"""Supervisors see the pay, ROI and wrap-up codes of the programs they have a duty in
(quality.access, as for quality data): a supervisor of another program asking for an agent or a
program outside theirs gets a 403 naming why and nothing is written; lists show only their
programs' agents; admins see all."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from agents.models import AuditEntry
from channels.models import DispositionCode
from dispatcher.core.codec import encode
from dispatcher.core.model import Queue
from dispatcher.tables import RoutingQueue
from pay.models import PayEntry
from quality import access
from tests.factories import make_program, make_user
from tests.pay.test_pay_web import _two_talks, _week
from tests.web_client import csrf_token, login


@pytest.fixture
def stranger(app, db_session):
    """A signed-in supervisor with a duty in another program only (and a queue of it)."""
    other = make_program(db_session, code="other-sales", name="Other sales")
    user = make_user(db_session, "supervisor", display_name="Olga Other")
    access.assign(session=db_session, program_id=other.id, user=user, duty="supervisor")
    db_session.add(RoutingQueue(queue_id="claims", program="acme-claims",
                                data=encode(Queue(queue_id="claims", program="acme-claims"))))
    db_session.commit()
    client = app.test_client()
    assert login(client, user.email).status_code == 302
    return client


def _count(db_session, model, *where) -> int:
    db_session.expire_all()
    return db_session.scalar(select(func.count()).select_from(model).where(*where))


def test_a_supervisor_of_another_program_is_refused_the_agents_pay(db_session, users, stranger):
    me = _two_talks(db_session, users)
    api = stranger.get(f"/api/v1/pay/statements?week={_week()}&agent_id={me}")
    assert api.status_code == 403
    assert api.json["fields"] == {"agent_id": "not an agent of a program you supervise"}
    page = stranger.get(f"/pay/statements?agent_id={me}")
    assert page.status_code == 403
    assert "not an agent of a program you supervise" in page.get_data(as_text=True)
    assert stranger.get(f"/pay/statements.csv?agent_id={me}&week={_week()}").status_code == 403
    listed = stranger.get("/pay/statements").get_data(as_text=True)
    assert users["agent"].display_name not in listed  # not offered in the agent list
    before = _count(db_session, PayEntry)
    headers = {"X-CSRFToken": csrf_token(stranger, "/console")}
    adjusted = stranger.post("/api/v1/pay/adjustments", headers=headers,
                             json={"agent_id": int(me), "amount": "5.00", "reason": "bonus"})
    assert (adjusted.status_code, list(adjusted.json["fields"])) == (403, ["agent_id"])
    form = {"csrf_token": csrf_token(stranger, "/pay/statements"), "agent_id": me,
            "amount": "5.00", "reason": "bonus"}  # fmt: skip
    assert stranger.post("/pay/adjustments", data=form).status_code == 403
    assert _count(db_session, PayEntry) == before
    assert _count(db_session, AuditEntry, AuditEntry.action == "pay.adjust") == 0


def test_the_payout_lists_only_the_supervisors_programs_agents(db_session, users, stranger,
                                                               supervising, as_role):  # fmt: skip
    me = _two_talks(db_session, users)
    today = datetime.now(UTC).date().isoformat()
    url = f"/pay/payout.csv?from={today}&to={today}"
    theirs = list(csv.DictReader(io.StringIO(stranger.get(url).get_data(as_text=True))))
    assert theirs == []
    for role in ("supervisor", "admin"):  # the agent's program's supervisor, and an admin
        rows = list(csv.DictReader(io.StringIO(as_role(role).get(url).get_data(as_text=True))))
        assert [(r["agent_id"], r["total"]) for r in rows] == [(me, "0.63")], role
    got = as_role("supervisor").get(f"/api/v1/pay/statements?week={_week()}&agent_id={me}")
    assert (got.status_code, got.json["totals"]["total"]) == (200, "0.63")


def test_a_supervisor_of_another_program_is_refused_its_roi(db_session, users, stranger,
                                                            supervising, as_role):  # fmt: skip
    today = datetime.now(UTC).date()
    query = f"program=acme-claims&from={today - timedelta(days=1)}&to={today}"
    api = stranger.get(f"/api/v1/reports/roi?{query}")
    assert api.status_code == 403
    assert api.json["fields"] == {"program": "not a program you supervise"}
    page = stranger.get(f"/reports/roi?{query}")
    assert page.status_code == 403 and "not a program you supervise" in page.get_data(as_text=True)
    assert stranger.get(f"/reports/roi.csv?{query}").status_code == 403
    offered = stranger.get("/reports/roi").get_data(as_text=True)
    assert "<option selected>other-sales</option>" in offered and "acme-claims" not in offered
    for role in ("supervisor", "admin"):
        assert as_role(role).get(f"/api/v1/reports/roi?{query}").status_code == 200, role
        assert as_role(role).get(f"/reports/roi.csv?{query}").status_code == 200, role


def test_a_supervisor_of_another_program_may_not_read_or_replace_its_wrap_up_codes(
    db_session, users, stranger, supervising, as_role
):
    api = stranger.get("/api/v1/queues/claims/dispositions")
    assert (api.status_code, list(api.json["fields"])) == (403, ["queue_id"])
    headers = {"X-CSRFToken": csrf_token(stranger, "/console")}
    body = {"codes": [{"code": "sale", "conversion": True}]}
    put = stranger.put("/api/v1/queues/claims/dispositions", json=body, headers=headers)
    assert put.status_code == 403
    page = stranger.get("/dispositions?queue=claims")
    assert page.status_code == 403 and "program you do not supervise" in page.get_data(as_text=True)
    form = {"csrf_token": csrf_token(stranger, "/console"), "code-0": "sale"}
    assert stranger.post("/dispositions?queue=claims", data=form).status_code == 403
    assert 'value="claims"' not in stranger.get("/dispositions").get_data(as_text=True)
    assert _count(db_session, DispositionCode) == 0  # nothing written
    mine = as_role("supervisor")
    assert mine.get("/api/v1/queues/claims/dispositions").status_code == 200
    assert mine.get("/dispositions?queue=claims").status_code == 200
