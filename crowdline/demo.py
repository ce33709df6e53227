"""`crowdline demo`'s living contact center: seeds the Acme claims program (queues, a number
with an IVR, the web widget, the demo course, certified bot agents, logins for the person) and
runs bots that take chats like people do; calls reach bots' simulated phones, which answer."""

from __future__ import annotations

import heapq
import logging
import random
import secrets
import threading
import time
from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from agents import audit
from agents.models import Agent, Program, Role, Stage, User
from agents.passwords import hash_password
from agents.roster import change_stage
from agents.users import create_user, reset_password
from channels import contacts, entry_points, escalations
from channels.gateway import GatewayError
from channels.models import Contact
from channels.simulated import SimAgent
from channels.traffic import Profile
from crowdline import demo_community, demo_quality, demo_roi
from database.base import utcnow
from dispatcher import commands
from dispatcher.core.codec import encode
from dispatcher.core.model import Queue, Requirements
from training import attempts, certification, enrolments
from training.importer import import_path
from training.models import Course
from web.realtime import push_to_customer
from web.twilio.conversations import AGENT_AUTHOR_PREFIX

log = logging.getLogger(__name__)
COURSE = Path(__file__).resolve().parents[1] / "training" / "courses" / "acme-claims"
PROGRAM = "acme-claims"
NUMBER = "+15550100100"
WIDGET = "web:default"
BOT_DOMAIN = "bots.example.com"
PERSON_AGENT = "agent@demo.example.com"
PERSON_SUPERVISOR = "supervisor@demo.example.com"
PERSON_PHONE = "+15559990001"
QUEUES = (
    Queue("claims", program=PROGRAM, requirements=Requirements(frozenset({PROGRAM})),
          reservation_timeout=20.0, wrapup_seconds=15.0, service_level_seconds=20.0),
    Queue("web", program=PROGRAM, requirements=Requirements(frozenset({PROGRAM})),
          reservation_timeout=20.0, wrapup_seconds=10.0, service_level_seconds=30.0),
)  # fmt: skip


def bot_phone(n: int) -> str:
    return f"+1555200{n:04d}"


def seed(*, session: Session, bots: int, password: str) -> dict[str, str]:
    """Create what is missing (running it again changes nothing) and queue the engine's
    configuration; returns {routing id: phone} of every bot."""
    program = session.scalar(select(Program).where(Program.code == PROGRAM))
    if program is None:
        program = Program(code=PROGRAM, name="Acme Insurance — claims", client_name="Acme")
        session.add(program)
        session.flush()
    if session.scalar(select(Course).where(Course.program_id == program.id)) is None:
        import_path(session=session, path=COURSE)
    demo_roi.seed(session, program)
    menu = [{"digit": "1", "label": "claims", "queue_id": "claims", "language": None}]
    entry_points.save(session=session, address=NUMBER, program_code=PROGRAM, queue_id="claims",
                      greeting="Welcome to Acme Insurance.", menu=menu)  # fmt: skip
    entry_points.save(session=session, address=WIDGET, program_code=PROGRAM, queue_id="web")
    supervisor = _user(session, PERSON_SUPERVISOR, "Demo Supervisor", Role.SUPERVISOR, password,
                       reset=True)  # fmt: skip
    person = _user(session, PERSON_AGENT, "Demo Agent", Role.AGENT, password, reset=True)
    _certify(session, person.agent, program, supervisor, PERSON_PHONE)
    demo_quality.seed(session=session, program=program, supervisor=supervisor)
    phones = {}
    course = session.scalar(select(Course).where(Course.program_id == program.id))
    locked = None
    for n in range(1, bots + 1):
        user = session.scalar(select(User).where(User.email == f"bot{n:02d}@{BOT_DOMAIN}"))
        if user is None:
            locked = locked or hash_password(secrets.token_urlsafe(32))
            user = _bot_user(session, n, locked)
        _certify_bot(session, user.agent, program, course, supervisor, bot_phone(n))
        phones[str(user.agent.id)] = bot_phone(n)
    now = time.time()
    for queue in QUEUES:
        commands.submit(session, "configure_queue", {"queue": encode(queue)}, now=now)
    return phones


def _user(session: Session, email: str, name: str, role: Role, password: str,
          *, reset: bool = False) -> User:  # fmt: skip
    """The user with this email, created if missing; `reset` gives an existing one `password`
    (the person's logins, so the printed password always works)."""
    user = session.scalar(select(User).where(User.email == email))
    if user is None:
        return create_user(session=session, email=email, display_name=name, password=password,
                           role=role)  # fmt: skip
    if reset:
        reset_password(session=session, user=user, password=password)
    return user


