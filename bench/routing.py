"""Benchmark 1: in-memory routing decisions per second, and decision cost at 10,000 vs 100 agents.

Two workloads, each a loop of real router commands on a manual clock:
- agent-side: every agent busy and 1,000 tasks waiting; an agent finishes, the router picks its
  next task (one decision), the agent accepts, and a new task arrives to keep 1,000 waiting;
- task-side: every agent idle; a task arrives, the router picks an agent (one decision), the
  agent accepts and finishes, going back into the idle indexes.
A decision's cost is the time of all the loop's commands (not just the matching) divided by
the offers they made, best of a few runs to damp noise from other processes.
"""

from __future__ import annotations

import argparse
import gc
import json
import time

from bench._center import build_center
from dispatcher.core.router import Router

QUEUES = 50
WAITING = 1_000


def agent_side(agents: int, cycles: int) -> float:
    """Seconds per decision when a freed agent picks among the waiting tasks."""
    router, clock, rng = build_center(agents, QUEUES)
    serial = iter(range(10**9))
    for _ in range(agents + WAITING):
        router.enqueue(f"t{next(serial)}", f"q{rng.randrange(QUEUES)}")
    _accept_all(router)
    held = [t.task_id for t in router.tasks.values() if t.agent_id]
    gc.collect()
    offers, started = 0, time.perf_counter()
    for _ in range(cycles):
        clock.advance(0.01)
        slot = rng.randrange(len(held))
        events = router.complete(held[slot])
        offer = next((e for e in events if e.name == "ReservationCreated"), None)
        if offer is not None:
            offers += 1
            router.accept(offer.reservation_id, offer.agent_id)
            held[slot] = offer.task_id
        else:
            held[slot] = held[-1]
            held.pop()
        offers += _offers(router.enqueue(f"t{next(serial)}", f"q{rng.randrange(QUEUES)}"))
    return (time.perf_counter() - started) / max(offers, 1)


def task_side(agents: int, cycles: int) -> float:
    """Seconds per decision when an arriving task picks among the idle agents."""
    router, clock, rng = build_center(agents, QUEUES)
    gc.collect()
    offers, started = 0, time.perf_counter()
    for n in range(cycles):
        clock.advance(0.01)
        events = router.enqueue(f"t{n}", f"q{rng.randrange(QUEUES)}")
        offer = next((e for e in events if e.name == "ReservationCreated"), None)
        if offer is not None:
            offers += 1
            router.accept(offer.reservation_id, offer.agent_id)
            router.complete(offer.task_id)
    return (time.perf_counter() - started) / max(offers, 1)


def _accept_all(router: Router) -> None:
    for r in list(router.reservations.values()):
        router.accept(r.reservation_id, r.agent_id)


def _offers(events: list) -> int:
    return sum(1 for e in events if e.name == "ReservationCreated")


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m bench.routing", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="short run (fewer cycles)")
    args = parser.parse_args(argv)
    cycles, repeats = (3_000, 1) if args.quick else (30_000, 3)
    rows = []
    for name, workload in (("agent-side", agent_side), ("task-side", task_side)):
        small = min(workload(100, cycles) for _ in range(repeats))
        large = min(workload(10_000, cycles) for _ in range(repeats))
        rows.append((name, small, large))
    print(f"Routing decisions in memory: {QUEUES} queues, {WAITING:,} waiting (agent-side),")
    print(f"{cycles:,} decisions per run, best of {repeats}; cost = command time per offer")
    print(f"{'workload':<12}{'µs @100':>10}{'µs @10k':>10}{'decisions/s @10k':>19}{'ratio':>8}")
    for name, small, large in rows:
        ratio = large / small
        print(f"{name:<12}{small * 1e6:>10.1f}{large * 1e6:>10.1f}{1 / large:>19,.0f}{ratio:>8.2f}")
    figures = {
        f"{name.replace('-', '_')}": {
            "us_per_decision_100": round(small * 1e6, 2),
            "us_per_decision_10000": round(large * 1e6, 2),
            "decisions_per_s_10000": round(1 / large),
            "ratio_10000_vs_100": round(large / small, 3),
        }
        for name, small, large in rows
    }
    result = {
        "bench": "routing", "agents": 10_000, "queues": QUEUES, "waiting": WAITING,
        "cycles": cycles, "repeats": repeats, **figures,
        "goal_decisions_per_s": 20_000, "goal_ratio": 2.0,
    }  # fmt: skip
    print("BENCH " + json.dumps(result))
    return result


if __name__ == "__main__":
    main()
