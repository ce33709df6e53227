"""System run: Crowdline scaled out on 127.0.0.1, under load, with an optional fault.

Starts N web processes (`crowdline run --no-engine`), an active and a standby routing engine
(`crowdline engine`), on a fresh PostgreSQL database, with Redis as the Socket.IO message queue
and for console presence. The simulated carrier runs in this process as the one carrier every
process talks to (CARRIER_URL): Poisson callers and SMS texters post signed webhooks round-robin
to the web processes, and agents' phones answer offers by pressing 1. Simulated agents are real
Socket.IO clients: each signs in through the login form, opens the console socket, goes
available, accepts chat offers on the socket, replies, ends the chat and sends the wrap-up form;
when its web process dies it reconnects to another one and re-reads its state. After the run
(and a drain) every process is stopped and the database is checked (bench/_checks.py): every
task terminal with a reason, no task held by two agents, nobody over capacity, statistics equal
to a recount of the event log.

    crowdline bench system [--web 1,2] [--agents 20] [--seconds 40] [--calls-per-minute 60]
        [--chats-per-minute 30] [--fault none|kill-engine|kill-web|restart-postgres|stop-redis|
        close-browsers] [--database-url URL] [--redis-url URL]

Figures printed: tasks per second, offer latency (the engine's decision → the offer at the
agent's socket, p50/p99), memory per process and per connected agent, and what the fault did
(e.g. the time from `kill -9` of the active engine to the standby's first decision).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import String, cast, create_engine, func, select, text
from sqlalchemy.engine import make_url

from agents.models import Agent, User
from agents.passwords import hash_password
from bench import _agents
from bench._checks import check
from bench._proc import free_port, group_rss_kib, rss_kib
from channels.remote import CarrierServer, round_robin_transport
from channels.signing import webhook_token
from channels.simulated import SimAgent, SimulatedCarrier
from channels.traffic import Profile, Traffic
from crowdline import demo
from database.engine import make_engine, make_session_factory
from dispatcher.tables import RoutingAgent, RoutingEvent, RoutingTask
from migrations import migrate

SECRET = "system-run-secret-key-0123456789abcdef"
PUBLIC = "http://crowdline.test"  # what webhooks are signed for (the web processes' public URL)
PASSWORD = "system-run-password-1"
FAULTS = ("none", "kill-engine", "kill-web", "restart-postgres", "stop-redis", "close-browsers")
DEFAULT_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS = "redis://127.0.0.1:6379/9"


@dataclass
class Options:
    web: int = 2
    agents: int = 20
    seconds: float = 40.0
    calls_per_minute: float = 60.0
    chats_per_minute: float = 30.0
    fault: str = "none"
    database_url: str = DEFAULT_DATABASE
    redis_url: str = DEFAULT_REDIS
    grace: float = 3.0
    max_growth_mib: float = 16.0  # per process, from the end of the warm-up to the end
    drain: float = 60.0
    talk: float = 4.0
    seed: int = 1


@dataclass
class Result:
    options: Options
    created: int = 0
    completed: int = 0
    canceled: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    rss_kib: dict[str, int] = field(default_factory=dict)
    fault: dict[str, float | str] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    cancel_reasons: dict[str, int] = field(default_factory=dict)
    agents_connected: int = 0
    kib_per_agent: float = 0.0
    moved_agents: list[str] = field(default_factory=list)
    agent_notes: dict[str, int] = field(default_factory=dict)
    rss_samples: list[tuple[float, dict[str, int]]] = field(default_factory=list)
    growth_kib: dict[str, int] = field(default_factory=dict)
    warm_up: float = 0.0

    def percentile(self, q: float) -> float | None:
        if not self.latencies:
            return None
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _bin(name: str) -> str:
    """A command installed beside this Python (the venv's crowdline, gunicorn)."""
    found = Path(sys.executable).with_name(name)
    return str(found) if found.exists() else name


class Cluster:
    """The processes of one run and the database they share."""

    def __init__(self, options: Options, workdir: Path) -> None:
        self.options = options
        self.workdir = workdir
        self.name = f"crowdline_system_{uuid.uuid4().hex[:10]}"
        self.admin_url = options.database_url
        self.url = options.database_url.rsplit("/", 1)[0] + "/" + self.name
        self.webs: list[tuple[str, subprocess.Popen | None]] = []
        self.engines: list[subprocess.Popen] = []
        self.env: dict[str, str] = {}

    # The database ----------------------------------------------------------------------

    def create_database(self) -> None:


        admin = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{self.name}"'))
        admin.dispose()
        engine = make_engine(self.url)
        migrate.upgrade(engine, "head")
        engine.dispose()

    def drop_database(self) -> None:

        admin = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        admin.dispose()

    def seed(self) -> list[str]:
        """The demo's program, queues, number and widget, and N certified agents who sign in
        with PASSWORD; returns their emails."""


        engine = make_engine(self.url)
        sessions = make_session_factory(engine)
        with sessions.begin() as session:
            demo.seed(session=session, bots=self.options.agents, password=PASSWORD)
            hashed = hash_password(PASSWORD)
            bots = session.scalars(select(User).where(User.email.like(f"%@{demo.BOT_DOMAIN}")))
            emails = []
            for user in bots:
                user.password_hash = hashed
                emails.append(user.email)
        engine.dispose()
        return sorted(emails)

    # Processes -------------------------------------------------------------------------

    def start(self, carrier_url: str, urls: list[str]) -> None:
        """Web processes on `urls` (chosen first: the carrier already posts there)."""
        self.env = {
            **os.environ,
            "DATABASE_URL": self.url,
            "REDIS_URL": self.options.redis_url,
            "SECRET_KEY": SECRET,
            "PUBLIC_URL": PUBLIC,
            "CARRIER_URL": carrier_url,
            "PRESENCE_GRACE_SECONDS": str(self.options.grace),
            "CROWDLINE_INSTANCE": str(self.workdir / "instance"),
        }
        for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_API_KEY",
                     "TWILIO_API_SECRET", "TWILIO_TWIML_APP_SID"):  # fmt: skip
            self.env.pop(name, None)
        for n, url in enumerate(urls):
            self.webs.append(self._start_web(n, int(url.rsplit(":", 1)[1])))
        for n in range(2):
            self.engines.append(self._spawn(f"engine{n}", [_bin("crowdline"), "engine"]))
            if n == 0:
                self.wait_for_active(timeout=60)
        for url, _ in self.webs:
            _wait_healthy(url, timeout=60)

    def _start_web(self, n: int, port: int) -> tuple[str, subprocess.Popen]:
        """A web process as the README deploys it: gunicorn, one worker, a thread each."""
        command = [_bin("gunicorn"), "--workers", "1", "--threads", "200",
                   "--bind", f"127.0.0.1:{port}", "--graceful-timeout", "5",
                   "crowdline.wsgi:create_web_process()"]  # fmt: skip
        return f"http://127.0.0.1:{port}", self._spawn(f"web{n}", command)

    def _spawn(self, name: str, command: list[str]) -> subprocess.Popen:
        with open(self.workdir / f"{name}.log", "ab") as log:  # the child keeps its own copy
            return subprocess.Popen(command, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                    start_new_session=True)  # fmt: skip

    def active_engine(self) -> subprocess.Popen | None:
        """The running engine whose log says it became active (the standby's says so only after
        it took over; with two such logs, the one written last)."""
        found = []
        for n, process in enumerate(self.engines):
            log = self.workdir / f"engine{n}.log"
            if process.poll() is None and "engine active" in log.read_text(errors="replace"):
                found.append((log.stat().st_mtime, n, process))
        return max(found, key=lambda item: item[:2])[2] if found else None

    def wait_for_active(self, timeout: float) -> subprocess.Popen:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            active = self.active_engine()
            if active is not None:
                return active
            time.sleep(0.1)
        raise RuntimeError(f"no engine became active; see {self.workdir}/engine*.log")

    def rss(self) -> dict[str, int]:
        found = {}
        for n, (_, process) in enumerate(self.webs):
            if process.poll() is None:
                found[f"web{n}"] = group_rss_kib(process.pid)
        for n, process in enumerate(self.engines):
            if process.poll() is None:
                found[f"engine{n}"] = rss_kib(process.pid)
        return found

    def stop(self) -> None:
        processes = [p for _, p in self.webs] + self.engines
        for process in processes:
            signal_group(process, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                signal_group(process, signal.SIGKILL)
                process.wait(5)
            signal_group(process, signal.SIGKILL)  # a worker a dead master left behind


def signal_group(process: subprocess.Popen, signum: int) -> None:
    """Signal the process and its children (each process leads its own session)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)


def _wait_healthy(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not become healthy")
        time.sleep(0.2)


def _first_decision_after(url: str, moment: float, timeout: float) -> float | None:
    """Seconds from `moment` to the first event the engine committed after it."""


    engine = make_engine(url)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            try:
                with engine.connect() as connection:
                    first = connection.scalar(
                        select(func.min(RoutingEvent.at)).where(RoutingEvent.at > moment)
                    )
            except Exception:  # the database itself may be restarting
                first = None
            if first is not None:
                return first - moment
            time.sleep(0.05)
        return None
    finally:
        engine.dispose()


def _fault(options: Options, cluster: Cluster, crowd, result: Result) -> None:
    """The scripted fault, at the middle of the run."""
    kind = options.fault
    if kind == "kill-engine":
        active = cluster.active_engine()
        signal_group(active, signal.SIGKILL)  # kill -9
        active.wait(10)
        moment = time.time()  # nothing the killed engine did can come after this
        result.fault["killed engine pid"] = active.pid
        took = _first_decision_after(cluster.url, moment, timeout=60)
        result.fault["seconds to the standby's first decision"] = took if took else "none"
    elif kind == "kill-web":
        url, process = cluster.webs[0]
        moved = crowd.agents_on(url)
        signal_group(process, signal.SIGKILL)  # kill -9, the gunicorn worker with it
        process.wait(10)
        crowd.forget(url)
        result.fault["killed web process"] = url
        result.fault["agents whose process was killed"] = len(moved)
        result.moved_agents = moved
    elif kind == "restart-postgres":
        version, cluster_name = _postgres_cluster(options.database_url)
        moment = time.time()
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, cluster_name,
                        "restart"], check=True, capture_output=True)  # fmt: skip
        result.fault["postgres restart took s"] = round(time.time() - moment, 2)
        took = _first_decision_after(cluster.url, time.time(), timeout=60)
        result.fault["seconds to the first decision after it"] = took if took else "none"
    elif kind == "stop-redis":

        target = urlsplit(options.redis_url)
        host, port = target.hostname or "127.0.0.1", str(target.port or 6379)
        subprocess.run(["redis-cli", "-h", host, "-p", port, "shutdown", "nosave"],
                       capture_output=True)  # fmt: skip
        time.sleep(5)
        created_before = _count_tasks(cluster.url)
        time.sleep(5)
        result.fault["tasks created while Redis was down (10 s)"] = (
            _count_tasks(cluster.url) - created_before
        )
        subprocess.run(["redis-server", "--daemonize", "yes", "--bind", host,
                        "--port", port, "--save", "", "--appendonly", "no",
                        "--dir", "/var/lib/redis", "--logfile", "/var/log/redis/ci.log"],
                       check=True, capture_output=True)  # fmt: skip
    elif kind == "close-browsers":
        crowd.close_on_next_offer(max(1, options.agents // 2))


def _rerouted(url: str, closed: list[tuple[str, str, str]], result: Result) -> None:
    """Each offer held by a console that was closed went to another agent (or its customer
    left first): a later ReservationCreated for the task to someone else, or a cancel."""


    result.fault["consoles closed while holding an offer"] = len(closed)
    engine = make_engine(url)
    rerouted = 0
    try:
        with engine.connect() as connection:
            for email, reservation_id, task_id in closed:
                rows = connection.execute(
                    select(RoutingEvent.type, RoutingEvent.data)
                    .where(RoutingEvent.task_id == task_id)
                    .order_by(RoutingEvent.position)
                ).all()
                offered = [d for t, d in rows if t == "ReservationCreated"]
                mine = [d for d in offered if d["reservation_id"] == reservation_id]
                later = offered[offered.index(mine[0]) + 1 :] if mine else []
                others = [d for d in later if d["agent_id"] != mine[0]["agent_id"]]
                if others or any(t == "TaskCanceled" for t, _ in rows):
                    rerouted += 1
                else:
                    result.failures.append(f"the offer {email} held when the console closed "
                                           f"({reservation_id}) was never re-routed")  # fmt: skip
    finally:
        engine.dispose()
    result.fault["of them re-routed to another agent (or the customer left)"] = rerouted
    if not closed:
        result.failures.append("close-browsers: no console closed while holding an offer")


def warm_up_seconds(seconds: float) -> float:
    """The load that warms caches, pools and imports before growth counts: the first 5 minutes
    of a soak of 10 minutes or more (the issue's measure), else the first minute."""
    return 300.0 if seconds >= 600 else 60.0


def _memory_growth(options: Options, result: Result) -> None:
    """RSS growth of each process from the first sample after the warm-up to the end of the
    run; a soak fails past `max_growth_mib`."""
    result.warm_up = warm_up_seconds(options.seconds)
    warm = [rss for at, rss in result.rss_samples if at >= result.warm_up]
    if len(warm) < 2:
        return
    first, last = warm[0], warm[-1]
    for name in last:
        if name in first:
            result.growth_kib[name] = last[name] - first[name]
            if result.growth_kib[name] > options.max_growth_mib * 1024:
                bound = f"bound {options.max_growth_mib:g} MiB"
                grew = result.growth_kib[name]
                after = f"after the first {result.warm_up / 60:g} min"
                result.failures.append(f"{name} grew {grew} KiB {after} ({bound})")


PRESENCE_PATIENCE = 60.0  # seconds for the sweep and the engine to catch up on a loaded machine


def _settled_presence(url: str, crowd, result: Result) -> dict[str, bool]:
    """Wait (a condition, never a fixed sleep: a loaded machine delays the presence sweep and
    the engine by seconds) until every agent whose console is gone is offline and none with a
    console open was signed out; what still differs after PRESENCE_PATIENCE is a failure.
    Returns email → console connected, as last seen."""
    deadline = time.monotonic() + PRESENCE_PATIENCE
    while True:
        consoles = crowd.consoles()
        failures = _presence_failures(url, consoles)
        if not failures or time.monotonic() > deadline:
            result.failures.extend(failures)
            return consoles
        time.sleep(0.5)


def _presence_failures(url: str, consoles: dict[str, bool]) -> list[str]:
    """After the grace period: an agent with no console socket is offline (never a stale
    "available"), and an agent whose console is connected was not signed out."""


    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                select(User.email, RoutingAgent.status)
                .join(Agent, Agent.user_id == User.id)
                .join(RoutingAgent, RoutingAgent.agent_id == cast(Agent.id, String))
            ).all()
    finally:
        engine.dispose()
    failures = []
    for email, status in rows:
        if email not in consoles:
            continue
        if not consoles[email] and status != "offline":
            failures.append(f"{email} has no console socket but is still {status}")
        if consoles[email] and status == "offline":
            failures.append(f"{email} has a console open but was signed out")
    return failures


def _postgres_cluster(url: str) -> tuple[str, str]:
    """(version, name) of the local cluster listening on the port of `url` (pg_lsclusters)."""

    port = str(make_url(url).port or 5432)
    listing = subprocess.run(["pg_lsclusters", "--no-header"], capture_output=True, text=True,
                             check=True).stdout  # fmt: skip
    for line in listing.splitlines():
        version, name, cluster_port = line.split()[:3]
        if cluster_port == port:
            return version, name
    raise RuntimeError(f"no local PostgreSQL cluster listens on port {port}")


def _count_tasks(url: str) -> int:


    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return connection.scalar(select(func.count()).select_from(RoutingTask))
    finally:
        engine.dispose()


def _open_tasks(url: str) -> int:


    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return connection.scalar(
                select(func.count())
                .select_from(RoutingTask)
                .where(RoutingTask.state.not_in(("completed", "canceled")))
            )
    finally:
        engine.dispose()


def run(options: Options) -> Result:
    """One run: scratch database, processes, load, the fault, drain, checks; always cleaned."""
    result = Result(options)
    workdir = Path(tempfile.mkdtemp(prefix="crowdline-system-"))
    cluster = Cluster(options, workdir)
    cluster.create_database()
    try:
        _run(options, cluster, result)
    finally:
        cluster.drop_database()
    if result.failures:
        result.failures.append(f"process logs are in {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return result


def _run(options: Options, cluster: Cluster, result: Result) -> None:

    carrier = server = traffic = crowd = None
    try:
        emails = cluster.seed()
        urls = [f"http://127.0.0.1:{free_port()}" for _ in range(options.web)]
        carrier = SimulatedCarrier(base_url=PUBLIC, auth_token=webhook_token(None, SECRET),
                                   transport=round_robin_transport(urls), workers=16)  # fmt: skip
        carrier.default_agent = SimAgent(keys="1", delay=0.5)
        server = CarrierServer(carrier).start()
        cluster.start(server.url, urls)
        crowd = _agents.Crowd(urls, emails, PASSWORD, rng=random.Random(options.seed),
                              talk=options.talk)  # fmt: skip
        rss_before = cluster.rss()
        crowd.start()
        result.agents_connected = crowd.wait_signed_in(timeout=60)
        rss_idle = cluster.rss()
        grown = [rss_idle[n] - rss_before[n] for n in rss_idle if n.startswith("web")]
        result.kib_per_agent = sum(grown) / max(1, result.agents_connected)
        profile = Profile(demo.NUMBER, calls_per_minute=options.calls_per_minute,
                          chats_per_minute=options.chats_per_minute, patience=30.0,
                          talk=options.talk, digits="1")  # fmt: skip
        traffic = Traffic(carrier, [profile], seed=options.seed).start(options.seconds)
        started = time.time()
        if options.fault != "none":
            time.sleep(options.seconds / 2)
            _fault(options, cluster, crowd, result)
        while time.time() < started + options.seconds:
            time.sleep(min(15.0, max(0.0, started + options.seconds - time.time())))
            result.rss_samples.append((time.time() - started, cluster.rss()))
        result.rss_kib = cluster.rss()
        _memory_growth(options, result)
        traffic.stop()
        deadline = time.monotonic() + options.drain
        while _open_tasks(cluster.url) and time.monotonic() < deadline:
            time.sleep(0.5)
        result.seconds = time.time() - started
        result.latencies = crowd.offer_latencies(cluster.url)
        consoles = _settled_presence(cluster.url, crowd, result)
        result.failures.extend(
            f"{email} was on the killed web process and did not reconnect to another one"
            for email in result.moved_agents
            if not consoles.get(email) or crowd.url_of(email) in crowd.forgotten
        )  # fmt: skip
        if options.fault == "close-browsers":
            _rerouted(cluster.url, crowd.closed, result)
        result.agent_notes = dict(crowd.notes)
        result.failures.extend(
            f"simulated agent: {note} (×{count})"
            for note, count in crowd.notes.items()
            if "could not start" in note
        )  # fmt: skip
        for what, tried in crowd.tried.items():  # a console path that fails must not pass
            done = crowd.done.get(what, 0)
            result.agent_notes[f"{what} answered yes"] = done
            if done < 0.75 * tried:
                result.failures.append(f"the console said yes to {done} of {tried} {what}s")
        crowd.stop()
    finally:
        if traffic is not None:
            traffic.stop()
        if crowd is not None:
            crowd.stop()
        cluster.stop()
        if server is not None:
            server.stop()
        if carrier is not None:
            carrier.close()

    engine = make_engine(cluster.url)
    with engine.connect() as connection:
        ledger = check(connection, since=0.0, until=time.time() + 1)
    engine.dispose()
    result.failures.extend(ledger.failures)
    result.created = sum(ledger.tasks.values())
    result.completed = ledger.tasks["completed"]
    result.canceled = ledger.tasks["canceled"]
    result.cancel_reasons = dict(ledger.cancel_reasons)


def summary(result: Result) -> dict:
    """The figures of one run, machine-readable (the CI test reads this line)."""
    p50, p99 = result.percentile(0.5), result.percentile(0.99)
    return {
        "web": result.options.web, "fault": result.options.fault,
        "agents_connected": result.agents_connected, "created": result.created,
        "completed": result.completed, "canceled": result.canceled,
        "offers_measured": len(result.latencies),
        "offer_p50_ms": None if p50 is None else round(p50 * 1000, 1),
        "offer_p99_ms": None if p99 is None else round(p99 * 1000, 1),
        "completed_per_second": round(result.completed / max(result.seconds, 1e-9), 3),
        "kib_per_agent": round(result.kib_per_agent), "rss_kib": result.rss_kib,
        "fault_figures": result.fault, "failures": result.failures,
        "growth_kib": result.growth_kib, "growth_bound_mib": result.options.max_growth_mib,
        "warm_up_seconds": result.warm_up, "agent_notes": result.agent_notes,
        "rss_samples": [[round(at), rss] for at, rss in result.rss_samples],
    }  # fmt: skip


def report(result: Result) -> str:
    o = result.options
    p50, p99 = result.percentile(0.5), result.percentile(0.99)
    lines = [
        f"web processes {o.web}, agents {o.agents} ({result.agents_connected} signed in), "
        f"{o.seconds:.0f} s at {o.calls_per_minute:g} calls + {o.chats_per_minute:g} chats/min,"
        f" fault: {o.fault}",
        f"  tasks {result.created}: completed {result.completed}, canceled {result.canceled} "
        f"{result.cancel_reasons}; {result.completed / max(result.seconds, 1e-9):.2f} completed/s",
        "  offer latency (engine decision → agent's socket): "
        + (
            f"p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms over {len(result.latencies)}"
            if p99 is not None
            else "no offers"
        ),  # fmt: skip
        "  memory KiB: "
        + ", ".join(f"{k} {v}" for k, v in sorted(result.rss_kib.items()))
        + f"; web processes grew {result.kib_per_agent:.0f} KiB per connected agent",
    ]
    if result.agent_notes:
        lines.append("  simulated agents noted: " + ", ".join(
            f"{k} ×{v}" for k, v in sorted(result.agent_notes.items())))  # fmt: skip
    if result.growth_kib:
        lines.append(
            f"  memory growth after the first {result.warm_up / 60:g} min (KiB; bound "
            f"{o.max_growth_mib:g} MiB per process): "
            + ", ".join(f"{k} {v:+d}" for k, v in sorted(result.growth_kib.items()))
        )
    for name, value in result.fault.items():
        lines.append(f"  fault: {name}: {value:.3f}" if isinstance(value, float)
                     else f"  fault: {name}: {value}")  # fmt: skip
    passed = ("all passed (every task terminal with a reason, never held by two agents, nobody "
              "over capacity, statistics = recount)")  # fmt: skip
    lines.append("  checks: " + (f"{len(result.failures)} FAILED" if result.failures else passed))
    lines.extend(f"    - {failure}" for failure in result.failures)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> list[Result]:
    parser = argparse.ArgumentParser(prog="crowdline bench system", description=__doc__.split(
        "\n\n")[0])  # fmt: skip
    parser.add_argument("--web", default="1,2", help="web process counts to run, e.g. 1,2,4")
    parser.add_argument("--agents", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=40.0)
    parser.add_argument("--calls-per-minute", type=float, default=60.0)
    parser.add_argument("--chats-per-minute", type=float, default=30.0)
    parser.add_argument("--fault", choices=FAULTS, default="none")
    parser.add_argument("--database-url", default=os.environ.get("CROWDLINE_TEST_POSTGRES_URL",
                                                                 DEFAULT_DATABASE))  # fmt: skip
    parser.add_argument("--redis-url", default=DEFAULT_REDIS)
    parser.add_argument("--grace", type=float, default=3.0, help="presence grace, seconds")
    restarts = ("needed by restart-postgres and stop-redis: they restart the local servers of "
                "--database-url / --redis-url (every database on them)")  # fmt: skip
    parser.add_argument("--allow-service-restart", action="store_true", help=restarts)
    parser.add_argument(
        "--max-growth-mib",
        type=float,
        default=16.0,
        help="soak bound: RSS growth of a process after the warm-up (the first 5 minutes of "
        "a run of 10 minutes or more, else the first minute)",
    )
    args = parser.parse_args(argv)
    try:
        counts = [int(n) for n in args.web.split(",")]
    except ValueError:
        parser.error("--web: comma-separated whole numbers, e.g. 1,2,4")
    if not args.database_url.startswith("postgresql"):
        parser.error("--database-url: the system run needs PostgreSQL")
    if args.fault in ("restart-postgres", "stop-redis") and not args.allow_service_restart:
        parser.error(f"--fault {args.fault} restarts a shared local server: add "
                     "--allow-service-restart on a machine where that is fine")  # fmt: skip
    results = []
    for count in counts:
        options = Options(web=count, agents=args.agents, seconds=args.seconds,
                          calls_per_minute=args.calls_per_minute,
                          chats_per_minute=args.chats_per_minute, fault=args.fault,
                          database_url=args.database_url, redis_url=args.redis_url,
                          grace=args.grace, max_growth_mib=args.max_growth_mib)  # fmt: skip
        result = run(options)
        print(report(result), flush=True)
        results.append(result)
        print("BENCH " + json.dumps(summary(result)), flush=True)
    if len(results) > 1:
        base = results[0].completed / max(results[0].seconds, 1e-9)
        for r in results[1:]:
            rate = r.completed / max(r.seconds, 1e-9)
            print(f"  scaling: {r.options.web} web processes handled {rate / max(base, 1e-9):.2f}"
                  f"× the completed tasks/s of {results[0].options.web}")  # fmt: skip
    if any(r.failures for r in results):
        raise SystemExit(1)
    return results


if __name__ == "__main__":
    main()
