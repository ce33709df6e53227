"""Imports every domain's models so Base.metadata holds the whole schema (Alembic, tests)."""

import agents.models  # noqa: F401  (roster tables)
import channels.models  # noqa: F401  (numbers, contacts, call legs, transcripts)
import dispatcher.tables  # noqa: F401  (routing tables)
import quality.models  # noqa: F401  (CSAT surveys, recordings, QA reviews, performance scores)
import training.models  # noqa: F401  (courses, attempts, certifications, training events)
import workforce.models  # noqa: F401  (program calendars, blocks, commitments, standing)
from database.base import Base

metadata = Base.metadata
