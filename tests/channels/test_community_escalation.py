"""Community escalation end to end with a live engine: an overdue or urgent question becomes a
routed `community` task, a paid agent answers it from the console socket, the answer is on the
thread under the agent's display name, the task completes and the wallboard counts it."""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from sqlalchemy import select

from agents.models import Program
from channels import escalations
from channels.community_view import community_today
from channels.models import Contact
from community import posts
from community.models import CommunitySettings, Post, PostStatus
from crowdline import demo_community
from database.clock import utcnow
from dispatcher.core.codec import encode
from dispatcher.core.model import Queue
from dispatcher.tables import RoutingTask
from tests.channels.test_chat_flow import agent_socket, task_state
from tests.community.helpers import make_member, make_question
from tests.integration.conftest import fresh_db  # noqa: F401
from tests.waiting import wait_until


def _ask(center, *, minutes_ago: float = 0, urgent: bool = False, title="My router blinks red"):
    with center.sessions.begin() as session:
        program = session.scalar(select(Program).where(Program.code == "acme"))
        member = make_member(session, name="Dana")
        question = make_question(session, program, member, title=title)
        question.is_urgent = urgent
        question.created_at = utcnow() - timedelta(minutes=minutes_ago)
        return question.id


def _escalate(center):
    with center.sessions.begin() as session:
        return escalations.escalate_overdue(session=session)


def _answers_queue(center, *, program_id=None):
    """Escalations of acme go to `answers`, a queue whose SL threshold is an hour."""
    center.command("configure_queue", queue=encode(Queue(
        "answers", program="acme", reservation_timeout=60.0, wrapup_seconds=0.3,
        service_level_seconds=3600.0)))  # fmt: skip
    with center.sessions.begin() as session:
        program = session.scalar(select(Program).where(Program.code == "acme"))
        session.merge(CommunitySettings(program_id=program.id, is_public=True,
                                        escalate_after_minutes=30,
                                        escalation_queue_id="answers"))  # fmt: skip


def test_overdue_question_is_answered_by_a_paid_agent_in_the_console(center):
    _answers_queue(center)
    question_id = _ask(center, minutes_ago=45)
    assert _escalate(center) == [question_id]
    assert _escalate(center) == []  # once
    task_id = escalations.task_id_of(question_id)
    wait_until(lambda: task_state(center, task_id) == "pending")
    with center.sessions() as session:
        assert session.get(RoutingTask, task_id).queue_id == "answers"
    agent, inbox = agent_socket(center, "cat")
    center.available("cat")
    offer = inbox.wait("offer")[0]
    assert offer["task_id"] == task_id and offer["channel"] == "community"
    accepted = agent.emit("accept", {"reservation_id": offer["reservation_id"]},
                          namespace="/agent", callback=True)  # fmt: skip
    assert accepted == {"ok": True, "done": True}
    assigned = inbox.wait("assigned")[0]
    assert assigned["channel"] == "community" and assigned["customer"] == "Dana"
    state = center.logged_in("cat").get("/console/api/state").get_json()
    (card,) = [t for t in state["tasks"] if t["task_id"] == task_id]
    assert card["transcript"][0]["body"].startswith("My router blinks red")

    reply = agent.emit("reply", {"task_id": task_id, "body": "Hold the reset button 10 s."},
                       namespace="/agent", callback=True)  # fmt: skip
    assert reply["ok"], reply
    assert reply["message"]["author"] == "Cat"
    wait_until(lambda: task_state(center, task_id) == "completed")
    with center.sessions() as session:
        question = session.get(Post, question_id)
        (answer,) = posts.thread(session=session, question=question).answers
        assert answer.body == "Hold the reset button 10 s." and answer.author_kind == "agent"
        assert answer.author_name == "Cat" and question.first_answered_at is not None
        (row,) = [r for r in community_today(session=session, now=time.time())
                  if r["program"] == "acme"]  # fmt: skip
        assert row["escalated"] == 1 and row["escalation_sl"] == 1.0


