"""Benchmark 3: queueing fidelity of the real router against Erlang C.

Poisson arrivals and exponential handle times run through the router on a manual clock
(agents answer at once, no wrap-up, FIFO by longest idle); measured P(wait) and ASA are set
beside Erlang C for the same traffic. The first 5% of contacts warm the system up and are
not counted.
"""

from __future__ import annotations

import argparse
import heapq
import json
from random import Random

from dispatcher.core.clock import ManualClock
from dispatcher.core.erlang import asa, erlang_c
from dispatcher.core.model import Queue
from dispatcher.core.router import Router
from dispatcher.core.skills import StaticSkillSource

AHT = 180.0  # seconds
TRAFFIC = 10.0  # Erlangs


def simulate(agents: int, contacts: int, *, seed: int) -> dict:
    """Run `contacts` arrivals through a router with `agents` agents; measured figures."""
    rng = Random(seed)
    clock = ManualClock(0.0)
    router = Router(clock=clock, skills=StaticSkillSource(), rng=Random(seed))
    router.configure_queue(Queue("q", wrapup_seconds=0, reservation_timeout=60))
    for a in range(agents):
        router.register_agent(f"a{a}", queues={"q": 0}, capacity={"voice": 1})
        router.set_status(f"a{a}", "available")
    rate = TRAFFIC / AHT
    ends: list[tuple[float, str]] = []
    waits: list[float] = []
    next_arrival, arrived = rng.expovariate(rate), 0
    while arrived < contacts or ends:
        if arrived < contacts and (not ends or next_arrival <= ends[0][0]):
            clock.set(next_arrival)
            events = router.enqueue(f"t{arrived}", "q")
            arrived += 1
            next_arrival += rng.expovariate(rate)
        else:
            at, task_id = heapq.heappop(ends)
            clock.set(at)
            events = router.complete(task_id)
        _answer(router, events, waits, ends, rng)
    counted = waits[contacts // 20 :]
    return {
        "agents": agents,
        "contacts": len(counted),
        "p_wait": sum(1 for w in counted if w > 1e-9) / len(counted),
        "asa": sum(counted) / len(counted),
        "asa_ci95": _batch_ci95(counted),
    }


def _batch_ci95(values: list[float], batches: int = 20) -> float:
    """Half-width of a 95% confidence interval of the mean, by batch means (seconds)."""
    size = len(values) // batches
    means = [sum(values[i * size : (i + 1) * size]) / size for i in range(batches)]
    centre = sum(means) / batches
    variance = sum((m - centre) ** 2 for m in means) / (batches - 1)
    return 2.09 * (variance / batches) ** 0.5  # t quantile, 19 degrees of freedom


def _answer(router: Router, events: list, waits: list, ends: list, rng: Random) -> None:
    """Agents accept every offer at once; each conversation lasts Exp(AHT) seconds."""
    for event in events:
        if event.name == "ReservationCreated":
            for done in router.accept(event.reservation_id, event.agent_id):
                if done.name == "TaskAssigned":
                    waits.append(done.waited)
                    end = router.clock.now() + rng.expovariate(1.0 / AHT)
                    heapq.heappush(ends, (end, done.task_id))


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m bench.fidelity", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="10,000 contacts per staffing")
    parser.add_argument("--contacts", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args(argv)
    contacts = 10_000 if args.quick else args.contacts
    rows = []
    print(f"Queueing fidelity: {TRAFFIC:g} Erlangs, AHT {AHT:g} s, {contacts:,} contacts each")
    print(
        f"{'agents':>6}{'P(wait)':>10}{'Erlang C':>10}{'err':>8}"
        f"{'ASA s':>9}{'±95%':>8}{'Erlang':>9}{'err':>8}"
    )
    for n, agents in enumerate((12, 13, 14)):
        measured = simulate(agents, contacts, seed=args.seed + n)
        expect_p, expect_asa = erlang_c(agents, TRAFFIC), asa(agents, TRAFFIC, AHT)
        err_p = measured["p_wait"] / expect_p - 1
        err_asa = measured["asa"] / expect_asa - 1
        rows.append({**measured, "erlang_p_wait": expect_p, "erlang_asa": expect_asa,
                     "p_wait_rel_err": err_p, "asa_rel_err": err_asa})  # fmt: skip
        print(f"{agents:>6}{measured['p_wait']:>10.4f}{expect_p:>10.4f}{err_p:>+8.1%}"
              f"{measured['asa']:>9.2f}{measured['asa_ci95']:>8.2f}{expect_asa:>9.2f}"
              f"{err_asa:>+8.1%}")  # fmt: skip
    worst = max(max(abs(r["p_wait_rel_err"]), abs(r["asa_rel_err"])) for r in rows)
    print(f"worst relative error: {worst:.1%} (goal <= 3%)")
    result = {"bench": "fidelity", "traffic_erlangs": TRAFFIC, "aht_s": AHT,
              "contacts_per_run": contacts, "runs": rows, "worst_rel_err": worst,
              "goal_rel_err": 0.03}  # fmt: skip
    print("BENCH " + json.dumps(result))
    return result


if __name__ == "__main__":
    main()