def _bot_user(session: Session, n: int, password_hash: str) -> User:
    """A bot's login: nobody can sign in as it (the hash is of a random secret thrown away;
    hashing once for all bots is what makes seeding take seconds, not a minute)."""
    user = User(email=f"bot{n:02d}@{BOT_DOMAIN}", display_name=f"Bot {n:02d}",
                password_hash=password_hash, role=Role.AGENT)  # fmt: skip
    session.add_all([user, Agent(user=user)])
    session.flush()
    after = {"email": user.email, "role": Role.AGENT.value}
    audit.record(session=session, actor_id=None, action="user.create", entity_type="user",
                 entity_id=user.id, after=after)  # fmt: skip
    return user


def _certify_bot(session: Session, agent: Agent, program: Program, course: Course, actor: User,
                 phone: str) -> None:  # fmt: skip
    """Certify a bot as having passed every module with full marks (training's `issue`, without
    taking each quiz: the person's agent takes them for real in `_certify`), then activate it."""
    if agent.stage is Stage.ACTIVE:
        return
    agent.phone, agent.programs = phone, [program]
    agent.pay_rate_per_minute = agent.pay_rate_per_minute or Decimal("0.30")
    now = utcnow() - timedelta(hours=2)
    enrolment = enrolments.enrol(session=session, agent=agent, course=course, now=now)
    scores = [1.0] * len(enrolment.version.modules)
    certification.issue(session=session, enrolment=enrolment, scores=scores, now=now)
    change_stage(session=session, actor=actor, agent=agent, to_stage=Stage.ACTIVE)


def _certify(session: Session, agent: Agent, program: Program, actor: User, phone: str) -> None:
    """Pass the program's course through training's services, then activate the agent."""
    if agent.stage is Stage.ACTIVE:
        return
    agent.phone, agent.programs = phone, [program]
    agent.pay_rate_per_minute = agent.pay_rate_per_minute or Decimal("0.30")
    agent.stage = Stage.TRAINING
    session.flush()
    course = session.scalar(select(Course).where(Course.program_id == program.id))
    now = utcnow() - timedelta(hours=2)
    enrolment = enrolments.enrol(session=session, agent=agent, course=course, now=now)
    rng = random.Random(agent.id)
    for module in enrolment.version.modules:
        attempt = attempts.start_attempt(session=session, agent=agent, module_id=module.id,
                                         now=now, rng=rng)  # fmt: skip
        right = {q.id: list(q.correct) for q in module.questions}
        served = attempts.served_questions(session=session, attempt=attempt)
        answers = {str(q.id): right[q.id] for q in served}
        attempts.submit_attempt(session=session, agent=agent, attempt_id=attempt.id,
                                answers=answers, now=now)  # fmt: skip
        now += timedelta(minutes=5)
    session.flush()
    change_stage(session=session, actor=actor, agent=agent, to_stage=Stage.ACTIVE)


def traffic_profiles(calls_per_minute: float, chats_per_minute: float, *,
                     patience: float = 90.0, talk: float = 120.0) -> list[Profile]:  # fmt: skip
    """Simulated customers; patience and talk are mean seconds (exponential)."""
    return [Profile(NUMBER, calls_per_minute=calls_per_minute,
                    chats_per_minute=chats_per_minute, patience=patience, talk=talk)]  # fmt: skip


