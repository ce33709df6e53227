"""Benchmark: the embedded default (SQLite) under write contention, as a supervisor meets it.

Starts the living demo (`crowdline demo`: SQLite file, engine thread, simulated carrier and
bots taking calls and chats) in a process of its own on a scratch instance folder. Then, as the
dashboard does, the supervisor changes the status of every bot agent (available ↔ break),
several requests in flight as a browser allows, while the person's console re-sends its status
1.5 times a second, the dashboard re-reads its summary every 2 s and a missing page is asked
for every second (its error page). Goals: no 500, every
change applied (200, or 202 and applied later) or refused with a reason (409), no engine step
failed on lock contention, every error answer a rendered page or JSON (never plain text from
a failed error page).

    crowdline bench contention [--bots 50] [--in-flight 6] [--resend-per-second 1.5]
        [--rounds 2] [--settle 30]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from bench._demo_site import Browser, start_demo, wait_ready
from bench._proc import free_port
from crowdline import demo as demo_data

LOG_SIGNS = {
    "engine steps failed": "engine step failed",
    "error pages that failed to render": "error page failed to render",
    "database is locked (log lines)": "database is locked",
    "unhandled errors": "unhandled error",
}


@dataclass
class Figures:
    answers: Counter = field(default_factory=Counter)  # "who status" → count
    plain_errors: int = 0  # errors answered as plain text: the error page did not render
    applied: int = 0
    refused: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    log: dict[str, int] = field(default_factory=dict)
    change_seconds: float = 0.0
    kept_log: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, who: str, status: int, body: str, content_type: str) -> None:
        with self.lock:
            self.answers[f"{who} {status}"] += 1
            if status >= 400 and "json" not in content_type and "<html" not in body.lower():
                self.plain_errors += 1


def _bots(supervisor: Browser, figures: Figures) -> dict[str, str]:
    """agent id → status, of the bot agents the dashboard lists."""
    status, body, kind = supervisor.request("GET", "/dashboard/api/summary")
    figures.count("dashboard", status, body, kind)
    if status != 200:
        raise RuntimeError(f"the dashboard summary answered {status}")
    agents = json.loads(body)["agents"]
    return {a["agent_id"]: a["status"] for a in agents if a["name"].lower().startswith("bot")}


def _change_all(supervisor: Browser, targets: dict[str, str], in_flight: int,
                figures: Figures) -> dict[str, tuple[int, str]]:  # fmt: skip
    """Send every change as the dashboard does; agent → (HTTP status, error or '')."""

    def change(agent_id: str) -> tuple[str, tuple[int, str]]:
        payload = {"kind": "set_status",
                   "payload": {"agent_id": agent_id, "status": targets[agent_id]}}  # fmt: skip
        status, body, kind = supervisor.request("POST", "/api/v1/routing/commands", payload)
        figures.count("supervisor", status, body, kind)
        error = ""
        if status >= 400:
            try:
                error = json.loads(body).get("error", "")
            except ValueError:
                error = body[:80]
        return agent_id, (status, error)

    with ThreadPoolExecutor(in_flight) as pool:
        return dict(pool.map(change, targets))


def _tally(
    supervisor: Browser,
    figures: Figures,
    wanted: dict[str, str],
    answers: dict[str, tuple[int, str]],
    settle: float,
) -> None:
    """Each change applied (at once, or queued and decided within `settle` s), refused with a
    reason, or neither."""
    deadline = time.monotonic() + settle
    while True:
        final = _bots(supervisor, figures)
        missing = [a for a, (status, _) in answers.items()
                   if status < 400 and final.get(a) != wanted[a]]  # fmt: skip
        if not missing or time.monotonic() > deadline:
            break
        time.sleep(1)
    for agent_id, (status, error) in sorted(answers.items()):
        if status == 409 and error:
            figures.refused.append(f"{agent_id}: {error}")
        elif status < 400 and final.get(agent_id) == wanted[agent_id]:
            figures.applied += 1
        else:
            figures.lost.append(f"{agent_id}: HTTP {status} {error}".strip())


def _keep_sending(stop: threading.Event, per_second: float, act) -> threading.Thread:
    """`act()` `per_second` times a second on a fixed schedule; a slow answer does not delay
    the next one (a few in flight at once, as a page's timers and fetches allow)."""

    def loop():
        with ThreadPoolExecutor(4) as pool:
            due = time.monotonic()
            while not stop.is_set():
                due += 1 / per_second
                if stop.wait(max(0.0, due - time.monotonic())):
                    break
                pool.submit(act)

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    return thread


def run(*, bots: int, in_flight: int, resend: float, rounds: int, settle: float) -> Figures:
    figures = Figures()
    instance = Path(tempfile.mkdtemp(prefix="crowdline-contention-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    demo = start_demo(instance, port, bots)
    stop = threading.Event()
    try:
        wait_ready(base, instance)
        supervisor, console = Browser(base), Browser(base)
        supervisor.sign_in(demo_data.PERSON_SUPERVISOR, "/dashboard")
        console.sign_in(demo_data.PERSON_AGENT, "/console")

        def resend_status():
            status, body, kind = console.request(
                "POST", "/console/api/status", {"status": "available", "reason": ""}
            )
            figures.count("console", status, body, kind)

        def reread_summary():
            status, body, kind = supervisor.request("GET", "/dashboard/api/summary")
            figures.count("dashboard", status, body, kind)

        def error_page():  # what a mistyped address shows, in the layout with the user
            status, body, kind = supervisor.request("GET", "/roster/no-such-page")
            figures.count("error page", status, body, kind)

        threads = [
            _keep_sending(stop, resend, resend_status),
            _keep_sending(stop, 0.5, reread_summary),
            _keep_sending(stop, 1.0, error_page),
        ]
        time.sleep(3)  # the console's re-sends are under way
        started = time.monotonic()
        for n in range(rounds):
            wanted = {a: ("break" if n % 2 == 0 else "available")
                      for a in _bots(supervisor, figures)}  # fmt: skip
            answers = _change_all(supervisor, wanted, in_flight, figures)
            _tally(supervisor, figures, wanted, answers, settle)
        figures.change_seconds = time.monotonic() - started
        stop.set()
        for thread in threads:
            thread.join(70)
    finally:
        stop.set()
        demo.terminate()
        try:
            demo.wait(60)
        except subprocess.TimeoutExpired:
            demo.kill()
            demo.wait(10)
        log = (instance / "demo.log").read_text(errors="replace")
        figures.log = {name: log.count(sign) for name, sign in LOG_SIGNS.items()}
        if any(figures.log.values()) or figures.lost:
            figures.kept_log = str(instance / "demo.log")  # to read what went wrong
        else:
            shutil.rmtree(instance, ignore_errors=True)
    return figures


def report(figures: Figures, bots: int, rounds: int) -> str:
    fives = sum(n for k, n in figures.answers.items() if int(k.rsplit(" ", 1)[1]) >= 500)
    lines = [
        f"SQLite demo, {bots} bots: the supervisor changed every bot's status {rounds}× "
        f"in {figures.change_seconds:.1f} s while the console re-sent its status",
        "  answers: " + ", ".join(f"{k} ×{n}" for k, n in sorted(figures.answers.items())),
        f"  changes: {figures.applied} applied, {len(figures.refused)} refused with a reason, "
        f"{len(figures.lost)} neither (goal 0)",
        f"  5xx answers {fives} (goal 0 × 500); error answers in plain text "
        f"{figures.plain_errors} (goal 0)",
    ]
    lines += [f"  {name}: {count}" for name, count in figures.log.items()]
    lines += [f"    refused {r}" for r in figures.refused[:5]]
    lines += [f"    lost {x}" for x in figures.lost[:5]]
    if figures.kept_log:
        lines.append(f"  the demo's log: {figures.kept_log}")
    return "\n".join(lines)


def summary(figures: Figures) -> dict:
    by_status = Counter()
    for key, n in figures.answers.items():
        by_status[key.rsplit(" ", 1)[1]] += n
    return {
        "answers": dict(figures.answers), "by_status": dict(by_status),
        "http_500": by_status.get("500", 0), "http_503": by_status.get("503", 0),
        "plain_text_errors": figures.plain_errors, "applied": figures.applied,
        "refused": len(figures.refused), "lost": len(figures.lost),
        "change_seconds": round(figures.change_seconds, 2), **figures.log,
    }  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="crowdline bench contention",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--bots", type=int, default=50)
    parser.add_argument(
        "--in-flight",
        type=int,
        default=6,
        help="supervisor requests at once (a browser's connections per host)",
    )
    parser.add_argument("--resend-per-second", type=float, default=1.5)
    parser.add_argument("--rounds", type=int, default=2, help="break, then available, …")
    parser.add_argument("--settle", type=float, default=30.0,
                        help="seconds for queued (202) changes to be decided")  # fmt: skip
    args = parser.parse_args(argv)
    figures = run(bots=args.bots, in_flight=args.in_flight, resend=args.resend_per_second,
                  rounds=args.rounds, settle=args.settle)  # fmt: skip
    print(report(figures, args.bots, args.rounds))
    print("BENCH " + json.dumps(summary(figures)))
