"""What a system run (bench/system.py) does to the cluster and reads back from its database:
the scripted fault, and the checks after it (re-routing, presence, memory growth)."""

from __future__ import annotations

import signal
import subprocess
import time
from urllib.parse import urlsplit

from sqlalchemy import String, cast, func, select
from sqlalchemy.engine import make_url

from agents.models import Agent, User
from bench._cluster import Cluster, Options, signal_group
from bench._system_report import Result
from database.engine import make_engine
from dispatcher.tables import RoutingAgent, RoutingEvent, RoutingTask


def first_decision_after(url: str, moment: float, timeout: float) -> float | None:
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


def run_fault(options: Options, cluster: Cluster, crowd, result: Result) -> None:
    """The scripted fault, at the middle of the run."""
    kind = options.fault
    if kind == "kill-engine":
        active = cluster.active_engine()
        signal_group(active, signal.SIGKILL)  # kill -9
        active.wait(10)
        moment = time.time()  # nothing the killed engine did can come after this
        result.fault["killed engine pid"] = active.pid
        took = first_decision_after(cluster.url, moment, timeout=60)
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
        took = first_decision_after(cluster.url, time.time(), timeout=60)
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


def check_rerouted(url: str, closed: list[tuple[str, str, str]], result: Result) -> None:
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


def memory_growth(options: Options, result: Result) -> None:
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


def settled_presence(url: str, crowd, result: Result) -> dict[str, bool]:
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


def open_tasks(url: str) -> int:
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
