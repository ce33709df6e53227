"""Benchmark: performance routing against longest idle, on the real router over a simulated week.

30 simulated agents of varied skill s ∈ [0, 1]: a satisfied customer (rating 4–5) with
probability 0.45 + 0.5 s, a conversion with probability 0.05 + 0.25 s, a mean handle time of
300 − 120 s seconds. Calls arrive (Poisson, 5 days × 8 hours, about 80 % occupancy), are
accepted 3 s after the offer, talk an exponential time around the agent's mean, and abandon
after an exponential patience (mean 90 s) if still waiting. The same arrivals and the same
customer draws are replayed under both strategies on a manual clock. Under `performance` each
agent's score is recomputed every night with quality.performance's formula (the program's
default weights) from the days before, and given to the router with `set_score` — as the
nightly job does. Reported: CSAT (share satisfied among answered), conversion rate, service
level (answered within 20 s / offered), and the Gini coefficient of talk minutes per agent.
The pay ledger check: the performance run's events go through the real pay projection into a
fresh SQLite database step by step, and `pay verify` recounts every entry from that event log
(bench._ledger); it must find 0 differences, or the benchmark exits non-zero.
"""

from __future__ import annotations

import argparse
import heapq
import json
import math
from random import Random

from bench._ledger import ledger_check
from dispatcher.core.clock import ManualClock
from dispatcher.core.model import Channel, Queue, Strategy
from dispatcher.core.router import Router
from dispatcher.core.skills import StaticSkillSource
from dispatcher.core.state import RouterConfig
from quality import performance
from quality.models import DEFAULT_WEIGHTS

AGENTS = 30
DAY = 8 * 3600.0
OCCUPANCY = 0.8
PATIENCE = 90.0
SL_SECONDS = 20.0
ACCEPT_AFTER = 3.0


def agents(seed: int) -> dict[str, dict]:
    rng = Random(seed)
    made = {}
    for n in range(AGENTS):
        s = rng.random()
        made[f"a{n}"] = {"csat": 0.45 + 0.5 * s, "conversion": 0.05 + 0.25 * s,
                         "aht": 300.0 - 120.0 * s}  # fmt: skip
    return made


def arrivals(days: int, rate: float, seed: int) -> list[tuple[float, dict]]:
    """(at, the customer's own draws): identical for both strategies."""
    rng, at, found = Random(seed), 0.0, []
    for day in range(days):
        at = day * 86400.0
        while True:
            at += rng.expovariate(rate)
            if at >= day * 86400.0 + DAY:
                break
            found.append((at, {"patience": rng.expovariate(1 / PATIENCE), "talk": rng.random(),
                               "satisfied": rng.random(), "converts": rng.random()}))  # fmt: skip
    return found


