"""Shared builders for the routing benchmarks: a router with N certified agents and M queues."""

from __future__ import annotations

from random import Random

from dispatcher.core.clock import ManualClock
from dispatcher.core.model import Channel, Queue, Requirements
from dispatcher.core.router import Router
from dispatcher.core.skills import Skill, Skills, StaticSkillSource
from dispatcher.core.state import RouterConfig


def build_center(
    agents: int, queues: int, *, queues_per_agent: int = 3, seed: int = 1
) -> tuple[Router, ManualClock, Random]:
    """Every queue requires its own certification; each agent serves and holds a few of them."""
    rng = Random(seed)
    clock = ManualClock(0.0)
    skills = StaticSkillSource()
    router = Router(clock=clock, skills=skills, rng=Random(seed), config=RouterConfig())
    for q in range(queues):
        requirements = Requirements(frozenset({f"c{q}"}), frozenset({"en"}), 2)
        router.configure_queue(
            Queue(f"q{q}", requirements=requirements, wrapup_seconds=0, reservation_timeout=30)
        )
    for a in range(agents):
        served = rng.sample(range(queues), min(queues_per_agent, queues))
        agent_id = f"a{a}"
        skills.set(agent_id, Skills.of([Skill(f"c{q}", 3) for q in served], ["en"]))
        router.register_agent(
            agent_id, queues={f"q{q}": 0 for q in served}, capacity={Channel.VOICE: 1}
        )
        router.set_status(agent_id, "available")
    return router, clock, rng
