"""Benchmark: the graceful-stop takeover on PostgreSQL. Two `crowdline engine` processes on a
scratch database, one active and one standby; SIGTERM the active one and time the standby's
takeover. The stopped engine is restarted as the next round's standby, so each round stops the
other one.

Figures per round, from the SIGTERM: the stopping engine's "lease released" line, the standby's
"engine active" line (the takeover), a probe queued at that moment decided by the new active
engine, and the stopped process gone (exit status 0 expected). Line times are when this bench
read them from the pipes. Goal: the standby takes over "at once" — below one second, the same
order as after kill -9 (`bench system --fault kill-engine`)."""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time

from sqlalchemy import select

from bench.store import DEFAULT_POSTGRES, _drop, _postgres_scratch
from database.engine import make_engine, make_session_factory
from dispatcher import commands
from dispatcher.core.codec import encode
from dispatcher.core.model import Queue
from dispatcher.tables import RoutingCommand
from migrations import migrate

GOAL_SECONDS = 1.0
ACTIVE, RELEASED = "engine active", "lease released"
MARKERS = (ACTIVE, RELEASED)
CROWDLINE = os.path.join(os.path.dirname(sys.executable), "crowdline")


class Engine:
    """A `crowdline engine` process whose output lines are collected by a thread."""

    def __init__(self, url: str) -> None:
        env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "b" * 32, "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen([CROWDLINE, "engine", "--no-channels"], env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        text=True)  # fmt: skip
        self.lines: list[str] = []
        self.seen: dict[str, float] = {}  # first line containing a marker → time.time()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        with self.process.stdout:
            for line in self.process.stdout:
                self.lines.append(line.rstrip())
                for marker in MARKERS:
                    if marker in line:
                        self.seen.setdefault(marker, time.time())

    def wait_for(self, text: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while not any(text in line for line in list(self.lines)):
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError(f"engine: {text!r} not seen; output: {self.lines[-10:]}")
            time.sleep(0.02)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(60)
        self.reader.join(10)


def _submit(sessions, kind: str, payload: dict) -> int:
    with sessions.begin() as session:
        return commands.submit(session, kind, payload, now=time.time())


def _decided_at(sessions, command_id: int, timeout: float = 60.0) -> float:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with sessions() as session:
            done = session.scalar(
                select(RoutingCommand.done_at).where(RoutingCommand.id == command_id)
            )
        if done is not None:
            return float(done)
        time.sleep(0.005)
    raise RuntimeError(f"command {command_id} not decided within {timeout}s")


def run_rounds(url: str, rounds: int) -> list[dict]:
    sessions = make_session_factory(make_engine(url))
    _submit(sessions, "configure_queue", {"queue": encode(Queue("q", reservation_timeout=30))})
    _submit(sessions, "register_agent", {"agent_id": "a1", "queues": {"q": 1}})
    active = Engine(url)
    active.wait_for("engine active")
    standby = Engine(url)
    standby.wait_for("waiting for the lease")
    results = []
    try:
        for n in range(rounds):
            time.sleep(1.0)  # the standby is polling, as in production
            signalled = time.time()
            active.process.send_signal(signal.SIGTERM)
            standby.wait_for(ACTIVE)
            # Queued once the standby is active: only it can decide the probe.
            probe = _submit(sessions, "enqueue", {"task_id": f"probe-{n}", "queue_id": "q"})
            decided = _decided_at(sessions, probe)
            status = active.process.wait(60)
            exited = time.time()
            active.stop()
            results.append({"round": n + 1, "exit_status": status,
                            "released_s": round(active.seen[RELEASED] - signalled, 3),
                            "active_s": round(standby.seen[ACTIVE] - signalled, 3),
                            "decision_s": round(decided - signalled, 3),
                            "exit_s": round(exited - signalled, 3)})  # fmt: skip
            active, standby = standby, Engine(url)
            standby.wait_for("waiting for the lease")
    finally:
        active.stop()
        standby.stop()
    return results


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="crowdline bench takeover", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="3 rounds instead of 10")
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument(
        "--postgres", default=os.environ.get("CROWDLINE_BENCH_POSTGRES_URL", DEFAULT_POSTGRES)
    )
    args = parser.parse_args(argv)
    rounds = args.rounds or (3 if args.quick else 10)
    try:
        url, name = _postgres_scratch(args.postgres)
    except Exception as error:
        print(f"takeover needs PostgreSQL: {error}")
        result = {"bench": "takeover", "skipped": str(error)}
        print("BENCH " + json.dumps(result))
        return result
    try:
        migrate.upgrade(make_engine(url))
        results = run_rounds(url, rounds)
    finally:
        _drop(args.postgres, name)
    print("Seconds after SIGTERM to the active engine:")
    print(f"{'round':>5}{'exit status':>13}{'lease released':>16}{'standby active':>16}"
          f"{'probe decided':>15}{'process gone':>14}")  # fmt: skip
    for row in results:
        print(f"{row['round']:>5}{row['exit_status']:>13}{row['released_s']:>16.3f}"
              f"{row['active_s']:>16.3f}{row['decision_s']:>15.3f}"
              f"{row['exit_s']:>14.3f}")  # fmt: skip
    takeovers = [row["active_s"] for row in results]
    result = {
        "bench": "takeover",
        "rounds": rounds,
        "all_exit_0": all(row["exit_status"] == 0 for row in results),
        "takeover_median_s": round(statistics.median(takeovers), 3),
        "takeover_max_s": max(takeovers),
        "released_median_s": round(statistics.median(r["released_s"] for r in results), 3),
        "decision_median_s": round(statistics.median(r["decision_s"] for r in results), 3),
        "exit_median_s": round(statistics.median(row["exit_s"] for row in results), 3),
        "goal_s": GOAL_SECONDS,
    }
    print(f"takeover median {result['takeover_median_s']:.3f} s, max "
          f"{result['takeover_max_s']:.3f} s (goal < {GOAL_SECONDS:.0f} s)")  # fmt: skip
    print("BENCH " + json.dumps(result))
    return result


if __name__ == "__main__":
    main()
