"""Pay over HTTP: statements and my pay from the ledger, adjustments, CSV exports, roles."""

from __future__ import annotations

import csv
import io
import time
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from agents.models import AuditEntry
from dispatcher.core.events import TaskAssigned, TaskTransferred, TaskWrapping
from pay.models import PayEntry
from pay.periods import week_of
from tests.factories import log_events, make_user
from tests.web_client import csrf_token

# The supervisor has a duty in the agent's program (acme-claims), as quality's tests give it.
pytestmark = pytest.mark.usefixtures("supervising")


def _log(session, *events):
    log_events(session, *events)
    session.commit()


def _talk(session, agent_id: str, task_id: str, start: float, seconds: float, reservation="r"):
    _log(session,
         TaskAssigned(at=start, task_id=task_id, agent_id=agent_id, reservation_id=reservation,
                      queue_id="q", waited=1.0),
         TaskWrapping(at=start + seconds, task_id=task_id, agent_id=agent_id,
                      until=start + seconds + 30))  # fmt: skip


def _week() -> str:
    return week_of(datetime.now(UTC).date())


def _two_talks(db_session, users):
    agent = users["agent"].agent
    agent.pay_rate_per_minute = Decimal("0.25")
    db_session.commit()
    me = str(agent.id)
    t = time.time() - 900
    _talk(db_session, me, "a", t, 90)  # 0.375 → 0.38
    _talk(db_session, me, "b", t + 200, 61)  # 0.254… → 0.25
    return me


def test_an_agent_reads_their_weekly_statement_lines_and_totals(db_session, users, as_role):
    me = _two_talks(db_session, users)
    got = as_role("agent").get(f"/api/v1/pay/statements?week={_week()}&agent_id={me}")
    assert got.status_code == 200, got.json
    body = got.json
    assert body["agent_id"] == me and body["period"] == _week()
    assert [line["amount"] for line in body["lines"]] == ["0.38", "0.25"]
    assert body["totals"]["total"] == "0.63" and body["totals"]["contacts"] == 2
    assert body["totals"]["talk_seconds"] == 151.0


def test_agents_see_only_their_own_pay(db_session, users, as_role):
    _two_talks(db_session, users)
    other = as_role("agent").get(f"/api/v1/pay/statements?week={_week()}&agent_id=999999")
    assert other.status_code == 403


def test_staff_read_any_agents_statement_and_must_say_whose(db_session, users, as_role):
    me = _two_talks(db_session, users)
    for role in ("supervisor", "admin"):
        client = as_role(role)
        got = client.get(f"/api/v1/pay/statements?week={_week()}&agent_id={me}")
        assert (got.status_code, got.json["totals"]["total"]) == (200, "0.63")
        missing = client.get(f"/api/v1/pay/statements?week={_week()}")
        assert (missing.status_code, list(missing.json["fields"])) == (422, ["agent_id"])
        unknown = client.get(f"/api/v1/pay/statements?week={_week()}&agent_id=999999")
        assert unknown.status_code == 404


def test_a_bad_week_is_a_422_naming_it(users, as_role):
    client = as_role("agent")
    me = users["agent"].agent.id
    for week in ("2026-W60", "2025-W53", "2026-49", "", "x"):
        got = client.get(f"/api/v1/pay/statements?week={week}&agent_id={me}")
        assert got.status_code == 422 and "week" in got.json["fields"], (week, got.json)


def test_my_pay_of_a_day_matches_my_day_on_the_console(db_session, users, as_role):
    _two_talks(db_session, users)
    client = as_role("agent")
    today = datetime.now(UTC).date().isoformat()
    mine = client.get(f"/api/v1/pay/me?day={today}").json
    day = client.get("/console/api/my-day").json
    assert mine["totals"]["total"] == day["earnings"] == "0.63"
    assert mine["totals"]["talk_minutes"] == day["talk_minutes"] == 2.5
    assert client.get("/api/v1/pay/me?day=2020-01-01").json["lines"] == []
    assert client.get("/api/v1/pay/me?day=tomorrow").status_code == 422


def _adjust(client, **body):
    headers = {"X-CSRFToken": csrf_token(client, "/console")}
    return client.post("/api/v1/pay/adjustments", json=body, headers=headers)