class Run:
    def __init__(self, strategy: Strategy, team: dict[str, dict]) -> None:
        self.clock = ManualClock(0.0)
        self.router = Router(clock=self.clock, skills=StaticSkillSource(), rng=Random(7),
                             config=RouterConfig())  # fmt: skip
        queue = Queue("sales", strategy=strategy, wrapup_seconds=0, reservation_timeout=30,
                      service_level_seconds=SL_SECONDS)
        self.router.configure_queue(queue)
        self.team, self.strategy = team, strategy
        for agent_id in team:
            self.router.register_agent(agent_id, queues={"sales": 0}, capacity={Channel.VOICE: 1})
            self.router.set_status(agent_id, "available")
        self.events: list = []
        self.seq = 0
        self.customers: dict[str, dict] = {}
        self.answered_at: dict[str, float] = {}
        self.talk = dict.fromkeys(team, 0.0)
        self.day_stats = {a: {"sat": 0, "rated": 0, "offers": 0, "accepted": 0, "handled": 0,
                              "handle": 0.0} for a in team}  # fmt: skip
        self.offered = self.in_sl = self.answered = self.satisfied = self.converted = 0
        self.steps: list[list] = []  # the router's events, one list per decision (the ledger's)

    def push(self, at: float, kind: str, data) -> None:
        self.seq += 1
        heapq.heappush(self.events, (at, self.seq, kind, data))

    def react(self, events) -> None:
        if events:
            self.steps.append(list(events))
        for e in events:
            if e.name == "ReservationCreated":
                self.push(self.clock.now() + ACCEPT_AFTER, "accept", (e.reservation_id, e.agent_id))

    def run(self, calls) -> dict:
        for n, (at, customer) in enumerate(calls):
            self.push(at, "arrive", (f"t{n}", customer))
        nights = {int(at // 86400) for at, _ in calls}
        for night in sorted(nights)[1:]:
            self.push(night * 86400.0 - 1, "night", None)
        while self.events:
            at, _seq, kind, data = heapq.heappop(self.events)
            self.clock.advance(max(0.0, at - self.clock.now()))
            self.react(self.router.tick())
            getattr(self, f"on_{kind}")(data)
        return self.figures()

    def on_arrive(self, data) -> None:
        task_id, customer = data
        self.customers[task_id] = customer
        self.offered += 1
        self.react(self.router.enqueue(task_id, "sales"))
        self.push(self.clock.now() + customer["patience"], "patience", task_id)

    def on_patience(self, task_id: str) -> None:
        task = self.router.tasks.get(task_id)
        if task is not None and task.state.value in ("pending", "reserved"):
            self.react(self.router.abandon(task_id))

    def on_accept(self, data) -> None:
        reservation_id, agent_id = data
        reservation = self.router.reservations.get(reservation_id)
        if reservation is None or reservation.state.value != "pending":
            return
        self.react(self.router.accept(reservation_id, agent_id))
        task_id = reservation.task_id
        task = self.router.tasks[task_id]
        waited = self.clock.now() - task.created_at
        self.answered += 1
        self.in_sl += waited <= SL_SECONDS
        customer, skill = self.customers[task_id], self.team[agent_id]
        talk = -skill["aht"] * _log1m(customer["talk"])  # exponential around the agent's mean
        self.push(self.clock.now() + talk, "hang_up", (task_id, agent_id, talk))

    def on_hang_up(self, data) -> None:
        task_id, agent_id, talk = data
        customer, skill = self.customers[task_id], self.team[agent_id]
        happy = customer["satisfied"] < skill["csat"]
        self.satisfied += happy
        self.converted += customer["converts"] < skill["conversion"]
        self.talk[agent_id] += talk / 60.0
        day = self.day_stats[agent_id]
        day["sat"] += happy
        day["rated"] += 1
        day["handled"] += 1
        day["handle"] += talk
        self.react(self.router.wrap_up(task_id))

    def on_night(self, _data) -> None:
        """The nightly score (quality.performance's formula) over the days so far."""
        if self.strategy is not Strategy.PERFORMANCE:
            return
        for agent_id, day in self.day_stats.items():
            if not day["handled"]:
                continue
            inputs = performance.Inputs(csat=day["sat"] / day["rated"], acceptance=1.0,
                                        aht=day["handle"] / day["handled"])  # fmt: skip
            score, _ = performance.combine(performance.values(inputs, 180.0), DEFAULT_WEIGHTS)
            self.react(self.router.set_score(agent_id, score))

    def figures(self) -> dict:
        return {
            "csat": self.satisfied / self.answered, "conversion": self.converted / self.answered,
            "service_level": self.in_sl / self.offered, "answered": self.answered,
            "offered": self.offered, "gini_talk": gini(list(self.talk.values())),
        }  # fmt: skip


def _log1m(u: float) -> float:
    return math.log(1.0 - u)


def gini(values: list[float]) -> float:
    """0 = everyone talked the same minutes, → 1 = one agent took everything."""
    ordered = sorted(values)
    total = sum(ordered)
    if not total:
        return 0.0
    n = len(ordered)
    weighted = sum((i + 1) * v for i, v in enumerate(ordered))
    return (2 * weighted) / (n * total) - (n + 1) / n


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="crowdline bench performance", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="2 days instead of 5")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    days = 2 if args.quick else 5
    team = agents(args.seed)
    mean_aht = sum(a["aht"] for a in team.values()) / AGENTS
    calls = arrivals(days, OCCUPANCY * AGENTS / mean_aht, args.seed + 1)
    runs = {s.value: Run(s, team) for s in (Strategy.LONGEST_IDLE, Strategy.PERFORMANCE)}
    results = {name: run.run(calls) for name, run in runs.items()}
    base, perf = results["longest_idle"], results["performance"]
    print(f"{AGENTS} agents, {days} days × 8 h, {len(calls):,} calls, target occupancy "
          f"{OCCUPANCY:.0%}; same arrivals and customer draws under both strategies")
    print(f"{'strategy':<14}{'CSAT':>8}{'conversion':>12}{'service lvl':>13}{'Gini talk':>11}")
    for name, r in results.items():
        print(f"{name:<14}{r['csat']:>8.1%}{r['conversion']:>12.1%}{r['service_level']:>13.1%}"
              f"{r['gini_talk']:>11.3f}")
    points = lambda key: round(100 * (perf[key] - base[key]), 2)  # noqa: E731
    gained = {"csat_points": points("csat"), "conversion_points": points("conversion"),
              "service_level_points": points("service_level")}
    print(f"gained: CSAT {gained['csat_points']:+.2f} points, conversion "
          f"{gained['conversion_points']:+.2f} points; service level "
          f"{gained['service_level_points']:+.2f} points (kept within 2: "
          f"{abs(gained['service_level_points']) <= 2})")
    ledger = ledger_check(runs["performance"].steps, "sales")
    print(f"pay ledger (performance run, {ledger['ledger_entries']:,} entries for "
          f"{ledger['ledger_talks']:,} talks, {ledger['ledger_talk_minutes']:,} talk minutes, "
          f"total {ledger['ledger_total']} at 0.30/min): pay verify found "
          f"{ledger['ledger_check']}")
    for difference in ledger["ledger_first_differences"]:
        print(f"  {difference}")
    result = {"bench": "performance", "agents": AGENTS, "days": days, "calls": len(calls),
              "longest_idle": {k: round(v, 4) for k, v in base.items()},
              "performance": {k: round(v, 4) for k, v in perf.items()}, **gained,
              "service_level_within_2_points": abs(gained["service_level_points"]) <= 2,
              **ledger}  # fmt: skip
    print("BENCH " + json.dumps(result))
    if ledger["ledger_differences"]:
        raise SystemExit(1)
    return result


if __name__ == "__main__":
    main()
