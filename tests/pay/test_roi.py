"""ROI per program: every figure recounted independently from the event log, the contacts,
the call legs, the survey answers and the pay ledger of a day of real traffic through the
engine."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select

from agents.models import Program, User
from channels.models import CallLeg, Contact
from crowdline.settings import Settings
from database.clock import utc
from dispatcher.core.codec import decode_event
from dispatcher.tables import RoutingEvent
from pay.models import PayEntry
from quality import access, csat
from quality.models import Survey
from tests.factories import make_program, make_user
from tests.web_client import csrf_token, login
from web.app import create_app
from web.extensions import limiter

CENT = Decimal("0.01")


def _traffic(floor):
    """Four calls: three talked (one wrapped up "sale", the code staff mark as a conversion),
    one abandoned while waiting with the agent on a break; contacts and call legs as the carrier
    leaves them."""
    (ann,) = floor.agents
    floor.status(ann, "available")
    outcomes = []
    with floor.sessions.begin() as session:
        session.scalar(select(Program).where(Program.code == "acme")).revenue_per_conversion = (
            Decimal("25.00"))  # fmt: skip
    for n, (talk, code) in enumerate([(95, "sale"), (40, "resolved"), (61.5, "resolved")]):
        task = f"t{n}"
        created = floor.clock.now()
        floor.call(task)
        floor.clock.advance(4 + n)
        floor.accept(task)
        floor.clock.advance(talk)
        floor.submit(("wrap_up", {"task_id": task}))
        floor.clock.advance(30)
        floor.engine.step()
        outcomes.append((task, code, created, floor.clock.now()))
    floor.status(ann, "break")
    floor.call("gone")
    floor.clock.advance(12)
    floor.submit(("abandon", {"task_id": "gone"}))
    with floor.sessions.begin() as session:
        for task, code, created, ended in outcomes:
            session.add(Contact(task_id=task, channel="voice", queue_id="claims", customer="c",
                                disposition=code, created_at=utc(created), ended_at=utc(ended)))
        session.flush()
        for task, _code, created, ended in outcomes:
            session.add(CallLeg(call_sid=f"CA{task}", task_id=task, role="caller",
                                created_at=utc(created), ended_at=utc(ended)))
        session.add(Contact(task_id="gone", channel="voice", queue_id="claims",
                            created_at=utc(ended), ended_at=utc(ended + 12)))  # fmt: skip
    _surveys(floor, [task for task, *_ in outcomes])


def _surveys(floor, tasks):
    """Surveys after the three talked calls, answered 5 and 2, the third left unanswered; a
    satisfied answer of another program's contact that must not count."""
    now = utc(floor.clock.now())
    with floor.sessions.begin() as session:
        acme = session.scalar(select(Program.id).where(Program.code == "acme"))
        other = make_program(session, code="other").id
        session.add(Contact(task_id="elsewhere", channel="web", queue_id="sales", customer="c",
                            created_at=now, ended_at=now))  # fmt: skip
        session.flush()
        session.add(Survey(task_id="elsewhere", program_id=other, queue_id="sales",
                           channel="web", offered_at=now))  # fmt: skip
        for task in tasks:
            session.add(Survey(task_id=task, program_id=acme, queue_id="claims",
                               channel="voice", offered_at=now))  # fmt: skip
        session.flush()
        for task, rating in ((tasks[0], 5), (tasks[1], "2"), ("elsewhere", 4)):
            csat.answer(session=session, task_id=task, rating=rating, now=now)


