"""Training fixtures: the demo course imported, an agent in training, a manual clock."""

from __future__ import annotations

import pytest

from agents.models import Stage
from tests.training.helpers import DEMO_COURSE, Clock
from training.importer import import_path


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def course(db_session, program):
    (imported,) = import_path(session=db_session, path=DEMO_COURSE)
    db_session.commit()
    return imported.course


@pytest.fixture
def agent(db_session, users):
    agent = users["agent"].agent
    agent.stage = Stage.TRAINING
    db_session.commit()
    return agent
