"""community escalation: when a question was handed to a paid agent, and the queue of a
program's escalations

Revision ID: 0012_community_escalation
Revises: 0011_quality
Create Date: 2026-12-04 02:30:00.000000

Plain ADD COLUMN (no batch copy): on SQLite a table copy would drop community_posts' FTS5
triggers.
"""

import sqlalchemy as sa
from alembic import op

import database.base

revision = "0012_community_escalation"
down_revision = "0011_quality"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("community_posts",
                  sa.Column("escalated_at", database.base.UTCDateTime(), nullable=True))
    op.add_column("community_settings",
                  sa.Column("escalation_queue_id", sa.String(length=64), nullable=True))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":  # SQLite >= 3.35 drops a plain column in place
        op.execute("ALTER TABLE community_settings DROP COLUMN escalation_queue_id")
        op.execute("ALTER TABLE community_posts DROP COLUMN escalated_at")
        return
    op.drop_column("community_settings", "escalation_queue_id")
    op.drop_column("community_posts", "escalated_at")