class Bots:
    """Bot agents: signed in at start; their phones answer calls after 2-8 s (the carrier's
    IVR flow accepts); chats offered to them are accepted after 2-8 s and ended after an
    exponential talk time (mean 90 s) through engine commands; every contact they wrapped up
    gets a disposition (crowdline.demo_roi). An EventBus subscriber."""

    def __init__(self, sessions, carrier, phones: dict[str, str], *, seed: int | None = None):
        self.sessions = sessions
        self.carrier = carrier
        self.phones = phones
        self.rng = random.Random(seed)
        self._due: list[tuple[float, int, str, dict]] = []
        self._seq = 0
        self._lock = threading.Condition()
        self.stop_event = threading.Event()
        self.thread: threading.Thread | None = None

    def start(self) -> Bots:
        for phone in self.phones.values():
            self.carrier.agents[phone] = SimAgent(keys="1", delay=self.rng.uniform(2, 8))
        # The person answers from the console: their phone rings until they accept there.
        self.carrier.agents[PERSON_PHONE] = SimAgent(keys=None)
        with self.sessions.begin() as session:
            for agent_id in self.phones:
                payload = {"agent_id": agent_id, "status": "available"}
                commands.submit(session, "set_status", payload, now=time.time())
        self.thread = threading.Thread(target=self.run, name="demo-bots", daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stop_event.set()
        with self._lock:
            self._lock.notify_all()

    def __call__(self, events: Sequence) -> None:
        for e in events:
            if e.name == "ReservationCreated" and e.agent_id in self.phones:
                self._later(self.rng.uniform(2, 8), "accept",
                            {"reservation_id": e.reservation_id, "agent_id": e.agent_id,
                             "task_id": e.task_id})  # fmt: skip
            elif e.name == "TaskAssigned" and e.agent_id in self.phones:
                self._later(0.0, "greet", {"task_id": e.task_id, "agent_id": e.agent_id})
                self._later(self.rng.expovariate(1 / 90), "end", {"task_id": e.task_id})
            elif e.name == "TaskWrapping" and e.agent_id in self.phones:
                self._later(1.0, "dispose", {"task_id": e.task_id})
            elif e.name == "TaskAssigned":  # the person accepted in the console
                self._later(0.5, "pick_up", {"task_id": e.task_id})

    def _later(self, delay: float, kind: str, payload: dict) -> None:
        with self._lock:
            self._seq += 1
            heapq.heappush(self._due, (time.monotonic() + delay, self._seq, kind, payload))
            self._lock.notify()

    def run(self) -> None:
        while not self.stop_event.is_set():
            with self._lock:
                wait = self._due[0][0] - time.monotonic() if self._due else 1.0
                if wait > 0:
                    self._lock.wait(min(wait, 1.0))
                    continue
                _at, _seq, kind, payload = heapq.heappop(self._due)
            try:
                self._act(kind, payload)
            except Exception:
                log.exception("demo bot failed to %s %s", kind, payload)

    def _act(self, kind: str, payload: dict) -> None:
        if kind == "pick_up":
            # The person's phone is played by the carrier too: accepting a call in the console
            # picks it up, and the call connects (a home phone ringing beside the console).
            self.carrier.answer_ringing(PERSON_PHONE)
            return
        greeting = None
        with self.sessions.begin() as session:
            contacts.begin_write(session)
            if kind == "dispose":
                demo_roi.dispose(session, payload["task_id"], self.rng)
                return
            view = contacts.task_view(session=session, task_id=payload["task_id"])
            channel = session.scalar(
                select(Contact.channel).where(Contact.task_id == payload["task_id"])
            )
            if channel == escalations.CHANNEL and kind == "greet":  # answered on the thread
                if view.state == "assigned":
                    demo_community.bot_answer(session, payload["task_id"], payload["agent_id"])
                return
            if channel == "voice":  # the bot's phone answers calls through the carrier
                if kind == "end" and view.state == "assigned":  # the bot ends the call
                    contacts.wrap_up(session=session, task_id=payload["task_id"])
                return
            if kind == "accept" and view.state == "reserved":
                body = {k: payload[k] for k in ("reservation_id", "agent_id")}
                commands.submit(session, "accept", body, now=time.time())
            elif kind == "end" and view.state == "assigned":
                contacts.wrap_up(session=session, task_id=payload["task_id"])
            elif kind == "greet" and view.state == "assigned":
                greeting = self._greet(session, payload["task_id"], payload["agent_id"])
        if greeting is not None:  # after commit: the customer may fetch it at once
            push_to_customer(payload["task_id"], "chat_message", greeting)

    def _greet(self, session: Session, task_id: str, agent_id: str) -> dict | None:
        """A bot that joins a chat says hello at once, as a person would (web widget: pushed
        after commit; SMS / WhatsApp: sent through the carrier's Conversations)."""
        contact = session.get(Contact, task_id)
        agent = session.get(Agent, int(agent_id))
        name = agent.user.display_name if agent else "your agent"
        body = f"Hello {contact.customer or 'there'}, this is {name}. How can I help you today?"
        message_sid = None
        if contact.conversation_sid:
            try:
                message_sid = self.carrier.send_message(
                    contact.conversation_sid, author=f"{AGENT_AUTHOR_PREFIX}{agent_id}", body=body
                )
            except GatewayError as error:
                log.warning("bot greeting to %s not delivered: %s", task_id, error)
                return None
        message, _ = contacts.append_message(
            session=session, task_id=task_id, author_kind="agent", author=name, body=body,
            message_sid=message_sid,
        )  # fmt: skip
        return contacts.message_json(message) if contact.channel == "web" else None
