"""The server process of `crowdline bench sockets` (bench/sockets.py): a fresh SQLite database
with N agents signed in and available, the app as `crowdline run` serves it, the engine in a
thread, a relay of offers to the agents' rooms and the open-loop task generator."""

from __future__ import annotations

import logging
import os
import tempfile
import threading
import time
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from agents.models import Agent, Role, Stage, User
from crowdline import wiring
from crowdline.settings import Settings
from database.engine import make_engine, make_session_factory
from dispatcher import commands
from dispatcher.core.codec import encode
from dispatcher.core.model import Queue
from dispatcher.runner import EngineRunner
from dispatcher.tables import RoutingCommand
from migrations import migrate
from web.app import create_app
from web.extensions import socketio as server_socketio
from web.realtime import push_to_agent

SECRET = "bench-secret-key-0123456789abcdef"


def _seed(sessions, agents: int) -> list[tuple[int, str]]:
    """N agent users (no password hashing: they never sign in by form); returns (user id,
    Flask-Login id) pairs, and queues the engine's configuration."""
    made = []
    with sessions.begin() as session:
        commands.submit(
            session,
            "configure_queue",
            {"queue": encode(Queue("bench", reservation_timeout=600.0))},
            now=time.time(),
        )
        for n in range(agents):
            user = User(
                email=f"a{n}@bench.example.com",
                display_name=f"A{n}",
                password_hash="!",
                role=Role.AGENT,
            )
            session.add(Agent(user=user, stage=Stage.ACTIVE))
            made.append(user)
        session.flush()
        ids = [(u.agent.id, u.get_id()) for u in made]
        for agent_id, _ in ids:
            commands.submit(
                session,
                "register_agent",
                {"agent_id": str(agent_id), "queues": {"bench": 1}},
                now=time.time(),
            )
            commands.submit(
                session,
                "set_status",
                {"agent_id": str(agent_id), "status": "available"},
                now=time.time(),
            )
    return ids


def serve_bench(port: int, agents: int, rate: float, seconds: float, cookies, go, ready) -> None:
    """The server process: app, engine, relay and (when `go` is set) the task generator."""
    logging.disable(logging.WARNING)
    folder = Path(tempfile.mkdtemp(prefix="crowdline-bench-"))
    url = f"sqlite:///{folder / 'bench.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    sessions = make_session_factory(engine)
    ids = _seed(sessions, agents)
    settings = Settings(
        database_url=url, secret_key=SECRET, instance_path=folder, embedded=False, testing=False
    )
    app = create_app(settings, session_factory=sessions)
    with app.test_request_context():
        signer = app.session_interface.get_signing_serializer(app)
        cookies.extend(
            [signer.dumps({"_user_id": login_id, "_fresh": True}) for _, login_id in ids]
        )
    created: dict[str, float] = {}

    def relay(events):
        for e in events:
            if e.name == "ReservationCreated":
                push_to_agent(
                    e.agent_id, "offer", {"task_id": e.task_id, "created": created.get(e.task_id)}
                )

    def generate():
        go.wait()
        start = time.perf_counter()
        for n in range(int(rate * seconds)):
            delay = start + n / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            task_id = f"t{n}"
            with sessions.begin() as session:
                created[task_id] = time.time()
                commands.submit(
                    session, "enqueue", {"task_id": task_id, "queue_id": "bench"}, now=time.time()
                )

    runner = EngineRunner(engine, poll=0.05, projections=wiring.domain_projections())
    runner.bus.subscribe(relay)
    runner.start()
    _wait_for_commands(sessions)  # every agent registered and available before we measure
    threading.Thread(target=generate, daemon=True).start()
    ready.set()
    os.environ.pop("FLASK_RUN_FROM_CLI", None)
    server_socketio.run(
        app,
        host="127.0.0.1",
        port=port,
        use_reloader=False,
        debug=False,
        allow_unsafe_werkzeug=True,
        log_output=False,
    )


def _wait_for_commands(sessions, timeout: float = 600.0) -> None:

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with sessions() as session:
                left = session.scalar(
                    select(func.count())
                    .select_from(RoutingCommand)
                    .where(RoutingCommand.done_at.is_(None))
                )
        except OperationalError:  # SQLite: the engine holds the write lock for a long step
            left = -1
        if not left:
            return
        time.sleep(0.2)
