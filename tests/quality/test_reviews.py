"""QA on a real session: scorecards (weights summing to 100, versions), the weekly random
sample of N contacts per agent, scoring with auto-fail, the agent's acknowledgement, who sees
which review, and the calibration report's spread per question."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from random import Random

import pytest

from quality import access, calibration, reviews, scorecards
from quality import settings as quality_settings
from quality.errors import QualityError
from quality.reviews import Handled
from tests.factories import make_program, make_user

MONDAY = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)
FORM = [
    {
        "title": "Opening",
        "questions": [
            {"id": "greeting", "text": "Greets and names the program", "weight": 20},
            {"id": "verify", "text": "Verifies the caller", "weight": 30, "auto_fail": True},
        ],
    },
    {
        "title": "Resolution",
        "questions": [{"id": "resolved", "text": "Resolves the request", "weight": 50}],
    },
]


@pytest.fixture
def world(db_session):
    program = make_program(db_session, code="acme")
    quality_settings.save(session=db_session, program_id=program.id, values={"sample_per_agent": 2})
    card = scorecards.save(session=db_session, program_id=program.id, name="Calls", sections=FORM)
    agent = make_user(db_session, "agent")
    agent.agent.programs = [program]
    reviewer, other = make_user(db_session, "supervisor"), make_user(db_session, "supervisor")
    access.assign(session=db_session, program_id=program.id, user=reviewer, duty="reviewer")
    return {"program": program, "card": card, "agent": agent, "reviewer": reviewer, "other": other}


def _contacts(db_session, world, n: int, agent_id: str | None = None) -> list[Handled]:
    from channels import entry_points
    from channels.models import Contact

    entry = entry_points.get_by_address(session=db_session, address="web:qa") or entry_points.save(
        session=db_session, address="web:qa", program_code="acme", queue_id="web"
    )
    agent_id = agent_id or str(world["agent"].agent.id)
    made = []
    for k in range(n):
        task_id = f"WC{agent_id}x{k}"
        db_session.add(
            Contact(
                task_id=task_id,
                channel="web",
                entry_point_id=entry.id,
                agent_id=agent_id,
                outcome="answered",
                created_at=MONDAY + timedelta(hours=k),
            )
        )
        made.append(Handled(task_id, agent_id, world["program"].id))
    db_session.flush()
    return made


@pytest.mark.parametrize(
    "sections, field",
    [
        ([{"title": "A", "questions": [{"id": "a", "text": "A", "weight": 60}]}], "sections"),
        (
            [
                {
                    "title": "A",
                    "questions": [
                        {"id": "a", "text": "A", "weight": 50},
                        {"id": "a", "text": "B", "weight": 50},
                    ],
                }
            ],
            "sections[0].questions[1].id",
        ),
        ([{"title": "", "questions": []}], "sections[0].title"),
        (
            [{"title": "A", "questions": [{"id": "a", "text": "A", "weight": True}]}],
            "sections[0].questions[0].weight",
        ),
        ([], "sections"),
    ],
)
def test_a_scorecard_whose_weights_do_not_sum_to_100_is_refused(db_session, world, sections, field):
    with pytest.raises(QualityError) as refused:
        scorecards.save(
            session=db_session, program_id=world["program"].id, name="Calls", sections=sections
        )
    assert refused.value.field == field
    assert scorecards.active(session=db_session, program_id=world["program"].id).version == 1


def test_saving_a_scorecard_again_makes_its_next_version(db_session, world):
    again = scorecards.save(
        session=db_session, program_id=world["program"].id, name="Calls", sections=FORM
    )
    assert again.version == 2
    assert scorecards.active(session=db_session, program_id=world["program"].id).id == again.id


def test_each_week_a_random_sample_of_n_contacts_per_agent_is_queued_once(db_session, world):
    handled = _contacts(db_session, world, 5) + _contacts(db_session, world, 1, agent_id="99")
    source = lambda session, start, end: [h for h in handled]  # noqa: E731
    queued = reviews.sample_week(
        session=db_session,
        week_start=MONDAY + timedelta(days=3),
        handled=source,
        rng=Random(1),
        now=MONDAY,
    )
    assert queued == 3  # two of the agent's five, the other agent's only one
    again = reviews.sample_week(
        session=db_session, week_start=MONDAY, handled=source, rng=Random(2), now=MONDAY
    )
    assert again == 0
    queue = reviews.visible(session=db_session, user=world["reviewer"], status="queued")
    assert {r.week for r in queue} == {"2026-W49"}
    assert sorted(r.agent_id for r in queue).count(str(world["agent"].agent.id)) == 2


def _one_review(db_session, world):
    handled = _contacts(db_session, world, 1)
    reviews.sample_week(
        session=db_session, week_start=MONDAY, handled=lambda *a: handled, rng=Random(1), now=MONDAY
    )
    return reviews.visible(session=db_session, user=world["reviewer"], status="queued")[0]


def test_scoring_weighs_the_answers_and_an_auto_fail_item_scores_zero(db_session, world):
    review = _one_review(db_session, world)
    with pytest.raises(QualityError) as missing:
        reviews.score(
            session=db_session,
            review_id=review.id,
            reviewer=world["reviewer"],
            answers={"greeting": "yes"},
            now=MONDAY,
        )
    assert missing.value.field == "answers.verify" and review.status == "queued"
    scored = reviews.score(
        session=db_session,
        review_id=review.id,
        reviewer=world["reviewer"],
        answers={"greeting": "na", "verify": "yes", "resolved": "no"},
        now=MONDAY,
    )
    assert (scored.score, scored.auto_failed, scored.status) == (37.5, False, "scored")
    with pytest.raises(QualityError) as twice:
        reviews.score(
            session=db_session,
            review_id=review.id,
            reviewer=world["reviewer"],
            answers={"greeting": "yes", "verify": "yes", "resolved": "yes"},
            now=MONDAY,
        )
    assert twice.value.status == 409
    card = world["card"]
    assert scorecards.score(card, {"greeting": "yes", "verify": "no", "resolved": "yes"}) == (
        0.0,
        True,
    )


def test_agents_see_and_acknowledge_only_their_own_scored_reviews(db_session, world):
    review = _one_review(db_session, world)
    agent = world["agent"]
    assert reviews.visible(session=db_session, user=agent) == []  # queued: not shown yet
    reviews.score(
        session=db_session,
        review_id=review.id,
        reviewer=world["reviewer"],
        answers={"greeting": "yes", "verify": "yes", "resolved": "yes"},
        now=MONDAY,
    )
    assert [r.id for r in reviews.visible(session=db_session, user=agent)] == [review.id]
    with pytest.raises(QualityError) as other_agent:
        reviews.visible(session=db_session, user=agent, agent_id="99")
    assert other_agent.value.status == 403
    stranger = make_user(db_session, "agent")
    with pytest.raises(QualityError):
        reviews.acknowledge(session=db_session, review_id=review.id, agent=stranger, now=MONDAY)
    done = reviews.acknowledge(session=db_session, review_id=review.id, agent=agent, now=MONDAY)
    assert done.status == "acknowledged"
    assert reviews.visible(session=db_session, user=world["other"]) == []  # not their program
    with pytest.raises(QualityError) as outsider:
        reviews.score(
            session=db_session, review_id=review.id, reviewer=world["other"], answers={}, now=MONDAY
        )
    assert outsider.value.status == 403


def test_calibration_shows_the_spread_per_question(db_session, world):
    handled = _contacts(db_session, world, 1)[0]
    second = make_user(db_session, "admin")
    made = calibration.assign(
        session=db_session,
        task_id=handled.task_id,
        agent_id=handled.agent_id,
        program_id=world["program"].id,
        reviewers=[world["reviewer"], second],
        now=MONDAY,
    )
    for review, answers in zip(
        made,
        [
            {"greeting": "yes", "verify": "yes", "resolved": "yes"},
            {"greeting": "no", "verify": "yes", "resolved": "yes"},
        ],
        strict=True,
    ):
        user = world["reviewer"] if review.reviewer_user_id == world["reviewer"].id else second
        reviews.score(
            session=db_session, review_id=review.id, reviewer=user, answers=answers, now=MONDAY
        )
    report = calibration.report(session=db_session, task_id=handled.task_id)
    spread = {q["id"]: q["spread"] for q in report["questions"]}
    assert spread == {"greeting": 20, "verify": 0, "resolved": 0}
    assert report["score_spread"] == 20.0
    with pytest.raises(QualityError) as alone:
        calibration.assign(
            session=db_session,
            task_id=handled.task_id,
            agent_id="1",
            program_id=world["program"].id,
            reviewers=[second],
            now=MONDAY,
        )
    assert alone.value.field == "reviewer_ids"
