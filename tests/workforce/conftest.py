"""Schedule fixtures: the program's course and two certified agents."""

from __future__ import annotations

import pytest

from tests.workforce.helpers import certified_agent, import_course


@pytest.fixture
def course(db_session, program):
    course = import_course(db_session)
    db_session.commit()
    return course


@pytest.fixture
def ann(db_session, program, course):
    return certified_agent(db_session, program, course)


@pytest.fixture
def bob(db_session, program, course):
    return certified_agent(db_session, program, course)