def test_an_adjustment_without_a_reason_is_refused_and_writes_nothing(db_session, users, as_role):
    me = _two_talks(db_session, users)
    client = as_role("supervisor")
    before = db_session.scalar(select(func.count()).select_from(PayEntry))
    for body in ({"agent_id": int(me), "amount": "5.00"},
                 {"agent_id": int(me), "amount": "5.00", "reason": "   "}):  # fmt: skip
        refused = _adjust(client, **body)
        assert refused.status_code == 422 and "reason" in refused.json["fields"], refused.json
    zero = _adjust(client, agent_id=int(me), amount="0", reason="nothing")
    assert zero.status_code == 422 and "amount" in zero.json["fields"]
    assert db_session.scalar(select(func.count()).select_from(PayEntry)) == before
    assert db_session.scalar(select(func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "pay.adjust")) == 0  # fmt: skip


def test_an_adjustment_is_a_new_audited_entry_counted_in_the_statement(db_session, users, as_role):
    me = _two_talks(db_session, users)
    first = db_session.scalar(select(PayEntry).order_by(PayEntry.id).limit(1))
    added = _adjust(as_role("admin"), agent_id=int(me), amount="-0.13",
                    reason="call a was a test call", adjusts_entry_id=first.id)  # fmt: skip
    assert added.status_code == 201, added.json
    assert added.json["line"]["kind"] == "adjustment"
    assert added.json["line"]["adjusts_entry_id"] == first.id
    db_session.expire_all()
    assert db_session.get(PayEntry, first.id).amount == Decimal("0.38")  # never edited
    (audit,) = db_session.scalars(select(AuditEntry).where(AuditEntry.action == "pay.adjust"))
    assert audit.reason == "call a was a test call"
    got = as_role("agent").get(f"/api/v1/pay/statements?week={_week()}&agent_id={me}")
    totals = got.json["totals"]
    assert (totals["adjustments"], totals["total"]) == ("-0.13", "0.50")
    assert _adjust(as_role("agent"), agent_id=int(me), amount="9", reason="me").status_code == 403


def test_statement_and_payout_csv(db_session, users, as_role):
    me = _two_talks(db_session, users)
    transfer_at = time.time() - 100
    _log(db_session,
         TaskAssigned(at=transfer_at - 30, task_id="c", agent_id=me, reservation_id="r9",
                      queue_id="q", waited=1.0),
         TaskTransferred(at=transfer_at, task_id="c", from_agent=me, queue_id="q",
                         to_agent=None))  # fmt: skip
    agent = as_role("agent")
    text = agent.get(f"/pay/statements.csv?week={_week()}").get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["amount"] for r in rows] == ["0.38", "0.25", "0.13", "0.76"]  # lines, then total
    assert agent.get("/pay/payout.csv?from=2026-01-01&to=2026-01-07").status_code == 403
    today = datetime.now(UTC).date().isoformat()
    staff = as_role("supervisor")
    payout = staff.get(f"/pay/payout.csv?from={today}&to={today}")
    assert payout.mimetype == "text/csv"
    (row,) = csv.DictReader(io.StringIO(payout.get_data(as_text=True)))
    assert (row["agent_id"], row["total"], row["contacts"]) == (me, "0.76", "3")
    bad = staff.get(f"/pay/payout.csv?from={today}&to=2020-01-01")
    assert bad.status_code == 422 and b"to:" in bad.data


def test_the_statement_page_shows_the_lines_to_the_agent(db_session, users, as_role):
    _two_talks(db_session, users)
    page = as_role("agent").get("/pay/statements").get_data(as_text=True)
    assert "0.38" in page and "0.63" in page and "Adjust pay" not in page
    staff = as_role("supervisor").get("/pay/statements?week=2026-W99")
    assert staff.status_code == 422 and "week:" in staff.get_data(as_text=True)


def test_staff_land_on_the_statement_of_the_agent_paid_most_recently(db_session, users, as_role,
                                                                     program):
    supervisor = as_role("supervisor")
    first = users["agent"].agent
    assert f"Pay statement {_week()}: {first.user.display_name}" in supervisor.get(
        "/pay/statements").get_data(as_text=True)  # nobody paid yet: the first agent listed
    later = make_user(db_session, "agent")
    later.agent.programs = [program]  # an agent of the supervisor's program
    db_session.commit()
    _talk(db_session, str(later.agent.id), "x", time.time() - 600, 60)
    page = supervisor.get("/pay/statements").get_data(as_text=True)
    assert f"Pay statement {_week()}: {later.display_name}" in page