def test_only_urgent_or_overdue_unanswered_visible_questions_are_escalated(center):
    _answers_queue(center)
    fresh = _ask(center, minutes_ago=5)
    urgent = _ask(center, minutes_ago=0, urgent=True)
    overdue = _ask(center, minutes_ago=31)
    answered = _ask(center, minutes_ago=60)
    hidden = _ask(center, minutes_ago=60)
    with center.sessions.begin() as session:
        helper = make_member(session, name="Helpful")
        posts.answer(session=session, question=session.get(Post, answered), author=helper,
                     body="Unplug it for a minute.")  # fmt: skip
        session.get(Post, hidden).status = PostStatus.HIDDEN
    assert sorted(_escalate(center)) == sorted([urgent, overdue])
    with center.sessions() as session:
        assert session.get(Post, fresh).escalated_at is None
        contact = session.get(Contact, escalations.task_id_of(urgent))
        assert contact.channel == "community" and contact.choice == "My router blinks red"
    wait_until(lambda: task_state(center, escalations.task_id_of(urgent)) == "pending")
    with center.sessions() as session:
        assert session.get(RoutingTask, escalations.task_id_of(urgent)).data["priority"] == 1


def test_a_program_without_a_queue_keeps_its_questions_until_it_has_one(center, caplog):
    with center.sessions.begin() as session:
        lonely = Program(code="lonely", name="Lonely", client_name="Lonely Inc")
        session.add(lonely)
        session.flush()
        question = make_question(session, lonely, make_member(session), title="Anyone out there?")
        question.is_urgent = True
        question_id = question.id
    with caplog.at_level(logging.WARNING, logger="channels.escalations"):
        assert question_id not in _escalate(center)
    assert "no queue to escalate to" in caplog.text
    with center.sessions() as session:
        assert session.get(Post, question_id).escalated_at is None


def test_console_answer_to_a_question_hidden_meanwhile_is_refused_and_nothing_is_posted(center):
    _answers_queue(center)
    question_id = _ask(center, urgent=True)
    _escalate(center)
    task_id = escalations.task_id_of(question_id)
    agent, inbox = agent_socket(center, "cat")
    center.available("cat")
    offer = inbox.wait("offer")[0]
    agent.emit("accept", {"reservation_id": offer["reservation_id"]}, namespace="/agent",
               callback=True)  # fmt: skip
    inbox.wait("assigned")
    with center.sessions.begin() as session:
        session.get(Post, question_id).status = PostStatus.HIDDEN
    refused = agent.emit("reply", {"task_id": task_id, "body": "Too late"}, namespace="/agent",
                         callback=True)  # fmt: skip
    assert refused["ok"] is False and refused["error"].startswith("question_id:")
    assert task_state(center, task_id) == "assigned"
    with center.sessions() as session:
        assert session.scalars(select(Post).where(Post.thread_id == question_id,
                                                  Post.id != question_id)).all() == []  # fmt: skip


def test_a_demo_bot_answers_the_escalated_question_it_took_under_its_name(center):
    _answers_queue(center)
    question_id = _ask(center, urgent=True)
    _escalate(center)
    task_id = escalations.task_id_of(question_id)
    agent, inbox = agent_socket(center, "cat")
    center.available("cat")
    offer = inbox.wait("offer")[0]
    agent.emit("accept", {"reservation_id": offer["reservation_id"]}, namespace="/agent",
               callback=True)  # fmt: skip
    inbox.wait("assigned")
    with center.sessions.begin() as session:
        demo_community.bot_answer(session, task_id, center.agents["cat"][0])
    wait_until(lambda: task_state(center, task_id) == "completed")
    with center.sessions() as session:
        (answer,) = posts.thread(session=session, question=session.get(Post, question_id)).answers
        assert answer.author_name == "Cat" and answer.author_kind == "agent"


def test_the_scheduled_job_escalates_overdue_questions_once(center):
    _answers_queue(center)
    question_id = _ask(center, minutes_ago=90)
    job = escalations.EscalationJob(sessions=center.sessions)
    assert job.run_once() == [question_id]
    assert job.run_once() == []
    wait_until(lambda: task_state(center, escalations.task_id_of(question_id)) == "pending")
