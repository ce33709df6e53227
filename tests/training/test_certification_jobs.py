"""Expiry, reminders, revocation and the skills port, driven by an injected clock."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from agents import roster
from agents.models import AgentLanguage, AuditEntry, Stage
from training import certification, events, jobs
from training.errors import AttemptRefused, InvalidValue
from training.models import Certification
from training.skills import skills_at

from .helpers import pass_course


@pytest.fixture
def certified(db_session, agent, course, clock, users):
    """The agent passed the demo course, speaks en and es, and a supervisor activated them."""
    agent.languages = [AgentLanguage(language="en"), AgentLanguage(language="es")]
    pass_course(db_session, agent, course, clock)
    roster.change_stage(
        session=db_session, actor=users["supervisor"], agent=agent, to_stage=Stage.ACTIVE
    )
    db_session.flush()
    return db_session.scalar(select(Certification).where(Certification.agent_id == agent.id))


def test_an_active_certified_agent_holds_the_program_skill(db_session, certified, clock):
    (skill,) = skills_at(session=db_session, agent_id=certified.agent_id, at=clock())
    assert skill.code == "acme-claims" and skill.proficiency == certified.proficiency
    assert skill.languages == {"en", "es"} and skill.expires_at == certified.expires_at


def test_certified_but_not_yet_activated_holds_no_skill(db_session, agent, course, clock):
    pass_course(db_session, agent, course, clock)
    assert agent.stage is Stage.CERTIFIED
    assert skills_at(session=db_session, agent_id=agent.id, at=clock()) == []


def test_expiry_removes_the_skill_at_once_even_before_the_job_runs(db_session, certified):
    just_before = certified.expires_at - timedelta(microseconds=1)
    assert skills_at(session=db_session, agent_id=certified.agent_id, at=just_before)
    assert skills_at(session=db_session, agent_id=certified.agent_id, at=certified.expires_at) == []


def test_revocation_removes_the_skill_at_once_and_is_audited(db_session, certified, clock, users):
    certification.revoke(
        session=db_session, certification=certified, actor=users["supervisor"],
        reason="Failed a compliance call review", now=clock(),
    )  # fmt: skip
    assert skills_at(session=db_session, agent_id=certified.agent_id, at=clock()) == []
    entry = db_session.scalar(select(AuditEntry).where(AuditEntry.action == "certification.revoke"))
    assert entry.reason == "Failed a compliance call review"
    assert entry.actor_user_id == users["supervisor"].id
    last = events.list_events(session=db_session, agent_id=certified.agent_id)[-1]
    assert (last.kind, last.certification_id, last.program_id) == (
        events.REVOKED, certified.id, certified.version.course.program_id,
    )  # fmt: skip


def test_suspension_and_program_removal_remove_the_skill_and_are_announced(
    db_session, certified, clock, users
):
    agent = certified.agent
    roster.update_agent(
        session=db_session, actor=users["supervisor"], agent=agent, changes={"programs": []}
    )
    db_session.flush()
    assert skills_at(session=db_session, agent_id=agent.id, at=clock()) == []
    last = events.list_events(session=db_session, agent_id=agent.id)[-1]
    assert last.kind == events.PROFILE_CHANGED and last.payload["after"] == {"programs": []}

    roster.update_agent(
        session=db_session, actor=users["supervisor"], agent=agent,
        changes={"programs": ["acme-claims"]},
    )  # fmt: skip
    roster.change_stage(
        session=db_session, actor=users["supervisor"], agent=agent, to_stage=Stage.SUSPENDED,
        reason="no-show",
    )  # fmt: skip
    db_session.flush()
    assert skills_at(session=db_session, agent_id=agent.id, at=clock()) == []
    kinds = [e.kind for e in events.list_events(session=db_session, agent_id=agent.id)]
    assert kinds[-2:] == [events.PROFILE_CHANGED, events.PROFILE_CHANGED]


def test_revocation_needs_a_reason_and_happens_once(db_session, certified, clock, users):
    with pytest.raises(InvalidValue, match="reason"):
        certification.revoke(
            session=db_session, certification=certified, actor=users["supervisor"], reason=" "
        )
    certification.revoke(
        session=db_session, certification=certified, actor=users["supervisor"], reason="x"
    )
    with pytest.raises(AttemptRefused):
        certification.revoke(
            session=db_session, certification=certified, actor=users["supervisor"], reason="y"
        )


def test_the_expiry_job_announces_each_expiry_once(db_session, certified, clock):
    clock.now = certified.expires_at - timedelta(seconds=1)
    assert certification.expire_overdue(session=db_session, now=clock()) == []
    clock.advance(seconds=1)
    assert certification.expire_overdue(session=db_session, now=clock()) == [certified]
    assert certification.expire_overdue(session=db_session, now=clock.advance(hours=1)) == []
    kinds = [e.kind for e in events.list_events(session=db_session, agent_id=certified.agent_id)]
    assert kinds.count(events.EXPIRED) == 1


def test_a_reminder_goes_out_once_reminder_days_before_expiry(db_session, certified, clock):
    window_opens = certified.expires_at - timedelta(days=certified.version.reminder_days)
    clock.now = window_opens - timedelta(minutes=1)
    assert certification.send_reminders(session=db_session, now=clock()) == []
    clock.now = window_opens
    assert certification.send_reminders(session=db_session, now=clock()) == [certified]
    assert certification.send_reminders(session=db_session, now=clock.advance(days=1)) == []
    assert certified.reminded_at == window_opens


def test_no_reminder_for_a_certification_already_renewed(db_session, certified, course, clock):
    window_opens = certified.expires_at - timedelta(days=certified.version.reminder_days)
    clock.now = window_opens  # the agent recertifies before the reminder job came round
    pass_course(db_session, certified.agent, course, clock)
    assert certified.superseded_at is not None
    assert certification.send_reminders(session=db_session, now=clock.advance(hours=1)) == []
    assert skills_at(session=db_session, agent_id=certified.agent_id, at=certified.expires_at)


def test_jobs_register_on_a_scheduler_without_starting_it(session_factory, certified, clock):
    from apscheduler.schedulers.background import BackgroundScheduler

    scheduler = BackgroundScheduler(timezone="UTC")
    jobs.register_jobs(scheduler, session_factory, clock=clock)
    assert {job.id for job in scheduler.get_jobs()} == {jobs.EXPIRY_JOB_ID, jobs.REMINDER_JOB_ID}
    assert not scheduler.running


def test_job_runs_commit_their_own_transaction(session_factory, db_session, certified, clock):
    db_session.commit()
    clock.now = certified.expires_at - timedelta(days=certified.version.reminder_days)
    assert jobs.run_reminders(session_factory, clock) == 1
    assert jobs.run_reminders(session_factory, clock) == 0
    clock.now = certified.expires_at
    assert jobs.run_expiry(session_factory, clock) == 1
    assert jobs.run_expiry(session_factory, clock) == 0
