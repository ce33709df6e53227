"""`bench workforce`'s week replayed through the real router on a manual clock, in memory: calls
arrive (Poisson, the programs' weekly profile with the history's growth continued), booked
contractors turn up (by their reliability, up to 3 minutes late) and go offline at the end of
their booked run, accept offers after 3 s and talk an exponential time around the program's
handle time; callers abandon after an exponential patience (mean 120 s). Every event's `at` is
the simulated week's epoch second, so the status changes written to the database are what
workforce.adherence reads."""

from __future__ import annotations

import heapq
from collections import defaultdict
from datetime import datetime, timedelta
from random import Random

import numpy as np

from dispatcher.core.clock import ManualClock
from dispatcher.core.model import Channel, Queue
from dispatcher.core.router import Router
from dispatcher.core.skills import StaticSkillSource
from dispatcher.core.state import RouterConfig

SLOT = 1800.0
PATIENCE = 120.0
ACCEPT_AFTER = 3.0


def arrivals(expected: dict[str, np.ndarray], monday: datetime, days: int, seed: int):
    """[(at, queue_id, patience, talk draw)] of the first `days` days from per-slot means."""
    rng, start, found = Random(seed), monday.timestamp(), []
    for queue_id, means in expected.items():
        for slot, mean in enumerate(means[: days * 48]):
            begins = start + slot * SLOT
            for _ in range(_poisson(rng, float(mean))):
                found.append((begins + rng.random() * SLOT, queue_id, rng.expovariate(1 / PATIENCE),
                              rng.random()))  # fmt: skip
    return sorted(found)


def _poisson(rng: Random, mean: float) -> int:
    return int(np.random.default_rng(rng.getrandbits(32)).poisson(mean)) if mean > 0 else 0


def shifts(booked: dict[int, list[tuple[datetime, str]]], reliability: dict[int, float],
           seed: int) -> list[tuple[float, float, int, set[str]]]:  # fmt: skip
    """[(from, to, agent, queues)]: each run of back-to-back booked blocks the agent turns up
    for (per block, with probability `reliability`)."""
    rng, out = Random(seed), []
    for agent_id, blocks in booked.items():
        kept = [(s, q) for s, q in sorted(blocks) if rng.random() < reliability[agent_id]]
        run: list = []
        for start, queue_id in kept:
            if run and start != run[-1][0] + timedelta(minutes=30):
                out.append(_shift(run, agent_id, rng))
                run = []
            run.append((start, queue_id))
        if run:
            out.append(_shift(run, agent_id, rng))
    return out


def _shift(run, agent_id: int, rng: Random):
    begins = run[0][0].timestamp() + rng.uniform(-120, 180)
    ends = run[-1][0].timestamp() + SLOT
    return begins, ends, agent_id, {q for _s, q in run}


class Week:
    def __init__(self, queues: dict[str, float], agents: dict[int, set[str]], start: float,
                 threshold: float) -> None:  # fmt: skip
        self.clock = ManualClock(start)
        self.router = Router(clock=self.clock, skills=StaticSkillSource(), rng=Random(11),
                             config=RouterConfig())  # fmt: skip
        self.aht, self.threshold = queues, threshold
        self.steps: list[list] = []
        for queue_id in queues:
            self.react(self.router.configure_queue(Queue(
                queue_id, wrapup_seconds=0, reservation_timeout=30,
                service_level_seconds=threshold)))  # fmt: skip
        for agent_id, served in agents.items():
            self.react(self.router.register_agent(str(agent_id), queues=dict.fromkeys(served, 0),
                                                  capacity={Channel.VOICE: 1}))  # fmt: skip
        self.events: list = []
        self.seq = 0
        self.calls: dict[str, tuple] = {}
        # (queue, slot start) -> [offered, answered within the threshold]
        self.slots: dict[tuple[str, float], list[int]] = defaultdict(lambda: [0, 0])
        self.answered = self.abandoned = 0

    def push(self, at: float, kind: str, data) -> None:
        self.seq += 1
        heapq.heappush(self.events, (at, self.seq, kind, data))

    def react(self, events) -> None:
        if events:
            self.steps.append(list(events))
        for e in events:
            if e.name == "ReservationCreated":
                self.push(self.clock.now() + ACCEPT_AFTER, "accept", (e.reservation_id, e.agent_id))

    def run(self, calls, on_duty) -> None:
        for n, (at, queue_id, patience, talk) in enumerate(calls):
            self.push(at, "arrive", (f"t{n}", queue_id, patience, talk))
        for begins, ends, agent_id, _queues in on_duty:
            self.push(begins, "status", (str(agent_id), "available"))
            self.push(ends, "status", (str(agent_id), "offline"))
        while self.events:
            at, _seq, kind, data = heapq.heappop(self.events)
            self.clock.advance(max(0.0, at - self.clock.now()))
            self.react(self.router.tick())
            getattr(self, f"on_{kind}")(data)

    def on_status(self, data) -> None:
        self.react(self.router.set_status(*data))

    def on_arrive(self, data) -> None:
        task_id, queue_id, patience, talk = data
        slot = self.clock.now() - self.clock.now() % SLOT
        self.calls[task_id] = (queue_id, slot, talk)
        self.slots[(queue_id, slot)][0] += 1
        self.react(self.router.enqueue(task_id, queue_id))
        self.push(self.clock.now() + patience, "patience", task_id)

    def on_patience(self, task_id: str) -> None:
        task = self.router.tasks.get(task_id)
        if task is not None and task.state.value in ("pending", "reserved"):
            self.abandoned += 1
            self.react(self.router.abandon(task_id))

    def on_accept(self, data) -> None:
        reservation_id, agent_id = data
        reservation = self.router.reservations.get(reservation_id)
        if reservation is None or reservation.state.value != "pending":
            return
        self.react(self.router.accept(reservation_id, agent_id))
        task_id = reservation.task_id
        waited = self.clock.now() - self.router.tasks[task_id].created_at
        queue_id, slot, talk = self.calls[task_id]
        self.answered += 1
        self.slots[(queue_id, slot)][1] += waited <= self.threshold
        talk_seconds = -self.aht[queue_id] * float(np.log1p(-talk))
        self.push(self.clock.now() + talk_seconds, "hang_up", task_id)

    def on_hang_up(self, task_id: str) -> None:
        self.react(self.router.wrap_up(task_id))

    def service_levels(self) -> list[float]:
        """Service level of every (queue, slot) that was offered a call."""
        return [within / offered for offered, within in self.slots.values() if offered]
