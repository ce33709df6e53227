"""Imports every domain's models so Base.metadata holds the whole schema (Alembic, tests)."""

import agents.models  # noqa: F401  (roster tables)
import channels.models  # noqa: F401  (numbers, contacts, call legs, transcripts)
import community.models  # noqa: F401  (community members, posts, votes)
import dispatcher.tables  # noqa: F401  (routing tables)
import pay.models  # noqa: F401  (the pay ledger)
import quality.models  # noqa: F401  (CSAT surveys, recordings, QA reviews, performance scores)
import training.models  # noqa: F401  (courses, attempts, certifications, training events)
import workforce.models  # noqa: F401  (program calendars, blocks, commitments, standing)
from database.base import Base

metadata = Base.metadata


# Search indexes that only the migrations know (dialect-specific, not in the models): the
# community's FTS5 table and its shadow tables (SQLite), its tsvector column (PostgreSQL).
_MIGRATION_ONLY = ("community_posts_fts", "search_vector", "ix_community_posts_search_vector")


def include_object(object, name, type_, reflected, compare_to) -> bool:
    """Alembic's filter: compare the models with the database, minus the search indexes."""
    return not (reflected and compare_to is None and str(name).startswith(_MIGRATION_ONLY))
