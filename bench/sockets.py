"""Benchmark: time from a task's creation to its offer arriving at the agent console's socket,
with N agent consoles connected to one server process; goal p99 <= 100 ms at 1,000 agents and
20 new tasks per second. Also reports the server's memory per connection.

The server runs in its own process as `crowdline run` serves it (werkzeug's threaded server,
Socket.IO threading mode, the routing engine in a thread) on a fresh SQLite database with N
agents signed in and available on one queue. A generator thread in the server process queues
`enqueue` commands open-loop at the target rate and notes each task's creation time; a relay
on the engine's event bus pushes each ReservationCreated to the agent's room on /agent, as the
channel reactor does. N real python-socketio AsyncClients (websocket transport, each with its
own signed session cookie) run in this process: latency = arrival time - creation time (one
host, one wall clock). Every task goes to an idle agent (N >= tasks), so no offer waits for an
agent: the figure is the engine's decision plus the Socket.IO fan-out.

    crowdline bench sockets [--agents 1000,2000] [--rate 20] [--seconds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import socket
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

GOAL_P99_MS = 100.0
SECRET = "bench-secret-key-0123456789abcdef"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _seed(sessions, agents: int) -> list[tuple[int, str]]:
    """N agent users (no password hashing: they never sign in by form); returns (user id,
    Flask-Login id) pairs, and queues the engine's configuration."""
    from agents.models import Agent, Role, Stage, User
    from dispatcher import commands
    from dispatcher.core.codec import encode
    from dispatcher.core.model import Queue

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


def _server(port: int, agents: int, rate: float, seconds: float, cookies, go, ready) -> None:
    """The server process: app, engine, relay and (when `go` is set) the task generator."""
    import logging

    from database import migrate
    from database.engine import make_engine, make_session_factory
    from dispatcher import commands
    from dispatcher.runner import EngineRunner
    from web.app import create_app
    from web.chat.rooms import push_to_agent
    from web.config import Settings
    from web.extensions import socketio

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

    runner = EngineRunner(engine, poll=0.05)
    runner.bus.subscribe(relay)
    runner.start()
    threading.Thread(target=generate, daemon=True).start()
    ready.set()
    os.environ.pop("FLASK_RUN_FROM_CLI", None)
    socketio.run(
        app,
        host="127.0.0.1",
        port=port,
        use_reloader=False,
        debug=False,
        allow_unsafe_werkzeug=True,
        log_output=False,
    )


async def _consoles(url: str, cookies: list[str], latencies: list[float]):
    import socketio

    clients = []
    limit = asyncio.Semaphore(50)

    async def connect(cookie: str):
        client = socketio.AsyncClient(reconnection=False)

        @client.on("offer", namespace="/agent")
        async def offer(data):
            if data.get("created"):
                latencies.append((time.time() - data["created"]) * 1000)

        async with limit:
            await client.connect(
                url,
                namespaces=["/agent"],
                transports=["websocket"],
                headers={"Cookie": f"session={cookie}"},
                wait_timeout=30,
            )
        clients.append(client)

    await asyncio.gather(*(connect(c) for c in cookies))
    return clients


def run_once(agents: int, rate: float, seconds: float) -> dict:
    port = _free_port()
    ctx = multiprocessing.get_context("spawn")
    manager = ctx.Manager()
    cookies, go, ready = manager.list(), manager.Event(), manager.Event()
    server = ctx.Process(
        target=_server, args=(port, agents, rate, seconds, cookies, go, ready), daemon=True
    )
    server.start()
    url = f"http://127.0.0.1:{port}"
    ready.wait(600)
    for _ in range(200):
        try:
            urllib.request.urlopen(f"{url}/healthz", timeout=2).read()
            break
        except OSError:
            time.sleep(0.1)
    time.sleep(2)  # the engine signs the agents in
    before = _rss_kib(server.pid)
    latencies: list[float] = []

    async def scenario():
        clients = await _consoles(url, list(cookies), latencies)
        after = _rss_kib(server.pid)
        go.set()
        await asyncio.sleep(seconds + 3)
        await asyncio.gather(*(c.disconnect() for c in clients), return_exceptions=True)
        return after

    after = asyncio.run(scenario())
    server.terminate()
    server.join(10)
    manager.shutdown()
    latencies.sort()
    sent = int(rate * seconds)

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] if latencies else 0.0

    return {
        "agents": agents,
        "tasks": sent,
        "offers": len(latencies),
        "p50": pct(0.50),
        "p99": pct(0.99),
        "max": latencies[-1] if latencies else 0.0,
        "kib_per_connection": (after - before) / agents,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="crowdline bench sockets")
    parser.add_argument("--agents", default="1000", help="comma-separated N (e.g. 500,1000,2000)")
    parser.add_argument("--rate", type=float, default=20.0, help="new tasks per second")
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args(argv)
    for agents in [int(n) for n in args.agents.split(",")]:
        r = run_once(agents, args.rate, args.seconds)
        verdict = "meets" if r["p99"] <= GOAL_P99_MS else "misses"
        print(
            f"{r['agents']:>6} consoles, {args.rate:g} tasks/s: {r['offers']}/{r['tasks']} offers "
            f"arrived; p50 {r['p50']:.1f} ms, p99 {r['p99']:.1f} ms, max {r['max']:.1f} ms "
            f"({verdict} p99 <= {GOAL_P99_MS:.0f} ms); server memory "
            f"{r['kib_per_connection']:.0f} KiB per connection"
        )


if __name__ == "__main__":
    main()
