"""Fixtures for the pure routing core: a manual clock, plain-data skills and a small desk
(tests/unit/dispatcher/desk.py)."""

from __future__ import annotations

from random import Random

import pytest

from dispatcher.core.clock import ManualClock
from dispatcher.core.router import Router
from dispatcher.core.skills import StaticSkillSource
from dispatcher.core.state import RouterConfig
from tests.unit.dispatcher.desk import Desk, names, snapshot

# The stateful test's checks live in a helper module: pytest rewrites their asserts too.
pytest.register_assert_rewrite("tests.unit.dispatcher.router_oracle")


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(1_000.0)


@pytest.fixture
def skills() -> StaticSkillSource:
    return StaticSkillSource()


@pytest.fixture
def config() -> RouterConfig:
    return RouterConfig(max_missed_offers=2)


@pytest.fixture
def router(clock: ManualClock, skills: StaticSkillSource, config: RouterConfig) -> Router:
    return Router(clock=clock, skills=skills, rng=Random(7), config=config)


@pytest.fixture
def desk(router: Router, clock: ManualClock, skills: StaticSkillSource) -> Desk:
    return Desk(router, clock, skills)


@pytest.fixture
def event_names():
    return names


@pytest.fixture
def state_of():
    return snapshot
