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
import json
import os
import random
import shutil
import tempfile
import time
from pathlib import Path

from bench import _agents
from bench._checks import check
from bench._cluster import (
    DEFAULT_DATABASE,
    DEFAULT_REDIS,
    FAULTS,
    PASSWORD,
    PUBLIC,
    SECRET,
    Cluster,
    Options,
)
from bench._faults import check_rerouted, memory_growth, open_tasks, run_fault, settled_presence
from bench._proc import free_port
from bench._system_report import Result, report, summary
from channels.remote import CarrierServer, round_robin_transport
from channels.signing import webhook_token
from channels.simulated import SimAgent, SimulatedCarrier
from channels.traffic import Profile, Traffic
from crowdline import demo
from database.engine import make_engine


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
            run_fault(options, cluster, crowd, result)
        while time.time() < started + options.seconds:
            time.sleep(min(15.0, max(0.0, started + options.seconds - time.time())))
            result.rss_samples.append((time.time() - started, cluster.rss()))
        result.rss_kib = cluster.rss()
        memory_growth(options, result)
        traffic.stop()
        deadline = time.monotonic() + options.drain
        while open_tasks(cluster.url) and time.monotonic() < deadline:
            time.sleep(0.5)
        result.seconds = time.time() - started
        result.latencies = crowd.offer_latencies(cluster.url)
        consoles = settled_presence(cluster.url, crowd, result)
        result.failures.extend(
            f"{email} was on the killed web process and did not reconnect to another one"
            for email in result.moved_agents
            if not consoles.get(email) or crowd.url_of(email) in crowd.forgotten
        )  # fmt: skip
        if options.fault == "close-browsers":
            check_rerouted(cluster.url, crowd.closed, result)
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
