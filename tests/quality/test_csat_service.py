"""CSAT on a real session: offered once, answered once, ratings outside 1–5 refused with
nothing written, the figures per program, queue and agent, and the answers ROI reads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from channels import entry_points
from channels.models import Contact
from quality import csat
from quality import settings as quality_settings
from quality.errors import QualityError
from tests.factories import make_program

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def program(db_session):
    program = make_program(db_session, code="acme")
    entry_points.save(session=db_session, address="web:acme", program_code="acme",
                      queue_id="web")  # fmt: skip
    quality_settings.save(session=db_session, program_id=program.id,
                          values={"chat_survey": True})  # fmt: skip
    return program


def chat(db_session, task_id: str, agent_id: str | None = "7") -> Contact:
    entry = entry_points.get_by_address(session=db_session, address="web:acme")
    contact = Contact(task_id=task_id, channel="web", entry_point_id=entry.id, customer="Dana",
                      queue_id="web", agent_id=agent_id)  # fmt: skip
    db_session.add(contact)
    db_session.flush()
    return contact


def test_a_survey_is_offered_once_and_answered_once(db_session, program):
    contact = chat(db_session, "WC1")
    assert csat.offer(session=db_session, contact=contact, now=T0) is not None
    assert csat.offer(session=db_session, contact=contact, now=T0) is None
    answered = csat.answer(session=db_session, task_id="WC1", rating="4", comment=" ok ",
                           now=T0 + timedelta(minutes=1))  # fmt: skip
    assert (answered.rating, answered.comment) == (4, "ok")
    with pytest.raises(QualityError) as again:
        csat.answer(session=db_session, task_id="WC1", rating=1, now=T0)
    assert (again.value.field, again.value.status) == ("task_id", 409)
    assert csat.get(session=db_session, task_id="WC1").rating == 4


@pytest.mark.parametrize("rating", [0, 6, -1, 4.5, "x", "", None, True, [4]])
def test_a_rating_outside_1_to_5_names_the_field_and_writes_nothing(db_session, program, rating):
    contact = chat(db_session, "WC2")
    csat.offer(session=db_session, contact=contact, now=T0)
    with pytest.raises(QualityError) as refused:
        csat.answer(session=db_session, task_id="WC2", rating=rating, now=T0)
    assert refused.value.field == "rating" and refused.value.status == 422
    assert csat.get(session=db_session, task_id="WC2").rating is None


def test_no_survey_without_an_agent_or_when_the_program_asks_none(db_session, program):
    assert csat.offer(session=db_session, contact=chat(db_session, "WC3", None), now=T0) is None
    quality_settings.save(session=db_session, program_id=program.id,
                          values={"chat_survey": False})  # fmt: skip
    assert csat.offer(session=db_session, contact=chat(db_session, "WC4"), now=T0) is None
    with pytest.raises(QualityError) as missing:
        csat.answer(session=db_session, task_id="WC4", rating=5, now=T0)
    assert (missing.value.field, missing.value.status) == ("task_id", 404)


def test_figures_per_program_queue_and_agent_and_answers_in_a_window(db_session, program):
    for n, (agent, rating) in enumerate([("7", 5), ("7", 2), ("8", 4), ("8", None)]):
        contact = chat(db_session, f"WC{10 + n}", agent)
        csat.offer(session=db_session, contact=contact, now=T0)
        if rating is not None:
            csat.answer(session=db_session, task_id=contact.task_id, rating=rating,
                        now=T0 + timedelta(minutes=n))  # fmt: skip
    board = csat.board(session=db_session, start=T0, end=T0 + timedelta(days=1))
    expected = {
        "id": "acme",
        "offered": 4,
        "answered": 3,
        "response_rate": 0.75,
        "average": 11 / 3,
        "csat": 2 / 3,
    }
    assert board["programs"] == [expected]
    agents = {a["id"]: a for a in board["agents"]}
    assert (agents["7"]["csat"], agents["8"]["response_rate"]) == (0.5, 0.5)
    window = csat.responses(db_session, program.id, T0 + timedelta(minutes=1),
                            T0 + timedelta(minutes=2))  # fmt: skip
    assert [(r.task_id, r.rating, r.agent_id) for r in window] == [("WC11", 2, "7")]
    assert len(csat.responses(db_session, None, T0, T0 + timedelta(hours=1))) == 3


@pytest.mark.parametrize("values, field", [
    ({"weights": {"qa": 50, "csat": 40}}, "weights"),
    ({"weights": {"qa": 100, "speed": 0}}, "weights"),
    ({"retention_days": 0}, "retention_days"),
    ({"voice_survey": "yes"}, "voice_survey"),
    ({"colour": "red"}, "colour"),
])  # fmt: skip
def test_bad_settings_name_the_field_and_change_nothing(db_session, program, values, field):
    with pytest.raises(QualityError) as refused:
        quality_settings.save(session=db_session, program_id=program.id, values=values)
    assert refused.value.field == field
    kept = quality_settings.get(session=db_session, program_id=program.id)
    assert kept.chat_survey is True and sum(kept.weights.values()) == 100
