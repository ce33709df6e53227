"""The living demo's community: seeded members (one super user), questions with answers (one
accepted, one official), and simulated members who keep asking, answering, voting, flagging
and reporting deflection verdicts, so /community/<program>, the widget's suggestions and the
dashboard's community card are alive."""

from __future__ import annotations

import logging
import random
import threading

from sqlalchemy import select
from sqlalchemy.orm import Session

from agents.models import Agent, Program
from agents.passwords import hash_password
from channels import escalations
from channels.models import Contact
from community import deflection, flags, posts
from community.models import Member, Post, PostKind
from database.base import utcnow

log = logging.getLogger(__name__)
DOMAIN = "members.demo.example.com"
SUPER_USER = f"sam@{DOMAIN}"
NAMES = ("Sam Super", "Ana", "Ben", "Chloe", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jo")
THREADS = (
    (
        "How do I file a claim after a storm?",
        "A tree fell on my roof last night.",
        "File online under **Claims → New claim** and add photos of the damage.",
    ),
    (
        "Where can I see the status of my claim?",
        "I filed last week and heard nothing.",
        "Sign in and open *My claims*: each claim shows its stage and your adjuster's name.",
    ),
    (
        "Does my policy cover water damage from a burst pipe?",
        "Kitchen pipe burst.",
        "Sudden bursts usually are covered, slow leaks are not (policy section 4).",
    ),
    (
        "How long does a payout take once approved?",
        "The adjuster approved it yesterday.",
        "Usually 3-5 business days by bank transfer.",
    ),
    ("Can I change my adjuster?", "Mine does not answer.", None),
)
ASKED = (
    ("My claim number was rejected online", "It says invalid format."),
    ("Do I need a police report for a stolen bike?", "It was taken from my garage."),
    ("How do I upload more photos to a claim?", "I found more damage today."),
)


def seed_community(*, session: Session, program_code: str, password: str) -> None:
    """Members (password: the demo's), threads; running it again adds nothing."""
    program = session.scalar(select(Program).where(Program.code == program_code))
    if program is None or session.scalar(select(Member).where(Member.email == SUPER_USER)):
        return
    locked = hash_password(password)
    crowd = []
    for n, name in enumerate(NAMES):
        email = SUPER_USER if n == 0 else f"{name.lower()}@{DOMAIN}"
        crowd.append(
            Member(
                email=email,
                display_name=name,
                password_hash=locked,
                verified_at=utcnow(),
                is_super_user=n == 0,
            )
        )
    session.add_all(crowd)
    session.flush()
    for i, (title, body, reply) in enumerate(THREADS):
        question = posts.ask(
            session=session, program=program, author=crowd[1 + i], title=title, body=body
        )
        if reply is None:
            continue
        answer = posts.answer(
            session=session, question=question, author=crowd[0 if i % 2 else 6 + i % 4], body=reply
        )
        posts.vote(session=session, post=answer, member=crowd[1 + i], value=1)
        if i == 0:
            posts.accept(session=session, question=question, reply=answer, member=crowd[1])
        if i == 1:
            posts.mark_official(session=session, reply=answer, actor=crowd[0])


class CommunityMembers:
    """A thread of simulated members: every `every` seconds one acts (asks, answers an open
    question, votes, flags, or a customer reports a deflection verdict)."""

    def __init__(self, sessions, program_code: str, *, every: float = 15.0, seed=None):
        self.sessions, self.program_code, self.every = sessions, program_code, every
        self.random = random.Random(seed)
        self.stop_event = threading.Event()
        self.thread: threading.Thread | None = None

    def start(self) -> CommunityMembers:
        self.thread = threading.Thread(target=self.run, name="demo-community", daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stop_event.set()
        if self.thread is not None:
            self.thread.join(timeout=5)

    def run(self) -> None:
        while not self.stop_event.wait(self.random.expovariate(1 / self.every)):
            try:
                with self.sessions.begin() as session:
                    self.act(session)
            except Exception:  # a refused action (limits, duplicates) must not end the demo
                log.warning("a simulated community member's action failed", exc_info=True)

    def act(self, session: Session) -> None:
        program = session.scalar(select(Program).where(Program.code == self.program_code))
        crowd = list(session.scalars(select(Member).where(Member.email.like(f"%@{DOMAIN}"))))
        if program is None or len(crowd) < 3:
            return
        who = self.random.choice(crowd)
        open_questions = list(
            session.scalars(
                select(Post).where(
                    Post.program_id == program.id,
                    Post.kind == PostKind.QUESTION,
                    Post.first_answered_at.is_(None),
                    Post.member_id != who.id,
                    Post.title.not_like("Cheap watches%"),  # spam waits for moderators
                )
            )
        )
        roll = self.random.random()
        if roll < 0.25:
            title, body = self.random.choice(ASKED)
            posts.ask(session=session, program=program, author=who, title=title, body=body)
        elif roll < 0.55 and open_questions:
            posts.answer(
                session=session,
                question=self.random.choice(open_questions),
                author=who,
                body="Same here last month: the claims team sorted it within a day.",
            )
        elif roll < 0.65:
            spam = posts.ask(
                session=session,
                program=program,
                author=who,
                title="Cheap watches, visit my shop",
                body="Best prices.",
            )
            flags.flag(
                session=session,
                post=spam,
                author=self.random.choice([m for m in crowd if m.id != who.id]),
                reason="spam",
            )
        else:
            hits = deflection.suggest(session=session, program_id=program.id, query="claim status")
            solved = hits and self.random.random() < 0.6
            deflection.record(
                session=session,
                program_id=program.id,
                source="chat",
                outcome="solved" if solved else "need_help",
                query="claim status",
                question_id=hits[0].question_id if solved else None,
            )


def bot_answer(session: Session, task_id: str, agent_id: str) -> None:
    """A demo bot's answer to the escalated question it took, posted under its name (which
    starts the task's wrap-up, as a person's "Post answer" does)."""
    agent = session.get(Agent, int(agent_id))
    contact = session.get(Contact, task_id)
    body = ("Thanks for asking; I am one of the certified agents. Restart the device, and if "
            "that does not help, reply here with the model and we will sort it out.")
    escalations.answer(session=session, contact=contact, user=agent.user, body=body)
