"""community cost per contact: the configured figure the cost avoided by deflection uses when
the ROI report has no cost per contact for the period

Revision ID: 0014_community_cost
Revises: 0013_community_moderation
Create Date: 2026-12-04 02:45:00.000000
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_community_cost"
down_revision = "0013_community_moderation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("community_settings",
                  sa.Column("cost_per_contact", sa.Numeric(10, 2), nullable=True))  # fmt: skip


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE community_settings DROP COLUMN cost_per_contact")
    else:
        op.drop_column("community_settings", "cost_per_contact")