def _recount(floor, rates):
    """The figures folded by hand from the raw rows."""
    with floor.sessions() as session:
        events = [decode_event(d) for d in session.scalars(
            select(RoutingEvent.data).order_by(RoutingEvent.position))]  # fmt: skip
        entries = list(session.scalars(select(PayEntry)))
        legs = list(session.scalars(select(CallLeg)))
        acme = session.scalar(select(Program.id).where(Program.code == "acme"))
        ratings = list(session.scalars(select(Survey.rating).where(
            Survey.program_id == acme, Survey.rating.is_not(None))))  # fmt: skip
    created = {e.task_id: e.at for e in events if e.name == "TaskCreated"}
    assigned = {e.task_id: e.at for e in events if e.name == "TaskAssigned"}
    waits = [e.waited for e in events if e.name == "TaskAssigned"]
    completed = {e.task_id: e.at for e in events if e.name == "TaskCompleted"}
    abandoned = [e for e in events if e.name == "TaskCanceled"]
    handle = [completed[t] - assigned[t] for t in completed]
    agent_cost = sum(e.amount for e in entries)
    minutes = sum(Decimal(repr((leg.ended_at - leg.created_at).total_seconds())) / 60
                  for leg in legs)  # fmt: skip
    telephony = (minutes * rates["voice"]).quantize(CENT, rounding=ROUND_HALF_UP)
    cost = agent_cost + telephony
    return {
        "contacts": len(created), "answered": len(assigned), "abandoned": len(abandoned),
        "service_level": len(assigned) / (len(assigned) + len(abandoned)),  # all within 20 s
        "asa": sum(waits) / len(waits), "abandonment": len(abandoned) / len(created),
        "aht": sum(handle) / len(handle), "conversions": 1,
        "csat": sum(r >= 4 for r in ratings) / len(ratings), "csat_responses": len(ratings),
        "agent_cost": str(agent_cost), "telephony_cost": str(telephony), "cost": str(cost),
        "cost_per_contact": str((cost / 3).quantize(CENT, rounding=ROUND_HALF_UP)),
        "revenue": "25.00", "margin": str(Decimal("25.00") - cost),
    }  # fmt: skip


def test_every_roi_figure_is_recounted_from_the_event_log_and_the_ledger(floor_factory, tmp_path):
    floor = floor_factory(rates=("0.30",))
    _traffic(floor)
    rates = {"voice": Decimal("0.0200"), "sms": Decimal("0"), "whatsapp": Decimal("0"),
             "web": Decimal("0")}  # fmt: skip
    settings = Settings(database_url=str(floor.db.url), secret_key="test-secret-key-0123456789ab",
                        instance_path=tmp_path, embedded=False, testing=True,
                        telephony_rates=rates)  # fmt: skip
    app = create_app(settings, session_factory=floor.sessions)
    limiter.reset()
    with floor.sessions.begin() as session:
        supervisor = make_user(session, "supervisor")
        program = session.scalar(select(Program).where(Program.code == "acme"))
        access.assign(session=session, program_id=program.id, user=supervisor, duty="supervisor")
        email = supervisor.email
    client = app.test_client()
    assert login(client, email).status_code == 302
    codes = {"codes": [{"code": "sale", "label": "Sale", "conversion": True},
                       {"code": "resolved", "label": "Resolved"}]}  # staff mark the sale
    marked = client.put("/api/v1/queues/claims/dispositions", json=codes,
                        headers={"X-CSRFToken": csrf_token(client, "/reports/roi")})  # fmt: skip
    assert marked.status_code == 200, marked.json
    day = datetime.fromtimestamp(floor.clock.now(), UTC).date()
    got = client.get(f"/api/v1/reports/roi?program=acme&from={day - timedelta(days=1)}&to={day}")
    assert got.status_code == 200, got.json
    report = got.json
    assert report["from"] == str(day - timedelta(days=1)) and report["to"] == str(day)
    expected = _recount(floor, rates)
    for name, value in expected.items():
        assert report["total"][name] == value, name
        assert report["days"][-1][name] == value, name
    assert report["days"][0]["contacts"] == 0 and report["days"][0]["cost"] == "0.00"
    assert report["weeks"][-1]["cost"] == expected["cost"] or len(report["weeks"]) == 2
    assert Decimal(expected["agent_cost"]) > 0 and Decimal(expected["telephony_cost"]) > 0
    assert expected["csat"] == 0.5 and expected["csat_responses"] == 2
    assert report["days"][0]["csat"] is None and report["days"][0]["csat_responses"] == 0
    assert report["weeks"][-1]["csat"] == 0.5
    with floor.sessions() as session:
        assert session.scalar(select(User).where(User.email == email)) is not None
