"""The wrap-up codes page: staff edit a queue's codes and mark which count as conversions (what
ROI counts); bad rows are refused naming the field with nothing written; agents are refused."""

from __future__ import annotations

from sqlalchemy import select

from channels.models import DispositionCode
from dispatcher.tables import RoutingQueue
from tests.web_client import csrf_token

PAGE = "/dispositions?queue=claims"


def _queue(session) -> None:
    session.add(RoutingQueue(queue_id="claims", program="acme-claims", data={}))
    session.commit()


def _saved(session) -> list[tuple[str, str, bool]]:
    session.expire_all()
    rows = session.scalars(select(DispositionCode).where(DispositionCode.queue_id == "claims")
                           .order_by(DispositionCode.position))  # fmt: skip
    return [(r.code, r.label, r.is_conversion) for r in rows]


def test_staff_mark_which_wrap_up_codes_count_as_conversions(as_role, db_session, supervising):
    _queue(db_session)
    supervisor = as_role("supervisor")
    page = supervisor.get(PAGE)
    assert page.status_code == 200
    assert 'value="resolved"' in page.get_data(as_text=True)  # the default list, editable
    form = {"csrf_token": csrf_token(supervisor, PAGE), "code-0": "sale", "label-0": "Sale",
            "conversion-0": "on", "code-1": "resolved", "label-1": "Resolved", "code-2": "",
            "label-2": "dropped: no code"}  # fmt: skip
    saved = supervisor.post(PAGE, data=form)
    assert saved.status_code == 302
    assert _saved(db_session) == [("sale", "Sale", True), ("resolved", "Resolved", False)]
    shown = supervisor.get(PAGE).get_data(as_text=True)
    assert 'name="conversion-0" aria-label="Code 1 is a conversion" checked' in shown
    api = supervisor.get("/api/v1/queues/claims/dispositions").json
    assert [(c["code"], c["conversion"]) for c in api["codes"]] == [("sale", True),
                                                                     ("resolved", False)]


def test_a_bad_row_is_refused_naming_it_and_nothing_is_written(as_role, db_session):
    _queue(db_session)
    admin = as_role("admin")
    token = csrf_token(admin, PAGE)
    bad = admin.post(PAGE, data={"csrf_token": token, "code-0": "sale", "conversion-0": "on",
                                 "code-1": "Has Spaces"})  # fmt: skip
    assert bad.status_code == 422
    text = bad.get_data(as_text=True)
    assert "codes.1.code" in text and 'value="Has Spaces"' in text
    twice = admin.post(PAGE, data={"csrf_token": token, "code-0": "a", "code-1": "a"})
    assert twice.status_code == 422 and "is listed twice" in twice.get_data(as_text=True)
    assert _saved(db_session) == []
    assert admin.post(PAGE, data={"code-0": "sale"}).status_code == 400  # no CSRF token
    assert admin.get("/dispositions?queue=nowhere").status_code == 404
    assert _saved(db_session) == []


def test_agents_cannot_edit_wrap_up_codes(as_role, db_session):
    _queue(db_session)
    agent = as_role("agent")
    assert agent.get(PAGE).status_code == 403
    assert agent.post(PAGE, data={"code-0": "sale", "conversion-0": "on"}).status_code in (400,
                                                                                         403)
    assert _saved(db_session) == []
