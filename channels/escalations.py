"""Community escalation: a question unanswered `escalate_after_minutes` after it was asked
(per program), or marked urgent, becomes a routed task of channel `community` (task id
`community-<question id>`, once) on the program's escalation queue, so only agents certified
for that queue are offered it. The agent's answer is posted to the thread as theirs and ends
the conversation (the engine's wrap-up, then completion). Functions never commit."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from agents.models import Program, User
from channels import contacts
from channels.models import Contact
from community import posts
from community.errors import NotFound
from community.models import Post, PostKind, PostStatus
from database.clock import SYSTEM, Clock, utcnow
from dispatcher.tables import RoutingQueue

log = logging.getLogger(__name__)
CHANNEL = "community"
TASK_PREFIX = "community-"
URGENT_PRIORITY = 1  # urgent questions go ahead of the others in the queue
BATCH = 200  # questions escalated per program per run at most (the next run takes the rest)


def task_id_of(question_id: int) -> str:
    return f"{TASK_PREFIX}{question_id}"


def question_id_of(task_id: str) -> int | None:
    digits = task_id.removeprefix(TASK_PREFIX)
    return int(digits) if task_id.startswith(TASK_PREFIX) and digits.isdigit() else None


def escalation_queue(*, session: Session, program: Program) -> str | None:
    """The program's configured escalation queue if the engine knows it, else the program's
    first queue by id; None when the program has no queue."""
    configured = posts.settings_for(session=session, program_id=program.id).escalation_queue_id
    if configured and session.get(RoutingQueue, configured) is not None:
        return configured
    return session.scalar(select(RoutingQueue.queue_id).where(RoutingQueue.program == program.code)
                          .order_by(RoutingQueue.queue_id).limit(1))  # fmt: skip


def overdue(*, session: Session, program: Program, clock: Clock = SYSTEM) -> list[Post]:
    """Visible questions of `program` with no answer and no escalation yet, that are urgent or
    older than the program's `escalate_after_minutes`; oldest first."""
    minutes = posts.settings_for(session=session, program_id=program.id).escalate_after_minutes
    cutoff = utcnow(clock) - timedelta(minutes=minutes)
    return list(session.scalars(
        select(Post).where(
            Post.program_id == program.id, Post.kind == PostKind.QUESTION,
            Post.status == PostStatus.VISIBLE, Post.first_answered_at.is_(None),
            Post.escalated_at.is_(None), or_(Post.is_urgent.is_(True), Post.created_at <= cutoff),
        ).order_by(Post.created_at, Post.id).limit(BATCH)
    ))  # fmt: skip


def escalate(*, session: Session, question: Post, queue_id: str, clock: Clock = SYSTEM) -> bool:
    """Hand `question` to the engine as a `community` task on `queue_id` (once); False when it
    had been escalated already."""
    if question.escalated_at is not None:
        return False
    contact, _ = contacts.open_chat(
        session=session, task_id=task_id_of(question.id), channel=CHANNEL, entry=None,
        customer=question.author_name,
    )
    contact.choice = (question.title or "")[:120]
    question.escalated_at = utcnow(clock)
    return contacts.enqueue(session=session, contact=contact, queue_id=queue_id, clock=clock,
                            priority=URGENT_PRIORITY if question.is_urgent else 0)  # fmt: skip


def escalate_overdue(*, session: Session, clock: Clock = SYSTEM) -> list[int]:
    """Escalate every overdue question of every active program; the ids escalated."""
    done: list[int] = []
    for program in session.scalars(select(Program).where(Program.is_active.is_(True))):
        waiting = overdue(session=session, program=program, clock=clock)
        if not waiting:
            continue
        queue_id = escalation_queue(session=session, program=program)
        if queue_id is None:
            log.warning("community of %s: %d overdue question(s) but no queue to escalate to",
                        program.code, len(waiting))  # fmt: skip
            continue
        for question in waiting:
            if escalate(session=session, question=question, queue_id=queue_id, clock=clock):
                done.append(question.id)
    return done


def question_of(*, session: Session, contact: Contact) -> Post:
    question_id = question_id_of(contact.task_id)
    if contact.channel != CHANNEL or question_id is None:
        raise NotFound("task_id: not a community question", field="task_id")
    return posts.question_or_raise(session=session, question_id=question_id)


def _line(post: Post, task_id: str) -> dict:
    """A thread post in the shape of a chat line (channels.contacts.message_json)."""
    kind = post.author_kind
    return {"id": post.id, "task_id": task_id, "author": post.author_name, "body": post.body,
            "author_kind": "customer" if kind in ("member", "super user") else "agent",
            "at": post.created_at.isoformat() if post.created_at else None}  # fmt: skip


def transcript(*, session: Session, contact: Contact) -> list[dict]:
    """The thread as the agent's console shows it: the question (title and body), then its
    visible answers, oldest first."""
    try:
        question = question_of(session=session, contact=contact)
    except NotFound:
        return []
    head = _line(question, contact.task_id)
    head["body"] = f"{question.title}\n\n{question.body}"
    answers = posts.thread(session=session, question=question).answers
    answers.sort(key=lambda a: (a.created_at, a.id))
    return [head] + [_line(a, contact.task_id) for a in answers]


def answer(*, session: Session, contact: Contact, user: User, body: str,
           clock: Clock = SYSTEM) -> dict:  # fmt: skip
    """Post the agent's answer to the thread under their display name (the post's author is
    their roster user) and end the conversation; the answer as a console line."""
    question = question_of(session=session, contact=contact)
    reply = posts.answer(session=session, question=question, author=user, body=body, clock=clock)
    contacts.wrap_up(session=session, task_id=contact.task_id, clock=clock)
    return _line(reply, contact.task_id)



class EscalationJob:
    """`register(scheduler)` is one of the engine runner's job callables (crowdline.wiring):
    every `every` seconds, overdue questions become community tasks, beside the active engine
    only, so none is escalated twice."""

    def __init__(self, *, sessions, every: float = 30.0, clock: Clock = SYSTEM) -> None:
        self.sessions = sessions
        self.every = every
        self.clock = clock

    def register(self, scheduler) -> None:
        scheduler.add_job(self.run_once, "interval", seconds=self.every, id="community-escalate",
                          replace_existing=True, coalesce=True, max_instances=1)  # fmt: skip

    def run_once(self) -> list[int]:
        with self.sessions.begin() as session:
            contacts.begin_write(session)
            escalated = escalate_overdue(session=session, clock=self.clock)
        if escalated:
            log.info("escalated %d community question(s) to paid agents", len(escalated))
        return escalated
